import { DiscordAPIError, type RawFile } from '@discordjs/rest';
import { RESTJSONErrorCodes, type APIEmbed } from 'discord-api-types/v10';
import { discordCode } from '@promton/shared/domain';

/** The name the log channel's webhook gets (Discord refuses names containing "discord" or "clyde"). */
export const LOG_WEBHOOK_NAME = 'PROMTON-TICKETS log';

export interface WebhookRef {
  id: string;
  token: string;
}

export interface LogMessage {
  embeds: APIEmbed[];
  files?: RawFile[];
}

/** The three Discord calls: two with the bot's token (rare), the execution without it (every log post). */
export interface WebhookCalls {
  /** GET /channels/:id/webhooks: Discord shows a webhook's token only to the application that created it. */
  list(channelId: string): Promise<{ id: string; token?: string | undefined; application_id: string | null }[]>;
  /** POST /channels/:id/webhooks. */
  create(channelId: string, name: string): Promise<{ id: string; token?: string | undefined }>;
  /** POST /webhooks/:id/:token. */
  execute(webhook: WebhookRef, message: LogMessage): Promise<void>;
}

/** The webhook was deleted again right after it was made: the event is dropped rather than retried in a loop. */
export class WebhookGoneError extends Error {
  override name = 'WebhookGoneError';
}

const isUnknownWebhook = (error: unknown) =>
  discordCode(error) === RESTJSONErrorCodes.UnknownWebhook || (error instanceof DiscordAPIError && error.status === 404);

/**
 * Posts log lines through a webhook of the log channel. The webhook is looked up with the
 * bot's token once per channel per process (ours is the one whose token Discord shows us),
 * created when there is none, and kept only in this process's memory: its token is a
 * credential, so it is written nowhere (not Redis, not the database). A webhook deleted
 * meanwhile (10015) is found or created once more and the post tried once more.
 */
export class LogWebhooks {
  readonly #byChannel = new Map<string, { promise: Promise<WebhookRef>; ref?: WebhookRef }>();

  constructor(
    private readonly calls: WebhookCalls,
    private readonly applicationId: string,
  ) {}

  async post(channelId: string, message: LogMessage): Promise<void> {
    const webhook = await this.#webhook(channelId);
    try {
      await this.calls.execute(webhook, message);
      return;
    } catch (error) {
      if (!isUnknownWebhook(error)) throw error;
      this.#forget(channelId, webhook);
    }
    const fresh = await this.#webhook(channelId);
    try {
      await this.calls.execute(fresh, message);
    } catch (error) {
      if (!isUnknownWebhook(error)) throw error;
      this.#forget(channelId, fresh);
      throw new WebhookGoneError('the log channel webhook was deleted again right after it was recreated');
    }
  }

  /** One lookup per channel however many posts wait for it. */
  #webhook(channelId: string): Promise<WebhookRef> {
    const known = this.#byChannel.get(channelId);
    if (known) return known.promise;
    const entry: { promise: Promise<WebhookRef>; ref?: WebhookRef } = { promise: this.#findOrCreate(channelId) };
    this.#byChannel.set(channelId, entry);
    entry.promise.then(
      (ref) => void (entry.ref = ref),
      () => void (this.#byChannel.get(channelId) === entry && this.#byChannel.delete(channelId)),
    );
    return entry.promise;
  }

  /** Drops a webhook that Discord no longer knows, unless another post already replaced it. */
  #forget(channelId: string, webhook: WebhookRef): void {
    if (this.#byChannel.get(channelId)?.ref?.id === webhook.id) this.#byChannel.delete(channelId);
  }

  async #findOrCreate(channelId: string): Promise<WebhookRef> {
    const ours = (await this.calls.list(channelId)).find((w) => w.application_id === this.applicationId && w.token);
    if (ours?.token) return { id: ours.id, token: ours.token };
    const created = await this.calls.create(channelId, LOG_WEBHOOK_NAME);
    if (!created.token) throw new Error('Discord answered the new webhook without its token');
    return { id: created.id, token: created.token };
  }
}
