import { ConfigLimits, type TicketType } from '@promton/shared/contracts';
import {
  checkCloseMode,
  checkTypeList,
  validateArchiveDays,
  validateAutoClose,
  validateCategory,
  validateDescription,
  validateEmoji,
  validateHours,
  validateLabel,
  validateLogChannel,
  validatePerUserLimit,
  validateQuestion,
  validateStaffRole,
  validateTypeName,
  validateWelcomeMessage,
  type ChannelFacts,
  type RoleFacts,
} from './config-rules.js';
import { integerOption, stringOption, type CommandOptions } from './options.js';
import { msg, t, type Message, type SupportedLocale } from '@promton/shared/domain';
import { accept, refuse, type Result } from './result.js';

/** What Discord resolved for the command's channel and role options. */
export interface ResolvedFacts {
  channels?: Record<string, ChannelFacts> | undefined;
  roles?: Record<string, RoleFacts> | undefined;
}

export interface TypeCommandInput {
  guildId: string;
  subcommand: string;
  options: CommandOptions;
  resolved: ResolvedFacts;
  types: readonly TicketType[];
}

/** The new list of types (null: nothing to store) and the sentence to answer with. */
export interface TypeCommandPlan {
  types: TicketType[] | null;
  answer: Message;
  /** What the log says changed; null when nothing did. */
  detail: Message | null;
}

type Fields = Partial<
  Pick<TicketType, 'label' | 'description' | 'emoji' | 'categoryId' | 'welcomeMessage' | 'perUserLimit' | 'autoCloseHours' | 'threadChannelId'>
>;

/** Answers name the option the admin typed, not the stored field. */
const OPTION_OF_FIELD: Record<keyof Fields, string> = {
  label: 'label',
  description: 'description',
  emoji: 'emoji',
  categoryId: 'category',
  welcomeMessage: 'message',
  perUserLimit: 'limit',
  autoCloseHours: 'auto-close',
  threadChannelId: 'thread-channel',
};

/** Validates the optional fields shared by add and edit; only the given ones are returned. */
function readFields({ options, resolved }: TypeCommandInput, current?: TicketType): Result<Fields> {
  const fields: Fields = {};
  const label = stringOption(options, 'label');
  if (label !== undefined) {
    const r = validateLabel(label);
    if (!r.ok) return r;
    fields.label = r.value;
  }
  const description = stringOption(options, 'description');
  if (description !== undefined) {
    const r = validateDescription(description);
    if (!r.ok) return r;
    fields.description = r.value;
  }
  const emoji = stringOption(options, 'emoji');
  if (emoji !== undefined) {
    const r = validateEmoji(emoji);
    if (!r.ok) return r;
    fields.emoji = r.value;
  }
  const category = stringOption(options, 'category');
  if (category !== undefined) {
    const r = validateCategory(resolved.channels?.[category]);
    if (!r.ok) return r;
    fields.categoryId = category;
  }
  const message = stringOption(options, 'message');
  if (message !== undefined) {
    const r = validateWelcomeMessage(message);
    if (!r.ok) return r;
    fields.welcomeMessage = r.value;
  }
  const limit = integerOption(options, 'limit');
  if (limit !== undefined) {
    const r = validatePerUserLimit(limit);
    if (!r.ok) return r;
    fields.perUserLimit = r.value;
  }
  const autoClose = integerOption(options, 'auto-close');
  if (autoClose !== undefined) {
    const r = validateAutoClose(autoClose);
    if (!r.ok) return r;
    fields.autoCloseHours = r.value;
  }
  const threadChannel = stringOption(options, 'thread-channel');
  if (threadChannel !== undefined) {
    const r = validateLogChannel(resolved.channels?.[threadChannel]);
    if (!r.ok) return r;
    fields.threadChannelId = threadChannel;
  }
  // `tickets: channels` goes back to a channel per ticket; `threads` needs a thread channel.
  const ticketsAs = stringOption(options, 'tickets');
  if (ticketsAs === 'channels') {
    fields.threadChannelId = null;
  } else if (ticketsAs === 'threads' && threadChannel === undefined && !current?.threadChannelId) {
    return refuse('type.threads-need-channel');
  }
  return accept(fields);
}

function findType(input: TypeCommandInput): Result<{ type: TicketType; index: number }> {
  const name = stringOption(input.options, 'name') ?? '';
  const index = input.types.findIndex((t) => t.name === name.trim());
  const type = input.types[index];
  if (!type) return refuse('type.unknown', { type: name.trim() || '""' });
  return accept({ type, index });
}

function replaced(types: readonly TicketType[], index: number, type: TicketType): TicketType[] {
  return types.map((t, i) => (i === index ? type : t));
}

function describeType(locale: SupportedLocale, type: TicketType, position: number): string {
  const parts = [`${position}. ${type.emoji ? `${type.emoji} ` : ''}**${type.label}** (\`${type.name}\`)`];
  parts.push(t(locale, 'type.line-limit', { limit: type.perUserLimit }));
  parts.push(type.autoCloseHours === null ? t(locale, 'type.line-no-auto-close') : t(locale, 'type.line-auto-close', { hours: type.autoCloseHours }));
  if (type.threadChannelId) parts.push(t(locale, 'type.line-threads', { channel: `<#${type.threadChannelId}>` }));
  else if (type.categoryId) parts.push(t(locale, 'type.line-category', { channel: `<#${type.categoryId}>` }));
  if (type.staffRoleIds.length) parts.push(t(locale, 'type.line-staff', { roles: type.staffRoleIds.map((id) => `<@&${id}>`).join(' ') }));
  if (type.questions.length) parts.push(t(locale, 'type.line-questions', { count: type.questions.length }));
  if (type.hours) {
    const hours = { schedule: type.hours.schedule, zone: type.hours.timeZone };
    parts.push(t(locale, type.hours.mode === 'refuse' ? 'type.line-hours-refuse' : 'type.line-hours-notice', hours));
  }
  if (type.closeMode === 'archive' && type.archiveCategoryId) {
    parts.push(t(locale, 'type.line-archive', { days: type.archiveDays, category: `<#${type.archiveCategoryId}>` }));
  }
  return parts.join(' · ');
}

/** One line per type, in the reader's language. */
export function listTypes(locale: SupportedLocale, types: readonly TicketType[]): string {
  return types.map((type, i) => describeType(locale, type, i + 1)).join('\n');
}

/** Pure rules of `/config type …`: the resulting types or the reason for refusing. */
export function planTypeCommand(input: TypeCommandInput): Result<TypeCommandPlan> {
  const { guildId, subcommand, options, resolved, types } = input;
  switch (subcommand) {
    case 'add': {
      if (types.length >= ConfigLimits.maxTypes) {
        return refuse('type.max-types', { max: ConfigLimits.maxTypes });
      }
      const name = validateTypeName(stringOption(options, 'name') ?? '');
      if (!name.ok) return name;
      if (types.some((existing) => existing.name === name.value)) return refuse('type.exists', { type: name.value });
      if (stringOption(options, 'label') === undefined) return refuse('type.label-required');
      const fields = readFields(input);
      if (!fields.ok) return fields;
      const staffRoleIds: string[] = [];
      const role = stringOption(options, 'staff-role');
      if (role !== undefined) {
        const r = validateStaffRole(guildId, role, resolved.roles?.[role]);
        if (!r.ok) return r;
        staffRoleIds.push(role);
      }
      const type: TicketType = {
        name: name.value,
        label: fields.value.label ?? name.value,
        description: fields.value.description ?? null,
        emoji: fields.value.emoji ?? null,
        categoryId: fields.value.categoryId ?? null,
        staffRoleIds,
        welcomeMessage: fields.value.welcomeMessage ?? null,
        perUserLimit: fields.value.perUserLimit ?? ConfigLimits.perUserLimitMin,
        questions: [],
        autoCloseHours: fields.value.autoCloseHours ?? null,
        hours: null,
        threadChannelId: fields.value.threadChannelId ?? null,
        closeMode: 'delete',
        archiveCategoryId: null,
        archiveDays: ConfigLimits.archiveDaysDefault,
      };
      const next = [...types, type];
      const list = checkTypeList(next);
      if (!list.ok) return list;
      return accept({
        types: next,
        answer: msg('type.added', { type: type.name, count: next.length, max: ConfigLimits.maxTypes }),
        detail: msg('change.type-added', { type: type.name }),
      });
    }
    case 'edit': {
      const found = findType(input);
      if (!found.ok) return found;
      const fields = readFields(input, found.value.type);
      if (!fields.ok) return fields;
      const changed = Object.keys(fields.value).map((key) => OPTION_OF_FIELD[key as keyof Fields]);
      if (changed.length === 0) return refuse('type.edit-nothing');
      const type = { ...found.value.type, ...fields.value };
      const closeMode = checkCloseMode(type);
      if (!closeMode.ok) return closeMode;
      return accept({
        types: replaced(types, found.value.index, type),
        answer: msg('type.updated', { type: type.name, fields: changed.join(', ') }),
        detail: msg('change.type-edited', { type: type.name, fields: changed.join(', ') }),
      });
    }
    case 'auto-close':
      // Its own subcommand, so add and edit keep exactly the documented options.
      return planTypeCommand({ ...input, subcommand: 'edit', options: { name: options.name ?? '', 'auto-close': options.hours ?? -1 } });
    case 'role-add': {
      const found = findType(input);
      if (!found.ok) return found;
      const role = stringOption(options, 'role') ?? '';
      const r = validateStaffRole(guildId, role, resolved.roles?.[role]);
      if (!r.ok) return r;
      const type = found.value.type;
      if (type.staffRoleIds.includes(role))
        return accept({ types: null, answer: msg('type.role-already', { role: `<@&${role}>`, type: type.name }), detail: null });
      const next = { ...type, staffRoleIds: [...type.staffRoleIds, role] };
      return accept({
        types: replaced(types, found.value.index, next),
        answer: msg('type.role-added', { role: `<@&${role}>`, type: type.name }),
        detail: msg('change.type-role-added', { type: type.name }),
      });
    }
    case 'role-remove': {
      const found = findType(input);
      if (!found.ok) return found;
      const role = stringOption(options, 'role') ?? '';
      const type = found.value.type;
      if (!type.staffRoleIds.includes(role)) return refuse('type.role-not', { role: `<@&${role}>`, type: type.name });
      const next = { ...type, staffRoleIds: type.staffRoleIds.filter((id) => id !== role) };
      return accept({
        types: replaced(types, found.value.index, next),
        answer: msg('type.role-removed', { role: `<@&${role}>`, type: type.name }),
        detail: msg('change.type-role-removed', { type: type.name }),
      });
    }
    case 'question-add': {
      const found = findType(input);
      if (!found.ok) return found;
      const type = found.value.type;
      if (type.questions.length >= ConfigLimits.maxQuestions) return refuse('type.max-questions', { type: type.name, max: ConfigLimits.maxQuestions });
      const question = validateQuestion(stringOption(options, 'question') ?? '');
      if (!question.ok) return question;
      const next = { ...type, questions: [...type.questions, question.value] };
      return accept({
        types: replaced(types, found.value.index, next),
        answer: msg('type.question-added', { position: next.questions.length, type: type.name }),
        detail: msg('change.type-question-added', { type: type.name }),
      });
    }
    case 'question-remove': {
      const found = findType(input);
      if (!found.ok) return found;
      const type = found.value.type;
      const position = integerOption(options, 'position') ?? 0;
      if (!Number.isInteger(position) || position < 1 || position > type.questions.length) {
        return type.questions.length === 0 ? refuse('type.no-questions', { type: type.name }) : refuse('type.position', { max: type.questions.length });
      }
      const next = { ...type, questions: type.questions.filter((_, i) => i !== position - 1) };
      return accept({
        types: replaced(types, found.value.index, next),
        answer: msg('type.question-removed', { position, type: type.name }),
        detail: msg('change.type-question-removed', { type: type.name }),
      });
    }
    case 'hours': {
      const found = findType(input);
      if (!found.ok) return found;
      const hours = validateHours(stringOption(options, 'timezone') ?? '', stringOption(options, 'schedule') ?? '', stringOption(options, 'mode') ?? 'notice');
      if (!hours.ok) return hours;
      const type = { ...found.value.type, hours: hours.value };
      const set = { type: type.name, schedule: hours.value.schedule, zone: hours.value.timeZone };
      return accept({
        types: replaced(types, found.value.index, type),
        answer: msg(hours.value.mode === 'refuse' ? 'type.hours-set-refuse' : 'type.hours-set-notice', set),
        detail: msg('change.type-hours', { ...set, mode: hours.value.mode }),
      });
    }
    case 'close-mode': {
      const found = findType(input);
      if (!found.ok) return found;
      const type = found.value.type;
      const mode = stringOption(options, 'mode') ?? '';
      if (mode === 'delete') {
        return accept({
          types: replaced(types, found.value.index, { ...type, closeMode: 'delete' }),
          answer: msg('type.close-delete', { type: type.name }),
          detail: msg('change.type-close-delete', { type: type.name }),
        });
      }
      if (mode !== 'archive') return refuse('type.close-mode-invalid');
      const threads = checkCloseMode({ ...type, closeMode: 'archive' });
      if (!threads.ok) return threads;
      const category = stringOption(options, 'archive-category');
      let archiveCategoryId = type.archiveCategoryId;
      if (category !== undefined) {
        const r = validateCategory(resolved.channels?.[category]);
        if (!r.ok) return r;
        archiveCategoryId = category;
      }
      if (!archiveCategoryId) return refuse('type.archive-needs-category');
      const daysOption = integerOption(options, 'days');
      const days = daysOption ?? type.archiveDays;
      const valid = validateArchiveDays(days);
      if (!valid.ok) return valid;
      const next: TicketType = { ...type, closeMode: 'archive', archiveCategoryId, archiveDays: valid.value };
      const said = { type: type.name, category: `<#${archiveCategoryId}>`, days: valid.value };
      return accept({
        types: replaced(types, found.value.index, next),
        answer: msg('type.close-archive', said),
        detail: msg('change.type-close-archive', said),
      });
    }
    case 'hours-clear': {
      const found = findType(input);
      if (!found.ok) return found;
      const type = found.value.type;
      if (!type.hours) return accept({ types: null, answer: msg('type.hours-none', { type: type.name }), detail: null });
      return accept({
        types: replaced(types, found.value.index, { ...type, hours: null }),
        answer: msg('type.hours-cleared', { type: type.name }),
        detail: msg('change.type-hours-cleared', { type: type.name }),
      });
    }
    case 'remove': {
      const found = findType(input);
      if (!found.ok) return found;
      const name = found.value.type.name;
      return accept({
        types: types.filter((t) => t.name !== name),
        answer: msg('type.removed', { type: name }),
        detail: msg('change.type-removed', { type: name }),
      });
    }
    case 'list':
      // Rendered by the handler (listTypes needs the reader's language).
      return accept({
        types: null,
        answer: types.length === 0 ? msg('type.list-none') : msg('type.list', { count: types.length, max: ConfigLimits.maxTypes }),
        detail: null,
      });
    default:
      return refuse('common.unknown-command', { command: `/config type ${subcommand}` });
  }
}
