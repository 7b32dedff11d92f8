import type { APIEmbed } from 'discord-api-types/v10';
import { packEmbeds } from '@promton/shared/domain';

interface Pending {
  embed: APIEmbed;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Collects the log embeds bound for one channel while a post is in flight or within
 * a short window, and sends them as few messages (≤ 10 embeds each) as possible.
 * Each caller's promise settles with the message that carried its embed.
 */
export class LogBatcher {
  readonly #pending = new Map<string, Pending[]>();
  readonly #scheduled = new Set<string>();
  #closed = false;

  constructor(
    private readonly post: (channelId: string, embeds: APIEmbed[]) => Promise<void>,
    private readonly windowMs = 25,
  ) {}

  add(channelId: string, embed: APIEmbed): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('log batcher is closed'));
    return new Promise((resolve, reject) => {
      const list = this.#pending.get(channelId) ?? [];
      list.push({ embed, resolve, reject });
      this.#pending.set(channelId, list);
      this.#schedule(channelId);
    });
  }

  #schedule(channelId: string): void {
    if (this.#scheduled.has(channelId)) return;
    this.#scheduled.add(channelId);
    setTimeout(() => void this.#flush(channelId), this.windowMs);
  }

  async #flush(channelId: string): Promise<void> {
    const batch = this.#pending.get(channelId) ?? [];
    this.#pending.delete(channelId);
    try {
      const messages = packEmbeds(batch.map((entry) => entry.embed));
      let offset = 0;
      for (const embeds of messages) {
        const entries = batch.slice(offset, offset + embeds.length);
        offset += embeds.length;
        try {
          await this.post(channelId, embeds);
          for (const entry of entries) entry.resolve();
        } catch (error) {
          for (const entry of entries) entry.reject(error);
        }
      }
    } finally {
      this.#scheduled.delete(channelId);
      // Events that arrived during the post go out in the next message.
      if (this.#pending.has(channelId)) this.#schedule(channelId);
    }
  }

  close(): void {
    this.#closed = true;
  }
}
