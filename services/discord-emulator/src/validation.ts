import * as z from 'zod/mini';
import {
  ApplicationCommandAutocompleteCallbackRequestSchema,
  ApplicationCommandCreateRequestSchema,
  ChannelPermissionOverwriteRequestSchema,
  CreateGuildChannelRequestSchema,
  CreatePrivateChannelRequestSchema,
  CreateTextThreadWithoutMessageRequestSchema,
  CreateMessageInteractionCallbackRequestSchema,
  IncomingWebhookInteractionRequestSchema,
  IncomingWebhookRequestPartialSchema,
  IncomingWebhookUpdateForInteractionCallbackRequestPartialSchema,
  MessageCreateRequestSchema,
  MessageEditRequestPartialSchema,
  ModalInteractionCallbackRequestSchema,
  UpdateGuildChannelRequestPartialSchema,
  UpdateMessageInteractionCallbackRequestSchema,
  UpdateThreadRequestPartialSchema,
} from 'discord-api-spec/zod';
import { type FieldError, invalidFormBody } from './errors.js';

/** The request-body schemas of discord-api-spec, by the route they validate. */
export const BodySchemas = {
  createChannel: CreateGuildChannelRequestSchema,
  createDm: CreatePrivateChannelRequestSchema,
  modifyChannel: UpdateGuildChannelRequestPartialSchema,
  createThread: CreateTextThreadWithoutMessageRequestSchema,
  modifyThread: UpdateThreadRequestPartialSchema,
  editOverwrite: ChannelPermissionOverwriteRequestSchema,
  createMessage: MessageCreateRequestSchema,
  editMessage: MessageEditRequestPartialSchema,
  callbackMessage: CreateMessageInteractionCallbackRequestSchema,
  callbackUpdate: UpdateMessageInteractionCallbackRequestSchema,
  callbackModal: ModalInteractionCallbackRequestSchema,
  callbackAutocomplete: ApplicationCommandAutocompleteCallbackRequestSchema,
  followup: IncomingWebhookInteractionRequestSchema,
  executeWebhook: IncomingWebhookRequestPartialSchema,
  // The spec has the body of Create Webhook inline only: name 1-80, avatar an optional data URI.
  createWebhook: z.object({ name: z.string().check(z.minLength(1), z.maxLength(80)), avatar: z.optional(z.nullable(z.string())) }),
  editWebhookMessage: IncomingWebhookUpdateForInteractionCallbackRequestPartialSchema,
  command: ApplicationCommandCreateRequestSchema,
} as const;

export type BodySchemaName = keyof typeof BodySchemas;

const SNOWFLAKE_KEYS = new Set(['id', 'recipient_id', 'parent_id', 'channel_id', 'message_id', 'guild_id', 'sku_id', 'application_id']);
const BITFIELD_KEYS = new Set(['allow', 'deny', 'default_member_permissions', 'permissions']);

/**
 * Discord accepts integer-like strings for bitfields and numbers for snowflakes; the
 * spec types them one way only, so normalise before validating.
 */
export function coerceDiscordTypes(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => coerceDiscordTypes(item));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = coerceDiscordTypes(v, k);
    return out;
  }
  if (key && BITFIELD_KEYS.has(key) && typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  if (key && SNOWFLAKE_KEYS.has(key) && typeof value === 'number' && Number.isInteger(value)) return String(value);
  return value;
}

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  maximum?: number | bigint;
  minimum?: number | bigint;
  origin?: string;
  expected?: string;
  values?: unknown[];
  format?: string;
  errors?: Issue[][];
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function toFieldErrors(issues: readonly Issue[], root: unknown, prefix: PropertyKey[] = []): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors && issue.errors.length > 0) {
      // Report the branch whose discriminator matched (no complaint about `type`), fewest issues first.
      const branches = [...issue.errors].sort((a, b) => rank(a) - rank(b));
      const best = branches[0] ?? [];
      out.push(...toFieldErrors(best, root, path));
      continue;
    }
    out.push({ path: path.map((p) => (typeof p === 'symbol' ? String(p) : p)), ...describe(issue, valueAt(root, path)) });
  }
  return out;
}

function rank(branch: readonly Issue[]): number {
  const typeMismatch = branch.some((i) => i.path.length === 1 && i.path[0] === 'type');
  return (typeMismatch ? 1000 : 0) + branch.length;
}

function describe(issue: Issue, value: unknown): { code: string; message: string } {
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' };
      if (issue.expected === 'string') return { code: 'BASE_TYPE_STRING', message: 'Could not interpret value as string.' };
      if (issue.expected === 'number' || issue.expected === 'int') return { code: 'NUMBER_TYPE_COERCE', message: `Value "${String(value)}" is not int.` };
      if (issue.expected === 'boolean') return { code: 'BASE_TYPE_BOOLEAN', message: 'Must be either true or false.' };
      if (issue.expected === 'array') return { code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' };
      return { code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a ModelType' };
    case 'too_big':
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return { code: 'NUMBER_TYPE_MAX', message: `int value should be less than or equal to ${String(issue.maximum)}.` };
      return { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${String(issue.maximum)} or fewer in length.` };
    case 'too_small':
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return { code: 'NUMBER_TYPE_MIN', message: `int value should be greater than or equal to ${String(issue.minimum)}.` };
      return { code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${String(issue.minimum)} or more in length.` };
    case 'invalid_value':
      return { code: 'BASE_TYPE_CHOICES', message: `Value must be one of (${(issue.values ?? []).map(String).join(', ')}).` };
    case 'invalid_format':
      if (issue.format === 'url') return { code: 'URL_TYPE_INVALID_URL', message: 'Not a well formed URL.' };
      if (issue.format === 'regex') return { code: 'NUMBER_TYPE_COERCE', message: `Value "${String(value)}" is not snowflake.` };
      if (issue.format === 'datetime') return { code: 'DATE_TYPE_PARSE', message: `Could not parse ${String(value)}. Should be ISO8601.` };
      return { code: 'BASE_TYPE_INVALID', message: issue.message };
    default:
      return { code: 'BASE_TYPE_INVALID', message: issue.message };
  }
}

/** Validates a body against a discord-api-spec schema; returns Discord-style field errors. */
export function schemaErrors(name: BodySchemaName, body: unknown): FieldError[] {
  const result = z.safeParse(BodySchemas[name], body);
  if (result.success) return [];
  return toFieldErrors(result.error.issues as unknown as Issue[], body);
}

const len = (value: unknown): number => (typeof value === 'string' ? [...value].length : 0);

/** One emoji as Discord accepts it on a component: a single RGI emoji, or a custom emoji by id. */
// The `v` flag (Unicode sets, for \p{RGI_Emoji}) is Node 20's but newer than the compile target.
const ONE_UNICODE_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');

/**
 * A component's or select option's `emoji`: exactly one Unicode emoji (`name` only), or a
 * custom emoji (`id`) that the guild has, when the guild's emoji are known. Discord answers
 * anything else with 50035 "Invalid emoji".
 */
function emojiErrors(emoji: unknown, path: (string | number)[], code: string, guildEmojiIds?: ReadonlySet<string>): FieldError[] {
  if (emoji === undefined || emoji === null) return [];
  const e = emoji as { id?: unknown; name?: unknown };
  const invalid = [{ path: [...path, typeof e.id === 'string' ? 'id' : 'name'], code, message: 'Invalid emoji' }];
  if (typeof e.id === 'string' && e.id !== '') {
    if (!/^\d{17,20}$/.test(e.id)) return invalid;
    return guildEmojiIds && !guildEmojiIds.has(e.id) ? invalid : [];
  }
  return typeof e.name === 'string' && ONE_UNICODE_EMOJI.test(e.name) ? [] : invalid;
}

/**
 * The documented limits the spec does not enforce (or enforces more loosely). With
 * `guildEmojiIds`, a component's custom emoji must be one of them.
 */
export function messageLimitErrors(body: Record<string, unknown>, guildEmojiIds?: ReadonlySet<string>): FieldError[] {
  const errors: FieldError[] = [];
  if (len(body.content) > 2000) errors.push({ path: ['content'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' });
  if (Array.isArray(body.embeds)) {
    if (body.embeds.length > 10) errors.push({ path: ['embeds'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' });
    let total = 0;
    body.embeds.forEach((embed: unknown, i: number) => {
      if (!embed || typeof embed !== 'object') return;
      const e = embed as Record<string, unknown>;
      const footer = (e.footer ?? {}) as Record<string, unknown>;
      const author = (e.author ?? {}) as Record<string, unknown>;
      const fields = Array.isArray(e.fields) ? (e.fields as Record<string, unknown>[]) : [];
      if (len(e.title) > 256) errors.push({ path: ['embeds', i, 'title'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 256 or fewer in length.' });
      if (len(e.description) > 4096)
        errors.push({ path: ['embeds', i, 'description'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 4096 or fewer in length.' });
      if (len(footer.text) > 2048)
        errors.push({ path: ['embeds', i, 'footer', 'text'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2048 or fewer in length.' });
      if (len(author.name) > 256)
        errors.push({ path: ['embeds', i, 'author', 'name'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 256 or fewer in length.' });
      if (fields.length > 25) errors.push({ path: ['embeds', i, 'fields'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
      total += len(e.title) + len(e.description) + len(footer.text) + len(author.name);
      fields.forEach((field, j) => {
        if (len(field?.name) > 256)
          errors.push({ path: ['embeds', i, 'fields', j, 'name'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 256 or fewer in length.' });
        if (len(field?.value) > 1024)
          errors.push({ path: ['embeds', i, 'fields', j, 'value'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 1024 or fewer in length.' });
        total += len(field?.name) + len(field?.value);
      });
    });
    if (total > 6000) errors.push({ path: ['embeds'], code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' });
  }
  if (Array.isArray(body.components)) errors.push(...componentErrors(body.components, ['components'], guildEmojiIds));
  return errors;
}

function componentErrors(rows: unknown[], path: (string | number)[], guildEmojiIds?: ReadonlySet<string>): FieldError[] {
  const errors: FieldError[] = [];
  const actionRows = rows.filter((row) => (row as { type?: unknown })?.type === 1);
  if (actionRows.length > 5) errors.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' });
  rows.forEach((row, i) => {
    const r = row as { type?: unknown; components?: unknown };
    if (r?.type !== 1 || !Array.isArray(r.components)) return;
    const children = r.components as Record<string, unknown>[];
    const rowPath = [...path, i, 'components'];
    if (children.length > 5) errors.push({ path: rowPath, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' });
    const hasSelect = children.some((c) => typeof c?.type === 'number' && c.type >= 3 && c.type <= 8 && c.type !== 4);
    if (hasSelect && children.length > 1)
      errors.push({ path: rowPath, code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', message: 'The specified component exceeds the maximum width' });
    children.forEach((c, j) => {
      if (!c || typeof c !== 'object') return;
      if (c.custom_id !== undefined && (len(c.custom_id) < 1 || len(c.custom_id) > 100))
        errors.push({ path: [...rowPath, j, 'custom_id'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
      if (c.type === 2 && c.style !== 5 && c.style !== 6 && c.custom_id === undefined)
        errors.push({ path: [...rowPath, j, 'custom_id'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
      if (Array.isArray(c.options) && c.options.length > 25)
        errors.push({ path: [...rowPath, j, 'options'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
      if (c.type === 2) errors.push(...emojiErrors(c.emoji, [...rowPath, j, 'emoji'], 'BUTTON_COMPONENT_INVALID_EMOJI', guildEmojiIds));
      if (Array.isArray(c.options))
        (c.options as { emoji?: unknown }[]).forEach((option, k) =>
          errors.push(...emojiErrors(option?.emoji, [...rowPath, j, 'options', k, 'emoji'], 'SELECT_COMPONENT_OPTION_INVALID_EMOJI', guildEmojiIds)),
        );
    });
  });
  return errors;
}

export function modalLimitErrors(data: Record<string, unknown>): FieldError[] {
  const components = Array.isArray(data.components) ? data.components : [];
  const errors: FieldError[] = [];
  if (components.length < 1 || components.length > 5)
    errors.push({ path: ['data', 'components'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 5 in length.' });
  components.forEach((row: unknown, i: number) => {
    const r = row as { type?: unknown; components?: unknown; component?: unknown; label?: unknown };
    const inputs =
      r?.type === 1 && Array.isArray(r.components)
        ? (r.components as Record<string, unknown>[])
        : r?.type === 18
          ? [r.component as Record<string, unknown>]
          : [];
    if (r?.type === 1 && inputs.length !== 1)
      errors.push({ path: ['data', 'components', i, 'components'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 1 in length.' });
    inputs.forEach((input, j) => {
      if (input && (len(input.custom_id) < 1 || len(input.custom_id) > 100))
        errors.push({
          path: ['data', 'components', i, 'components', j, 'custom_id'],
          code: 'BASE_TYPE_BAD_LENGTH',
          message: 'Must be between 1 and 100 in length.',
        });
    });
  });
  return errors;
}

/**
 * Discord's channel-name rules: 1–100 characters; text-like channels are lower-cased
 * and whitespace becomes '-'.
 */
export function normalizeChannelName(name: string, type: number): string {
  if (type === 4 || type === 2 || type === 13) return name.trim();
  return name.trim().toLowerCase().replace(/\s+/g, '-');
}

/** Discord's webhook name rule beyond the length: no "clyde" or "discord" in it, any case. */
export function webhookNameErrors(name: unknown): FieldError[] {
  if (typeof name !== 'string') return [];
  const banned = ['clyde', 'discord'].find((word) => name.toLowerCase().includes(word));
  return banned ? [{ path: ['name'], code: 'USERNAME_INVALID_CONTAINS', message: `Username cannot contain "${banned}"` }] : [];
}

export function channelNameErrors(name: unknown): FieldError[] {
  if (typeof name !== 'string' || len(name.trim()) < 1 || len(name) > 100)
    return [{ path: ['name'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }];
  return [];
}

/** Coerces, validates with the spec schema plus extra checks, and throws Discord's 50035. */
export function validateBody<T = Record<string, unknown>>(name: BodySchemaName, raw: unknown, extra?: (body: Record<string, unknown>) => FieldError[]): T {
  const body = coerceDiscordTypes(raw ?? {});
  const errors = schemaErrors(name, body);
  if (errors.length === 0 && extra && body && typeof body === 'object' && !Array.isArray(body)) errors.push(...extra(body as Record<string, unknown>));
  if (errors.length > 0) throw invalidFormBody(errors);
  return body as T;
}

/** The option an autocomplete interaction is about: the one sent with `focused: true`. */
export function focusedOptionType(options: unknown): number | undefined {
  for (const raw of Array.isArray(options) ? options : []) {
    const option = raw as { type?: unknown; focused?: unknown; options?: unknown };
    if (option.focused === true && typeof option.type === 'number') return option.type;
    const inner = focusedOptionType(option.options);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/** Choices of an autocomplete result: at most 25, each value of the focused option's type. */
export function autocompleteLimitErrors(focusedType: number | undefined, data: Record<string, unknown>): FieldError[] {
  const choices = Array.isArray(data.choices) ? data.choices : [];
  const errors: FieldError[] = [];
  if (choices.length > 25) errors.push({ path: ['data', 'choices'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
  choices.forEach((raw: unknown, i: number) => {
    const value = (raw as { value?: unknown } | null)?.value;
    const wrongType =
      focusedType === 3 ? typeof value !== 'string' : focusedType === 4 ? !Number.isInteger(value) : focusedType === 10 ? typeof value !== 'number' : false;
    if (wrongType) errors.push({ path: ['data', 'choices', i, 'value'], code: 'BASE_TYPE_BAD_TYPE', message: "Must be of the focused option's type." });
  });
  return errors;
}

/** Discord refuses autocomplete on an option with choices, or on a type other than string, integer or number. */
export function autocompleteOptionErrors(options: unknown, path: (string | number)[] = ['options']): FieldError[] {
  const errors: FieldError[] = [];
  (Array.isArray(options) ? options : []).forEach((raw: unknown, i: number) => {
    const option = raw as { type?: unknown; autocomplete?: unknown; choices?: unknown; options?: unknown };
    if (option.autocomplete === true) {
      if (Array.isArray(option.choices) && option.choices.length > 0)
        errors.push({
          path: [...path, i, 'autocomplete'],
          code: 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_CHOICES',
          message: 'Autocomplete cannot be set with choices',
        });
      if (![3, 4, 10].includes(option.type as number))
        errors.push({
          path: [...path, i, 'autocomplete'],
          code: 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_TYPE',
          message: 'Autocomplete is only for string, integer and number options',
        });
    }
    errors.push(...autocompleteOptionErrors(option.options, [...path, i, 'options']));
  });
  return errors;
}

/** Discord's locales (openapi AvailableLocalesEnum): the only keys `*_localizations` may have. */
export const DISCORD_LOCALES: ReadonlySet<string> = new Set([
  'ar',
  'bg',
  'cs',
  'da',
  'de',
  'el',
  'en-GB',
  'en-US',
  'es-419',
  'es-ES',
  'fi',
  'fr',
  'he',
  'hi',
  'hr',
  'hu',
  'id',
  'it',
  'ja',
  'ko',
  'lt',
  'nl',
  'no',
  'pl',
  'pt-BR',
  'ro',
  'ru',
  'sv-SE',
  'th',
  'tr',
  'uk',
  'vi',
  'zh-CN',
  'zh-TW',
]);

/** Discord's rule for CHAT_INPUT command and option names (and their localizations): this regex, lowercase where a lowercase exists. */
const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function nameError(name: unknown): string | null {
  if (typeof name !== 'string' || !CHAT_INPUT_NAME.test(name)) return 'Command name is invalid';
  return name === name.toLowerCase() ? null : 'Command name is invalid';
}

function localizationErrors(map: unknown, path: (string | number)[], value: (text: unknown) => string | null): FieldError[] {
  if (map === undefined || map === null || typeof map !== 'object') return [];
  const errors: FieldError[] = [];
  for (const [locale, text] of Object.entries(map as Record<string, unknown>)) {
    if (!DISCORD_LOCALES.has(locale))
      errors.push({ path: [...path, locale], code: 'BASE_TYPE_CHOICES', message: `Value must be one of ${[...DISCORD_LOCALES].join(', ')}.` });
    const problem = value(text);
    if (problem) errors.push({ path: [...path, locale], code: 'APPLICATION_COMMAND_INVALID_NAME', message: problem });
  }
  return errors;
}

/**
 * Names and localizations of a CHAT_INPUT command and its options, as Discord checks them:
 * every name (default and localized) matches the name rule in lowercase, and localization
 * keys are Discord locales; localized descriptions are 1-100 characters.
 */
export function commandNameErrors(body: Record<string, unknown>): FieldError[] {
  if (body.type !== undefined && body.type !== 1) return [];
  const errors: FieldError[] = [];
  const description = (text: unknown) => (typeof text === 'string' && len(text) >= 1 && len(text) <= 100 ? null : 'Must be between 1 and 100 in length.');
  const visit = (node: Record<string, unknown>, path: (string | number)[]) => {
    const problem = nameError(node.name);
    if (problem) errors.push({ path: [...path, 'name'], code: 'APPLICATION_COMMAND_INVALID_NAME', message: problem });
    errors.push(...localizationErrors(node.name_localizations, [...path, 'name_localizations'], nameError));
    errors.push(...localizationErrors(node.description_localizations, [...path, 'description_localizations'], description));
    const options = Array.isArray(node.options) ? (node.options as Record<string, unknown>[]) : [];
    options.forEach((option, i) => visit(option, [...path, 'options', i]));
  };
  visit(body, []);
  return errors;
}
