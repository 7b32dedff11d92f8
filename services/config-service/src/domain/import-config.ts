import { z } from 'zod';
import { ConfigLimits, snowflake, type Blocklist, type EmbedCustomization, type GuildConfig, type Tag, type TicketType } from '@promton/shared/contracts';
import { checkBlocklist } from './blocklist-commands.js';
import { checkTagList, validateTagContent, validateTagName } from './tag-commands.js';
import {
  checkCloseMode,
  checkTypeList,
  validateArchiveDays,
  validateAutoClose,
  validateDescription,
  validateEmbedCustomization,
  validateEmoji,
  validateHours,
  validateLabel,
  validatePerUserLimit,
  validateQuestion,
  validateStaffRole,
  validateTypeName,
  validateWelcomeMessage,
} from './config-rules.js';
import { isSupportedLocale, msg } from '@promton/shared/domain';
import { accept, refuse, type Result } from './result.js';

/** The exported configuration: the projection without guild id and volatile fields. */
export interface ConfigExport {
  v: 1;
  logChannelId: string | null;
  transcripts: boolean;
  feedback: boolean;
  transcriptDm: boolean;
  /** The server language an admin chose (a Discord locale), or null to follow Discord's. */
  language: string | null;
  embed: EmbedCustomization;
  types: TicketType[];
  tags: Tag[];
  blocklist: Blocklist;
}

export function toExport(config: GuildConfig): ConfigExport {
  return {
    v: 1,
    logChannelId: config.logChannelId,
    transcripts: config.transcripts,
    feedback: config.feedback,
    transcriptDm: config.transcriptDm,
    language: config.language,
    embed: config.embed,
    types: config.types,
    tags: config.tags,
    blocklist: config.blocklist,
  };
}

// Structure only: lengths and formats are checked by the same rules as the commands,
// so a refusal names the field and its limit.
const text = z.string().nullable().default(null);
const importedType = z.object({
  name: z.string(),
  label: z.string(),
  description: text,
  emoji: text,
  categoryId: snowflake.nullable().default(null),
  staffRoleIds: z.array(snowflake).default([]),
  welcomeMessage: text,
  perUserLimit: z.number().default(1),
  questions: z.array(z.string()).default([]),
  // Range checked by validateAutoClose so the refusal names the field; 0 means never, as in the command.
  autoCloseHours: z.number().nullable().default(null),
  // Checked by validateHours (zone, schedule, mode) so the refusal names what is wrong.
  hours: z.object({ timeZone: z.string(), schedule: z.string(), mode: z.string() }).nullable().default(null),
  // Files exported before thread tickets have none: a channel per ticket.
  threadChannelId: snowflake.nullable().default(null),
  // Files exported before the close mode existed delete on close, as then.
  closeMode: z.string().default('delete'),
  archiveCategoryId: snowflake.nullable().default(null),
  archiveDays: z.number().default(ConfigLimits.archiveDaysDefault),
});
const exportSchema = z.object({
  v: z.literal(1),
  logChannelId: snowflake.nullable().default(null),
  transcripts: z.boolean().default(false),
  feedback: z.boolean().default(false),
  transcriptDm: z.boolean().default(false),
  // Files exported before the language setting have none: they follow Discord's.
  language: z.string().nullable().default(null),
  embed: z
    .object({ titlePrefix: text, authorName: text, authorIconUrl: text, bannerUrl: text, color: z.number().nullable().default(null), footerText: text })
    .default({ titlePrefix: null, authorName: null, authorIconUrl: null, bannerUrl: null, color: null, footerText: null }),
  types: z.array(importedType),
  // Files exported before tags and the blocklist existed have neither.
  tags: z.array(z.object({ name: z.string(), content: z.string() })).default([]),
  blocklist: z.object({ userIds: z.array(snowflake).default([]), roleIds: z.array(snowflake).default([]) }).default({ userIds: [], roleIds: [] }),
});

/** Parses and validates an export file as a whole with the same rules as the commands. */
export function parseImport(guildId: string, text: string): Result<ConfigExport> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refuse('import.not-json');
  }
  const parsed = exportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.');
    return refuse('import.format', { path: path || msg('import.top-level') });
  }
  const data = parsed.data;
  if (data.language !== null && !isSupportedLocale(data.language)) return refuse('import.language', { language: data.language });
  const embed = validateEmbedCustomization(data.embed);
  if (!embed.ok) return embed;
  const list = checkTypeList(data.types);
  if (!list.ok) return list;
  const types: TicketType[] = [];
  for (const raw of data.types) {
    const checked = checkImportedType(guildId, raw);
    if (!checked.ok) return refuse('import.type', { type: raw.name, error: checked.error });
    types.push(checked.value);
  }
  const tagList = checkTagList(data.tags);
  if (!tagList.ok) return tagList;
  const tags: Tag[] = [];
  for (const raw of data.tags) {
    const name = validateTagName(raw.name);
    if (!name.ok) return refuse('import.tag', { tag: raw.name, error: name.error });
    const content = validateTagContent(raw.content);
    if (!content.ok) return refuse('import.tag', { tag: raw.name, error: content.error });
    tags.push({ name: name.value, content: content.value });
  }
  const blocklist = checkBlocklist(guildId, data.blocklist);
  if (!blocklist.ok) return blocklist;
  return accept({
    v: 1,
    logChannelId: data.logChannelId,
    transcripts: data.transcripts,
    feedback: data.feedback,
    transcriptDm: data.transcriptDm,
    language: data.language,
    embed: embed.value,
    types,
    tags,
    blocklist: blocklist.value,
  });
}

function checkImportedType(guildId: string, raw: z.infer<typeof importedType>): Result<TicketType> {
  const name = validateTypeName(raw.name);
  if (!name.ok) return name;
  const label = validateLabel(raw.label);
  if (!label.ok) return label;
  const description = validateDescription(raw.description ?? '');
  if (!description.ok) return description;
  const emoji = validateEmoji(raw.emoji ?? '');
  if (!emoji.ok) return emoji;
  const message = validateWelcomeMessage(raw.welcomeMessage ?? '');
  if (!message.ok) return message;
  const limit = validatePerUserLimit(raw.perUserLimit);
  if (!limit.ok) return limit;
  const autoClose = raw.autoCloseHours === null ? accept(null) : validateAutoClose(raw.autoCloseHours);
  if (!autoClose.ok) return autoClose;
  const hours = raw.hours === null ? accept(null) : validateHours(raw.hours.timeZone, raw.hours.schedule, raw.hours.mode);
  if (!hours.ok) return hours;
  if (raw.questions.length > ConfigLimits.maxQuestions) return refuse('import.max-questions', { max: ConfigLimits.maxQuestions });
  const questions: string[] = [];
  for (const q of raw.questions) {
    const r = validateQuestion(q);
    if (!r.ok) return r;
    questions.push(r.value);
  }
  if (raw.closeMode !== 'delete' && raw.closeMode !== 'archive') return refuse('type.close-mode-invalid');
  if (raw.closeMode === 'archive' && !raw.archiveCategoryId) return refuse('type.archive-needs-category');
  const closeMode = checkCloseMode({ name: raw.name, threadChannelId: raw.threadChannelId, closeMode: raw.closeMode });
  if (!closeMode.ok) return closeMode;
  const archiveDays = validateArchiveDays(raw.archiveDays);
  if (!archiveDays.ok) return archiveDays;
  const staffRoleIds = [...new Set(raw.staffRoleIds)];
  for (const roleId of staffRoleIds) {
    const r = validateStaffRole(guildId, roleId, undefined);
    if (!r.ok) return r;
  }
  return accept({
    name: name.value,
    label: label.value,
    description: description.value,
    emoji: emoji.value,
    categoryId: raw.categoryId,
    staffRoleIds,
    welcomeMessage: message.value,
    perUserLimit: limit.value,
    questions,
    autoCloseHours: autoClose.value,
    hours: hours.value,
    threadChannelId: raw.threadChannelId,
    closeMode: raw.closeMode,
    archiveCategoryId: raw.archiveCategoryId,
    archiveDays: archiveDays.value,
  });
}
