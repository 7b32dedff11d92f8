import { ConfigLimits, type TicketType } from '@promton/shared/contracts';
import {
  checkTypeList,
  validateAutoClose,
  validateCategory,
  validateDescription,
  validateEmoji,
  validateHours,
  validateLabel,
  validatePerUserLimit,
  validateQuestion,
  validateStaffRole,
  validateTypeName,
  validateWelcomeMessage,
  type ChannelFacts,
  type RoleFacts,
} from './config-rules.js';
import { integerOption, stringOption, type CommandOptions } from './options.js';
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
  answer: string;
  detail: string;
}

type Fields = Partial<Pick<TicketType, 'label' | 'description' | 'emoji' | 'categoryId' | 'welcomeMessage' | 'perUserLimit' | 'autoCloseHours'>>;

/** Answers name the option the admin typed, not the stored field. */
const OPTION_OF_FIELD: Record<keyof Fields, string> = {
  label: 'label',
  description: 'description',
  emoji: 'emoji',
  categoryId: 'category',
  welcomeMessage: 'message',
  perUserLimit: 'limit',
  autoCloseHours: 'auto-close',
};

/** Validates the optional fields shared by add and edit; only the given ones are returned. */
function readFields({ options, resolved }: TypeCommandInput): Result<Fields> {
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
  return accept(fields);
}

function findType(input: TypeCommandInput): Result<{ type: TicketType; index: number }> {
  const name = stringOption(input.options, 'name') ?? '';
  const index = input.types.findIndex((t) => t.name === name.trim());
  const type = input.types[index];
  if (!type) return refuse(`There is no ticket type named ${name.trim() || '(empty)'}; see /config type list.`);
  return accept({ type, index });
}

function replaced(types: readonly TicketType[], index: number, type: TicketType): TicketType[] {
  return types.map((t, i) => (i === index ? type : t));
}

function describeType(type: TicketType, position: number): string {
  const parts = [`${position}. ${type.emoji ? `${type.emoji} ` : ''}**${type.label}** (\`${type.name}\`)`];
  parts.push(`limit ${type.perUserLimit}`);
  parts.push(type.autoCloseHours === null ? 'no auto-close' : `auto-close after ${type.autoCloseHours} h`);
  if (type.categoryId) parts.push(`category <#${type.categoryId}>`);
  if (type.staffRoleIds.length) parts.push(`staff ${type.staffRoleIds.map((id) => `<@&${id}>`).join(' ')}`);
  if (type.questions.length) parts.push(`${type.questions.length} question(s)`);
  if (type.hours) parts.push(`hours ${type.hours.schedule} (${type.hours.timeZone}, ${type.hours.mode === 'refuse' ? 'refused outside' : 'notice outside'})`);
  return parts.join(' · ');
}

export function listTypes(types: readonly TicketType[]): string {
  return types.map((t, i) => describeType(t, i + 1)).join('\n');
}

/** Pure rules of `/config type …`: the resulting types or the reason for refusing. */
export function planTypeCommand(input: TypeCommandInput): Result<TypeCommandPlan> {
  const { guildId, subcommand, options, resolved, types } = input;
  switch (subcommand) {
    case 'add': {
      if (types.length >= ConfigLimits.maxTypes) {
        return refuse(`This server already has ${ConfigLimits.maxTypes} ticket types, the most allowed; remove one first.`);
      }
      const name = validateTypeName(stringOption(options, 'name') ?? '');
      if (!name.ok) return name;
      if (types.some((t) => t.name === name.value)) return refuse(`A ticket type named ${name.value} already exists; names must be unique.`);
      if (stringOption(options, 'label') === undefined) return refuse('The label is required.');
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
      };
      const next = [...types, type];
      const list = checkTypeList(next);
      if (!list.ok) return list;
      return accept({
        types: next,
        answer: `Ticket type ${type.name} was added (${next.length} of ${ConfigLimits.maxTypes}).`,
        detail: `type ${type.name} added`,
      });
    }
    case 'edit': {
      const found = findType(input);
      if (!found.ok) return found;
      const fields = readFields(input);
      if (!fields.ok) return fields;
      const changed = Object.keys(fields.value).map((key) => OPTION_OF_FIELD[key as keyof Fields]);
      if (changed.length === 0) return refuse('Give at least one field to change (label, description, emoji, category, message, limit or auto-close).');
      const type = { ...found.value.type, ...fields.value };
      return accept({
        types: replaced(types, found.value.index, type),
        answer: `Ticket type ${type.name} was updated (${changed.join(', ')}).`,
        detail: `type ${type.name} edited: ${changed.join(', ')}`,
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
      if (type.staffRoleIds.includes(role)) return accept({ types: null, answer: `<@&${role}> is already a staff role of ${type.name}.`, detail: '' });
      const next = { ...type, staffRoleIds: [...type.staffRoleIds, role] };
      return accept({
        types: replaced(types, found.value.index, next),
        answer: `<@&${role}> is now a staff role of ${type.name}.`,
        detail: `type ${type.name}: staff role added`,
      });
    }
    case 'role-remove': {
      const found = findType(input);
      if (!found.ok) return found;
      const role = stringOption(options, 'role') ?? '';
      const type = found.value.type;
      if (!type.staffRoleIds.includes(role)) return refuse(`<@&${role}> is not a staff role of ${type.name}.`);
      const next = { ...type, staffRoleIds: type.staffRoleIds.filter((id) => id !== role) };
      return accept({
        types: replaced(types, found.value.index, next),
        answer: `<@&${role}> is no longer a staff role of ${type.name}.`,
        detail: `type ${type.name}: staff role removed`,
      });
    }
    case 'question-add': {
      const found = findType(input);
      if (!found.ok) return found;
      const type = found.value.type;
      if (type.questions.length >= ConfigLimits.maxQuestions)
        return refuse(`Ticket type ${type.name} already has ${ConfigLimits.maxQuestions} questions, the most allowed.`);
      const question = validateQuestion(stringOption(options, 'question') ?? '');
      if (!question.ok) return question;
      const next = { ...type, questions: [...type.questions, question.value] };
      return accept({
        types: replaced(types, found.value.index, next),
        answer: `Question ${next.questions.length} was added to ${type.name}.`,
        detail: `type ${type.name}: question added`,
      });
    }
    case 'question-remove': {
      const found = findType(input);
      if (!found.ok) return found;
      const type = found.value.type;
      const position = integerOption(options, 'position') ?? 0;
      if (!Number.isInteger(position) || position < 1 || position > type.questions.length) {
        return refuse(type.questions.length === 0 ? `Ticket type ${type.name} has no questions.` : `The position must be from 1 to ${type.questions.length}.`);
      }
      const next = { ...type, questions: type.questions.filter((_, i) => i !== position - 1) };
      return accept({
        types: replaced(types, found.value.index, next),
        answer: `Question ${position} was removed from ${type.name}.`,
        detail: `type ${type.name}: question removed`,
      });
    }
    case 'hours': {
      const found = findType(input);
      if (!found.ok) return found;
      const hours = validateHours(stringOption(options, 'timezone') ?? '', stringOption(options, 'schedule') ?? '', stringOption(options, 'mode') ?? 'notice');
      if (!hours.ok) return hours;
      const type = { ...found.value.type, hours: hours.value };
      const outside = hours.value.mode === 'refuse' ? 'opens are refused' : 'opens go ahead with a notice';
      return accept({
        types: replaced(types, found.value.index, type),
        answer: `Support hours of ${type.name}: ${hours.value.schedule} (${hours.value.timeZone}); outside them ${outside}.`,
        detail: `type ${type.name}: hours ${hours.value.schedule} (${hours.value.timeZone}, ${hours.value.mode})`,
      });
    }
    case 'hours-clear': {
      const found = findType(input);
      if (!found.ok) return found;
      const type = found.value.type;
      if (!type.hours) return accept({ types: null, answer: `Ticket type ${type.name} has no support hours; it is always open.`, detail: '' });
      return accept({
        types: replaced(types, found.value.index, { ...type, hours: null }),
        answer: `Ticket type ${type.name} has no support hours any more; it is always open.`,
        detail: `type ${type.name}: hours cleared`,
      });
    }
    case 'remove': {
      const found = findType(input);
      if (!found.ok) return found;
      const name = found.value.type.name;
      return accept({
        types: types.filter((t) => t.name !== name),
        answer: `Ticket type ${name} was removed; its open tickets stay open.`,
        detail: `type ${name} removed`,
      });
    }
    case 'list':
      return accept({
        types: null,
        answer:
          types.length === 0
            ? 'No ticket types yet; add one with /config type add.'
            : `Ticket types (${types.length} of ${ConfigLimits.maxTypes}):\n${listTypes(types)}`,
        detail: '',
      });
    default:
      return refuse(`Unknown subcommand /config type ${subcommand}.`);
  }
}
