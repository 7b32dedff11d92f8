import { REST, type RawFile } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import type { ApiEmbed, Config } from '@promton/shared';

export interface AnswerFile {
  name: string;
  data: Buffer;
}

/** The edit of a deferred interaction response. */
export interface Answer {
  content: string;
  embeds?: ApiEmbed[];
  files?: AnswerFile[];
}

export interface ChannelInfo {
  id: string;
  type: number;
  guildId: string | null;
}

export interface RoleInfo {
  id: string;
  managed: boolean;
}

/** The few Discord calls config-service makes; tests inject a fake or point the REST at a local server. */
export interface DiscordApi {
  editOriginal(applicationId: string, token: string, answer: Answer): Promise<void>;
  /** null when Discord answers 404 (unknown channel). */
  getChannel(channelId: string): Promise<ChannelInfo | null>;
  getRoles(guildId: string): Promise<RoleInfo[]>;
  /** Downloads an attachment (Discord's CDN URL); at most maxBytes. */
  download(url: string, maxBytes: number): Promise<string>;
}

export class DownloadTooLargeError extends Error {
  override name = 'DownloadTooLargeError';
}

export function createDiscordApi(config: Config): DiscordApi {
  const rest = new REST({ version: '10', api: config.discordApiUrl }).setToken(config.discordToken);
  return {
    async editOriginal(applicationId, token, answer) {
      // components: [] takes the confirm button off when the original was a prompt (privacy delete).
      const body: Record<string, unknown> = { content: answer.content, embeds: answer.embeds ?? [], components: [], allowed_mentions: { parse: [] } };
      const files: RawFile[] = (answer.files ?? []).map((file) => ({ name: file.name, data: file.data, contentType: 'application/json' }));
      if (files.length) body.attachments = files.map((file, id) => ({ id, filename: file.name }));
      await rest.patch(Routes.webhookMessage(applicationId, token), { body, files: files.length ? files : undefined, auth: false });
    },
    async getChannel(channelId) {
      try {
        const channel = (await rest.get(Routes.channel(channelId))) as { id: string; type: number; guild_id?: string };
        return { id: channel.id, type: channel.type, guildId: channel.guild_id ?? null };
      } catch (error) {
        if ((error as { status?: number }).status === 404) return null;
        throw error;
      }
    },
    async getRoles(guildId) {
      const roles = (await rest.get(Routes.guildRoles(guildId))) as { id: string; managed?: boolean }[];
      return roles.map((role) => ({ id: role.id, managed: role.managed ?? false }));
    },
    async download(url, maxBytes) {
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`attachment download answered ${response.status}`);
      const buffer = Buffer.from(await response.arrayBuffer());
      if (buffer.byteLength > maxBytes) throw new DownloadTooLargeError(`attachment larger than ${maxBytes} bytes`);
      return buffer.toString('utf8');
    },
  };
}
