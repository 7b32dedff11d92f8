import { z } from 'zod';
import type { GuildConfig } from './guild-config.js';

/**
 * Job contracts. Every payload is JSON (snowflakes as strings, dates as ISO strings),
 * carries a version `v`, and is validated by producer and consumer. A changed shape
 * gets a new version or a new job name.
 */

export const snowflake = z.string().regex(/^\d{17,20}$/);

/** What a worker needs to finish an interaction the gateway already acknowledged. */
export const interactionContextSchema = z.object({
  applicationId: snowflake,
  interactionId: snowflake,
  /** Interaction token: a credential for 15 minutes. Never log it. */
  token: z.string().min(1),
  guildId: snowflake,
  channelId: snowflake,
  /** When the gateway received the interaction (ISO), for the token's 15-minute life. */
  receivedAt: z.iso.datetime(),
  member: z.object({
    userId: snowflake,
    roles: z.array(snowflake),
    /** Member's computed permissions in the channel, as Discord sends them (decimal string). */
    permissions: z.string().regex(/^\d+$/),
  }),
  /** The member's Discord language (`locale`): their own answers are written in it. */
  locale: z.string().max(16).optional(),
  /** The server's Discord language (`guild_locale`): what the whole channel sees, unless an admin chose one. */
  guildLocale: z.string().max(16).optional(),
});
export type InteractionContext = z.infer<typeof interactionContextSchema>;

const optionValue = z.union([z.string(), z.number(), z.boolean()]);

/** A slash command reduced to its path and flat options (resolved ids as strings). */
export const commandInputSchema = z.object({
  /** e.g. ['config', 'type', 'add'] */
  path: z.array(z.string()).min(1).max(3),
  options: z.record(z.string(), optionValue),
  /** Resolved objects Discord sent along (channels: type and parent; attachments: url). */
  resolved: z
    .object({
      channels: z.record(z.string(), z.object({ type: z.number(), parentId: z.string().nullable().optional(), name: z.string().optional() })).optional(),
      roles: z.record(z.string(), z.object({ name: z.string(), managed: z.boolean().optional() })).optional(),
      attachments: z.record(z.string(), z.object({ url: z.string(), filename: z.string(), size: z.number() })).optional(),
      users: z
        .record(
          z.string(),
          /** A guild member's roles and permissions come with the user when Discord resolved them. */
          z.object({ bot: z.boolean().optional(), roles: z.array(z.string()).optional(), permissions: z.string().optional() }),
        )
        .optional(),
    })
    .default({}),
});
export type CommandInput = z.infer<typeof commandInputSchema>;

const ctx = interactionContextSchema;
const ticketRef = z.object({ ticketNumber: z.number().int().positive().optional() });

export const ticketPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof ticketPriorities)[number];
const formAnswers = z.array(z.object({ question: z.string(), answer: z.string() })).max(5);

/** Job id of a ticket's pending auto-close check: one per ticket and quiet window ('open': counted from the open). */
export function autoCloseJobId(guildId: string, ticketNumber: number, window = 'open'): string {
  return `auto-close-${guildId}-${ticketNumber}-${window}`;
}

/** Job id of an archived ticket's deletion, one per archiving (a reopened and again archived ticket gets a new one). */
export function archiveDeleteJobId(guildId: string, ticketNumber: number, archivedAt: string): string {
  return `archive-delete-${guildId}-${ticketNumber}-${Date.parse(archivedAt)}`;
}

/** Jobs of the `tickets` queue, keyed by job name. */
export const ticketJobSchemas = {
  'ticket.open': z.object({
    v: z.literal(1),
    ctx,
    typeName: z.string(),
    answers: formAnswers.default([]),
    /** Set when the gateway found the type outside its support hours (mode notice): when they resume. */
    afterHours: z.object({ opensAt: z.iso.datetime().nullable() }).optional(),
  }),
  'ticket.claim': z.object({ v: z.literal(1), ctx }).merge(ticketRef),
  'ticket.unclaim': z.object({ v: z.literal(1), ctx }).merge(ticketRef),
  'ticket.close': z.object({ v: z.literal(1), ctx, reason: z.string().max(1000).optional() }).merge(ticketRef),
  'ticket.close-request': z.object({ v: z.literal(1), ctx, reason: z.string().max(1000).optional() }).merge(ticketRef),
  'ticket.member-add': z.object({ v: z.literal(1), ctx, userId: snowflake }),
  'ticket.member-remove': z.object({ v: z.literal(1), ctx, userId: snowflake }),
  'ticket.rename': z.object({ v: z.literal(1), ctx, name: z.string() }),
  /** `/tag name`: post the tag in the ticket channel. */
  'ticket.tag': z.object({ v: z.literal(1), ctx, name: z.string().max(100) }),
  /** `/ticket move type`: another type's category, staff and limit. */
  'ticket.move': z.object({ v: z.literal(1), ctx, typeName: z.string().max(100) }),
  'ticket.topic': z.object({ v: z.literal(1), ctx, text: z.string().max(1024) }),
  'ticket.priority': z.object({ v: z.literal(1), ctx, priority: z.enum(ticketPriorities) }),
  /** `/ticket transfer member`: the claim goes to another staff member; `member` is what Discord resolved of them. */
  'ticket.transfer': z.object({
    v: z.literal(1),
    ctx,
    userId: snowflake,
    member: z.object({ roles: z.array(snowflake), permissions: z.string().regex(/^\d+$/), bot: z.boolean() }).nullable(),
  }),
  'panel.send': z.object({ v: z.literal(1), ctx, command: commandInputSchema }),
  /** Staff buttons on an archived ticket: reopen it, get its transcript, delete its channel now. */
  'ticket.reopen': z.object({ v: z.literal(1), ctx }).merge(ticketRef),
  'ticket.transcript': z.object({ v: z.literal(1), ctx }).merge(ticketRef),
  'ticket.delete': z.object({ v: z.literal(1), ctx }).merge(ticketRef),
  /** Delayed: delete an archived ticket's channel once its type's archive days are over. */
  'ticket.archive-delete': z.object({ v: z.literal(1), guildId: snowflake, ticketNumber: z.number().int().positive() }),
  /** Delayed check: close the ticket if its channel saw no message for the type's auto-close hours. */
  'ticket.auto-close': z.object({ v: z.literal(1), guildId: snowflake, ticketNumber: z.number().int().positive() }),
  /**
   * From config-service: an open's outcome named a channel (or thread) whose ticket record no
   * longer exists (the server's data was purged while the ticket opened); delete it.
   */
  'ticket.discard-channel': z.object({ v: z.literal(1), guildId: snowflake, channelId: snowflake }),
} as const;
export type TicketJobName = keyof typeof ticketJobSchemas;
export type TicketJob<N extends TicketJobName> = z.infer<(typeof ticketJobSchemas)[N]>;

/** A ticket as config-service records it. */
export const ticketRecordSchema = z.object({
  id: z.number().int(),
  guildId: snowflake,
  number: z.number().int().positive(),
  typeName: z.string(),
  creatorId: snowflake.nullable(),
  channelId: snowflake.nullable(),
  status: z.enum(['opening', 'open', 'closed']),
  claimedBy: snowflake.nullable(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  closedBy: snowflake.nullable(),
  closeReason: z.string().nullable(),
  /** Saga progress of an open: which steps are done. */
  welcomeMessageId: snowflake.nullable(),
  openingInteractionId: z.string().nullable(),
  priority: z.enum(ticketPriorities).default('normal'),
  /** When someone other than its member and the bot first wrote in the channel (recorded at close), or null. */
  firstReplyAt: z.string().nullable().default(null),
  /** The ticket lives in a private thread (channelId is the thread), not a channel of its own. */
  thread: z.boolean().default(false),
  /** When a closed ticket's channel was archived (kept, member out); null once it is deleted or for a ticket never archived. */
  archivedAt: z.string().nullable().default(null),
  /** When staff last reopened the ticket (Reopen); auto-close counts quiet hours from it. Null for a ticket never reopened. */
  reopenedAt: z.string().nullable().default(null),
});
export type TicketRecord = z.infer<typeof ticketRecordSchema>;

/** Jobs of the `config` queue (config-service), keyed by job name. */
export const configJobSchemas = {
  /** An admin command (/config …, /privacy …); config-service answers the interaction. */
  'config.command': z.object({ v: z.literal(1), ctx, command: commandInputSchema }),
  /** Request/reply: reserve the next number for an open, enforcing the per-user limit. */
  'ticket.reserve': z.object({ v: z.literal(1), guildId: snowflake, typeName: z.string(), creatorId: snowflake, interactionId: z.string() }),
  /**
   * Event, the one an open ends with: what Discord now holds for the reserved ticket. The
   * open's steps before it are recorded in the ticket-worker job's own progress. Applying it
   * twice changes nothing; a closed ticket stays closed; when the record is gone (purged
   * while the ticket opened) config-service publishes `ticket.discard-channel`.
   */
  'ticket.open-result': z.discriminatedUnion('status', [
    z.object({
      v: z.literal(1),
      guildId: snowflake,
      ticketId: z.number().int(),
      status: z.literal('open'),
      channelId: snowflake,
      welcomeMessageId: snowflake,
      thread: z.boolean(),
    }),
    /** Discord refused a step for good: the number goes back to the member's limit (channelId: what was created before the refusal). */
    z.object({
      v: z.literal(1),
      guildId: snowflake,
      ticketId: z.number().int(),
      status: z.literal('closed'),
      channelId: snowflake.nullable(),
      thread: z.boolean(),
      closedAt: z.iso.datetime(),
      closeReason: z.string().max(200),
    }),
  ]),
  /** Request/reply: change a ticket's record (claim, close, priority, archive…); null when it no longer exists. */
  'ticket.update': z.object({
    v: z.literal(1),
    guildId: snowflake,
    ticketId: z.number().int(),
    set: z.object({
      channelId: snowflake.optional(),
      welcomeMessageId: snowflake.optional(),
      status: z.enum(['open', 'closed']).optional(),
      claimedBy: snowflake.nullable().optional(),
      closedBy: snowflake.optional(),
      closeReason: z.string().nullable().optional(),
      closedAt: z.string().optional(),
      priority: z.enum(ticketPriorities).optional(),
      firstReplyAt: z.iso.datetime().optional(),
      thread: z.boolean().optional(),
      archivedAt: z.iso.datetime().nullable().optional(),
    }),
  }),
  /**
   * Request/reply: reopen an archived ticket (status open, close fields and archive cleared),
   * atomically checking its member's open-ticket limit of its type as an open does; `check`
   * only checks (nothing written), so a worker can refuse before it moves the channel.
   */
  'ticket.reopen-record': z.object({ v: z.literal(1), guildId: snowflake, ticketId: z.number().int(), check: z.boolean().default(false) }),
  /**
   * Request/reply: move a ticket to another type, atomically checking the creator's limit
   * of that type (`force` skips it: undoing a move Discord refused); the claim is released.
   */
  'ticket.change-type': z.object({ v: z.literal(1), guildId: snowflake, ticketId: z.number().int(), typeName: z.string(), force: z.boolean().default(false) }),
  /** Request/reply: find a ticket by number or by channel. */
  'ticket.get': z.object({ v: z.literal(1), guildId: snowflake, number: z.number().int().optional(), channelId: snowflake.optional() }),
  /** A ticket channel was deleted by hand. */
  'ticket.channel-deleted': z.object({ v: z.literal(1), guildId: snowflake, channelId: snowflake }),
  /** log-worker could not post to the log channel (or can again: problem null); /config show tells the admin. */
  'guild.log-problem': z.object({ v: z.literal(1), guildId: snowflake, problem: z.string().max(300).nullable() }),
  'guild.joined': z.object({ v: z.literal(1), guildId: snowflake, memberCount: z.number().int().nonnegative() }),
  'guild.left': z.object({ v: z.literal(1), guildId: snowflake }),
  'guild.purge': z.object({ v: z.literal(1), guildId: snowflake }),
  /** Request/reply: the signed one-time offer a closed ticket's member may rate with (null: feedback off or ticket gone). */
  'feedback.offer': z.object({ v: z.literal(1), guildId: snowflake, ticketNumber: z.number().int().positive() }),
  /**
   * A rating from the DM a member got (outside any guild, so no ctx): the signed offer, the
   * rating and an optional comment. Who rated is not part of it.
   */
  'feedback.rate': z.object({
    v: z.literal(1),
    applicationId: snowflake,
    interactionId: snowflake,
    /** Interaction token: a credential for 15 minutes. Never log it. */
    token: z.string().min(1),
    receivedAt: z.iso.datetime(),
    offer: z.string().min(1).max(90),
    rating: z.number().int().min(1).max(5),
    comment: z.string().max(1000).optional(),
    /** The member's Discord language (`locale`): the answer is written in it (older jobs without it: English). */
    locale: z.string().max(16).optional(),
  }),
  /** Request/reply: the projection was missing from Redis; config-service publishes it and returns it. */
  'guild.projection': z.object({ v: z.literal(1), guildId: snowflake }),
} as const;
export type ConfigJobName = keyof typeof configJobSchemas;
export type ConfigJob<N extends ConfigJobName> = z.infer<(typeof configJobSchemas)[N]>;

/** What an open's result changes in its ticket's record (the fields of a `ticket.update`). */
export function openResultChanges(result: ConfigJob<'ticket.open-result'>): ConfigJob<'ticket.update'>['set'] {
  const { status, channelId, thread } = result;
  return result.status === 'open'
    ? { status, channelId: result.channelId, welcomeMessageId: result.welcomeMessageId, thread }
    : { status, closedAt: result.closedAt, closeReason: result.closeReason, thread, ...(channelId ? { channelId } : {}) };
}

/** Replies of config-service's request/reply jobs. */
export type ReserveReply =
  | { ok: true; ticket: TicketRecord }
  | { ok: false; reason: 'unknown-type' }
  | { ok: false; reason: 'limit'; limit: number; open: { number: number; channelId: string | null }[] }
  /** The member opened a ticket less than the open cooldown ago. */
  | { ok: false; reason: 'cooldown'; retryAfterMs: number };

export type ReopenReply =
  | { ok: true; ticket: TicketRecord }
  | { ok: false; reason: 'not-archived' }
  | { ok: false; reason: 'limit'; limit: number; open: { number: number; channelId: string | null }[] };

export type MoveReply =
  | { ok: true; ticket: TicketRecord }
  | { ok: false; reason: 'unknown-type' | 'gone' }
  | { ok: false; reason: 'limit'; limit: number; open: { number: number; channelId: string | null }[] };

export const logEventKinds = [
  'ticket.opened',
  'ticket.claimed',
  'ticket.unclaimed',
  'ticket.member-added',
  'ticket.member-removed',
  'ticket.renamed',
  'ticket.moved',
  'ticket.transferred',
  'ticket.priority-changed',
  'ticket.topic-changed',
  'ticket.close-requested',
  'ticket.closed',
  'ticket.deleted-by-hand',
  'ticket.auto-closed',
  'ticket.reopened',
  'ticket.deleted',
  'ticket.archive-expired',
  'ticket.feedback',
  'config.changed',
  'privacy.export',
  'privacy.delete',
] as const;

/** Jobs of the `logs` queue. */
export const logJobSchemas = {
  'log.event': z.object({
    v: z.literal(1),
    guildId: snowflake,
    kind: z.enum(logEventKinds),
    at: z.iso.datetime(),
    ticketNumber: z.number().int().optional(),
    channelId: snowflake.optional(),
    actorId: snowflake.optional(),
    subjectId: snowflake.optional(),
    typeName: z.string().optional(),
    reason: z.string().optional(),
    detail: z.string().max(1024).optional(),
    durationMs: z.number().optional(),
    /**
     * The transcript of a close, by reference only: ticket-worker posted its files to the
     * log channel itself (or could not, `missing` says why). Never its content.
     */
    transcript: z
      .object({
        /** The log channel's message holding the files. */
        channelId: z.string().max(32).optional(),
        messageId: z.string().max(32).optional(),
        files: z.array(z.object({ name: z.string().max(100), size: z.number().int().nonnegative() })).max(10),
        /** Messages the transcript holds, and whether older ones were left out to stay within its limits. */
        messages: z.number().int().nonnegative(),
        truncated: z.boolean(),
        /** `too-large`: Discord refused the files (40005); `refused`: the bot may not post files in the log channel. */
        missing: z.enum(['too-large', 'refused']).optional(),
      })
      .optional(),
    /** The server's language as the producer knew it (an interaction's guild_locale); the admin's choice wins. */
    locale: z.string().max(16).optional(),
  }),
} as const;
export type LogJobName = keyof typeof logJobSchemas;
export type LogJob<N extends LogJobName> = z.infer<(typeof logJobSchemas)[N]>;

/** Every job schema, keyed by job name (names are unique across queues). */
export const jobSchemas = { ...ticketJobSchemas, ...configJobSchemas, ...logJobSchemas } as const;
export type AnyJobName = keyof typeof jobSchemas;
export type JobData<N extends AnyJobName> = z.infer<(typeof jobSchemas)[N]>;

/** The queue each job name belongs to. */
export function queueOfJob(name: AnyJobName): 'tickets' | 'config' | 'logs' {
  if (name in ticketJobSchemas) return 'tickets';
  if (name in configJobSchemas) return 'config';
  return 'logs';
}

/**
 * What config-service answers, keyed by job name: a request's reply type follows from
 * its name (`ConfigClient.request`), and config-service's handler table must return it.
 */
export interface ConfigReplies {
  'ticket.reserve': ReserveReply;
  /** null when the ticket no longer exists (purged). */
  'ticket.update': TicketRecord | null;
  'ticket.open-result': void;
  'ticket.get': TicketRecord | null;
  'ticket.change-type': MoveReply;
  'ticket.reopen-record': ReopenReply;
  'ticket.channel-deleted': TicketRecord | null;
  'guild.projection': GuildConfig;
  'guild.joined': void;
  'guild.left': void;
  'guild.purge': { purged: boolean };
  'guild.log-problem': void;
  'config.command': { answered: boolean };
  'feedback.offer': FeedbackOffer | null;
  'feedback.rate': { answered: boolean };
}

/** A signed, one-time feedback offer: the rating buttons carry `offer`, valid until `expiresAt`. */
export interface FeedbackOffer {
  offer: string;
  expiresAt: string;
}
export type ConfigRequestName =
  'ticket.reserve' | 'ticket.update' | 'ticket.get' | 'ticket.change-type' | 'ticket.reopen-record' | 'guild.projection' | 'feedback.offer';

export class InvalidJobError extends Error {
  override name = 'InvalidJobError';
}

/** Validates a job's data against the schema of its name; throws InvalidJobError otherwise. */
export function parseJob<S extends Record<string, z.ZodType>, N extends keyof S & string>(schemas: S, name: string, data: unknown): z.infer<S[N]> {
  const schema = schemas[name];
  if (!schema) throw new InvalidJobError(`unknown job name ${name}`);
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new InvalidJobError(`invalid ${name} job: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data as z.infer<S[N]>;
}
