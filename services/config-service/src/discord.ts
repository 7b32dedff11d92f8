import type { RawFile } from '@discordjs/rest';
import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord-api-types/v10';
import { computePermissions, type PermissionOverwrite } from '@promton/shared/domain';
import { type Config } from '@promton/shared/contracts';
import { createDiscordClients, type GlobalRequestBudget, type Metrics } from '@promton/shared/runtime';

export interface AnswerFile {
  name: string;
  data: Buffer;
}

/** The edit of a deferred interaction response. */
export interface Answer {
  content: string;
  embeds?: APIEmbed[];
  files?: AnswerFile[];
  /** Buttons under the answer (none when absent). */
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

export interface ChannelInfo {
  id: string;
  type: number;
  guildId: string | null;
  overwrites: PermissionOverwrite[];
}

export interface RoleInfo {
  id: string;
  managed: boolean;
  permissions: string;
}

/** The few Discord calls config-service makes; tests inject a fake or point the REST at a local server. */
export interface DiscordApi {
  editOriginal(applicationId: string, token: string, answer: Answer): Promise<void>;
  /** null when Discord answers 404 (unknown channel). */
  getChannel(channelId: string): Promise<ChannelInfo | null>;
  getRoles(guildId: string): Promise<RoleInfo[]>;
  /** The bot's own permissions in a channel, from the guild's roles, its member roles and the channel's overwrites. */
  botPermissionsIn(guildId: string, channel: ChannelInfo): Promise<bigint>;
  /** Whether the guild has this custom emoji (Discord answers 404 Unknown Emoji otherwise). */
  hasEmoji(guildId: string, emojiId: string): Promise<boolean>;
  /** Downloads an attachment (Discord's CDN URL); at most maxBytes. */
  download(url: string, maxBytes: number): Promise<string>;
  /** The application's flags (GET /applications/@me): which privileged intents the developer portal grants. */
  applicationFlags(): Promise<number>;
}

export class DownloadTooLargeError extends Error {
  override name = 'DownloadTooLargeError';
}

/** Over shared's clients: webhook edits on the interactions client (outside the global limit), the rest as the bot. */
export function createDiscordApi(config: Config, metrics?: Metrics, budget?: GlobalRequestBudget): DiscordApi {
  const discord = createDiscordClients(config, { ...(metrics ? { metrics } : {}), ...(budget ? { budget } : {}) });
  let botUserId: string | undefined;
  return {
    async editOriginal(applicationId, token, answer) {
      // components: [] takes the confirm button off when the original was a prompt (privacy delete).
      const files: RawFile[] = (answer.files ?? []).map((file) => ({ name: file.name, data: file.data, contentType: 'application/json' }));
      await discord.interactions.webhooks.editMessage(applicationId, token, '@original', {
        content: answer.content,
        embeds: answer.embeds ?? [],
        components: answer.components ?? [],
        allowed_mentions: { parse: [] },
        ...(files.length ? { files, attachments: files.map((file, id) => ({ id, filename: file.name })) } : {}),
      });
    },
    async getChannel(channelId) {
      try {
        const channel = await discord.api.channels.get(channelId);
        const overwrites = 'permission_overwrites' in channel ? (channel.permission_overwrites ?? []) : [];
        return {
          id: channel.id,
          type: channel.type,
          guildId: 'guild_id' in channel ? (channel.guild_id ?? null) : null,
          overwrites: overwrites.map((o) => ({ id: o.id, type: o.type as 0 | 1, allow: String(o.allow), deny: String(o.deny) })),
        };
      } catch (error) {
        if ((error as { status?: number }).status === 404) return null;
        throw error;
      }
    },
    async getRoles(guildId) {
      const roles = await discord.api.guilds.getRoles(guildId);
      return roles.map((role) => ({ id: role.id, managed: role.managed ?? false, permissions: role.permissions }));
    },
    async botPermissionsIn(guildId, channel) {
      botUserId ??= (await discord.api.users.getCurrent()).id;
      const [roles, member] = await Promise.all([discord.api.guilds.getRoles(guildId), discord.api.guilds.getMember(guildId, botUserId)]);
      return computePermissions({ guildId, ownerId: '', userId: botUserId, memberRoleIds: member.roles, roles, overwrites: channel.overwrites });
    },
    async hasEmoji(guildId, emojiId) {
      try {
        await discord.api.guilds.getEmoji(guildId, emojiId);
        return true;
      } catch (error) {
        if ((error as { status?: number }).status === 404) return false;
        throw error;
      }
    },
    async applicationFlags() {
      return (await discord.api.applications.getCurrent()).flags ?? 0;
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
