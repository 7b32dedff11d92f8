import { z } from 'zod';
import { snowflake } from './jobs.js';

/** Discord and product limits the configuration is validated against. */
export const ConfigLimits = {
  maxTypes: 5,
  typeName: /^[a-z0-9-]{1,32}$/,
  label: 80,
  description: 100,
  welcomeMessage: 4000,
  perUserLimitMin: 1,
  perUserLimitMax: 10,
  maxQuestions: 5,
  question: 45,
  authorName: 256,
  url: 2048,
  footer: 2048,
  title: 256,
  maxTags: 50,
  /** Tags are posted as a message's content: Discord's 2,000 characters. */
  tagContent: 2000,
  /** Members and roles together; each is a snowflake in the projection the gateway reads. */
  maxBlocked: 250,
  /** A channel topic is at most 1,024; the priority mark (`🔴 Urgent · `) takes the rest. */
  topic: 1000,
  /** Days an archived ticket channel is kept before it is deleted (Discord counts it against 50 per category and 500 per server). */
  archiveDaysMin: 1,
  archiveDaysMax: 90,
  archiveDaysDefault: 7,
} as const;

/** What closing a ticket does to its channel: delete it, or archive it (member out, moved to an archive category, staff buttons). */
export const closeModes = ['delete', 'archive'] as const;
export type CloseMode = (typeof closeModes)[number];

/** A canned reply staff post with `/tag name`; names follow the type name rules. */
export const tagSchema = z.object({
  name: z.string().regex(ConfigLimits.typeName),
  content: z.string().min(1).max(ConfigLimits.tagContent),
});
export type Tag = z.infer<typeof tagSchema>;

/** Members and roles whose members may not open tickets on the server. */
export const blocklistSchema = z.object({
  userIds: z.array(snowflake),
  roleIds: z.array(snowflake),
});
export type Blocklist = z.infer<typeof blocklistSchema>;

/** True when the member, or one of their roles, is on the server's blocklist. */
export function isBlocked(blocklist: Blocklist, member: { userId: string; roles: readonly string[] }): boolean {
  return blocklist.userIds.includes(member.userId) || member.roles.some((roleId) => blocklist.roleIds.includes(roleId));
}
/** Support hours of a type: a weekly schedule (canonical text, see parseSchedule) in an IANA zone. */
export const supportHoursSchema = z.object({
  timeZone: z.string().min(1).max(64),
  schedule: z.string().min(1).max(200),
  /** Outside the hours: `notice` opens with a notice in the answer and the welcome; `refuse` refuses the open. */
  mode: z.enum(['notice', 'refuse']),
});
export type SupportHours = z.infer<typeof supportHoursSchema>;

export const ticketTypeSchema = z.object({
  name: z.string().regex(ConfigLimits.typeName),
  label: z.string().min(1).max(ConfigLimits.label),
  description: z.string().max(ConfigLimits.description).nullable(),
  emoji: z.string().nullable(),
  categoryId: snowflake.nullable(),
  staffRoleIds: z.array(snowflake),
  welcomeMessage: z.string().max(ConfigLimits.welcomeMessage).nullable(),
  perUserLimit: z.number().int().min(ConfigLimits.perUserLimitMin).max(ConfigLimits.perUserLimitMax),
  questions: z.array(z.string().min(1).max(ConfigLimits.question)).max(ConfigLimits.maxQuestions).default([]),
  /** Close a ticket after this many hours without messages; null keeps it open. */
  autoCloseHours: z.number().int().positive().nullable().default(null),
  /** Support hours; null: always open. */
  hours: supportHoursSchema.nullable().default(null),
  /** Tickets as private threads in this text channel; null: a channel per ticket. */
  threadChannelId: snowflake.nullable().default(null),
  /** Closing deletes the channel (`delete`) or archives it (`archive`). */
  closeMode: z.enum(closeModes).default('delete'),
  /** The category archived channels move to (archive mode); null keeps them where they are. */
  archiveCategoryId: snowflake.nullable().default(null),
  /** Days an archived channel is kept before it is deleted. */
  archiveDays: z.number().int().min(ConfigLimits.archiveDaysMin).max(ConfigLimits.archiveDaysMax).default(ConfigLimits.archiveDaysDefault),
});
export type TicketType = z.infer<typeof ticketTypeSchema>;

export const embedCustomizationSchema = z.object({
  titlePrefix: z.string().nullable(),
  authorName: z.string().max(ConfigLimits.authorName).nullable(),
  authorIconUrl: z.string().max(ConfigLimits.url).nullable(),
  bannerUrl: z.string().max(ConfigLimits.url).nullable(),
  /** 0xRRGGBB as a number. */
  color: z.number().int().min(0).max(0xffffff).nullable(),
  footerText: z.string().max(ConfigLimits.footer).nullable(),
});
export type EmbedCustomization = z.infer<typeof embedCustomizationSchema>;

export const emptyEmbedCustomization: EmbedCustomization = {
  titlePrefix: null,
  authorName: null,
  authorIconUrl: null,
  bannerUrl: null,
  color: null,
  footerText: null,
};

/** The guild's whole configuration: the JSON stored under the projection key. */
export const guildConfigSchema = z.object({
  v: z.literal(1),
  guildId: snowflake,
  logChannelId: snowflake.nullable(),
  /** Why the last log post failed (shown by /config show), or null. */
  logChannelProblem: z.string().nullable().default(null),
  transcripts: z.boolean().default(false),
  /** Offer the member who opened a ticket a 1–5 rating by DM when it closes. */
  feedback: z.boolean().default(false),
  /** Send the member who opened a ticket its transcript by DM when it closes. */
  transcriptDm: z.boolean().default(false),
  /** The server language an admin chose (/config language set), a Discord locale; null follows Discord's guild_locale. */
  language: z.string().nullable().default(null),
  embed: embedCustomizationSchema,
  types: z.array(ticketTypeSchema).max(ConfigLimits.maxTypes),
  tags: z.array(tagSchema).max(ConfigLimits.maxTags).default([]),
  blocklist: blocklistSchema.default({ userIds: [], roleIds: [] }),
  updatedAt: z.string(),
});
export type GuildConfig = z.infer<typeof guildConfigSchema>;

export function defaultGuildConfig(guildId: string, now = new Date()): GuildConfig {
  return {
    v: 1,
    guildId,
    logChannelId: null,
    logChannelProblem: null,
    transcripts: false,
    feedback: false,
    transcriptDm: false,
    language: null,
    embed: { ...emptyEmbedCustomization },
    types: [],
    tags: [],
    blocklist: { userIds: [], roleIds: [] },
    updatedAt: now.toISOString(),
  };
}
