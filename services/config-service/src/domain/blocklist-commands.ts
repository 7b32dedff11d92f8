import { ConfigLimits, type Blocklist } from '@promton/shared/contracts';
import { stringOption, type CommandOptions } from './options.js';
import { msg, t, type Message, type SupportedLocale } from '@promton/shared/domain';
import { accept, refuse, type Result } from './result.js';

/** What Discord resolved for a mentionable option: a role, or a user (member). */
export interface MentionableFacts {
  roles?: Record<string, unknown> | undefined;
  users?: Record<string, { bot?: boolean | undefined }> | undefined;
}

export interface BlocklistCommandPlan {
  blocklist: Blocklist | null;
  answer: Message;
  /** What the log says changed; null when nothing did. */
  detail: Message | null;
}

const size = (list: Blocklist) => list.userIds.length + list.roleIds.length;

/** Whole-list checks (commands and import): within the limit, never @everyone, no repeats. */
export function checkBlocklist(guildId: string, list: Blocklist): Result<Blocklist> {
  if (size(list) > ConfigLimits.maxBlocked) return refuse('blocklist.max', { max: ConfigLimits.maxBlocked });
  if (list.roleIds.includes(guildId)) return refuse('blocklist.everyone');
  return accept({ userIds: [...new Set(list.userIds)], roleIds: [...new Set(list.roleIds)] });
}

/** Items joined by spaces within `max` characters, with a count of those left out. */
export function clipList(locale: SupportedLocale, items: readonly string[], max = 1024): string {
  let text = '';
  for (const [i, item] of items.entries()) {
    const rest = items.length - i;
    const more = ` ${t(locale, 'list.more', { count: rest })}`;
    const next = text ? `${text} ${item}` : item;
    if (next.length + (rest > 1 ? more.length : 0) > max) return `${text}${more}`;
    text = next;
  }
  return text;
}

/** Mentions of the blocked, members first; clipped to `max` characters with a count of the rest. */
export function describeBlocklist(locale: SupportedLocale, list: Blocklist, max = 1024): string {
  const mentions = [...list.userIds.map((id) => `<@${id}>`), ...list.roleIds.map((id) => `<@&${id}>`)];
  if (mentions.length === 0) return t(locale, 'blocklist.nobody');
  return clipList(locale, mentions, max);
}

/** Pure rules of `/config blocklist …`. */
export function planBlocklistCommand(
  locale: SupportedLocale,
  guildId: string,
  subcommand: string,
  options: CommandOptions,
  resolved: MentionableFacts,
  list: Blocklist,
): Result<BlocklistCommandPlan> {
  if (subcommand === 'list') {
    return accept({
      blocklist: null,
      answer: size(list) === 0 ? msg('blocklist.list-none') : msg('blocklist.list', { count: size(list), list: describeBlocklist(locale, list, 1800) }),
      detail: null,
    });
  }
  const id = stringOption(options, 'target') ?? '';
  const isRole = resolved.roles?.[id] !== undefined || id === guildId;
  const mention = id === guildId ? '@everyone' : isRole ? `<@&${id}>` : `<@${id}>`;
  if (!/^\d{17,20}$/.test(id)) return refuse('blocklist.target');
  switch (subcommand) {
    case 'add': {
      if (id === guildId) return refuse('blocklist.everyone');
      if (!isRole && resolved.users?.[id]?.bot) return refuse('blocklist.bot', { target: mention });
      if ((isRole ? list.roleIds : list.userIds).includes(id))
        return accept({ blocklist: null, answer: msg('blocklist.already', { target: mention }), detail: null });
      if (size(list) >= ConfigLimits.maxBlocked) return refuse('blocklist.full', { max: ConfigLimits.maxBlocked });
      const next = isRole ? { ...list, roleIds: [...list.roleIds, id] } : { ...list, userIds: [...list.userIds, id] };
      return accept({
        blocklist: next,
        answer: isRole ? msg('blocklist.role-blocked', { target: mention }) : msg('blocklist.blocked', { target: mention }),
        detail: msg('change.blocked', { target: mention }),
      });
    }
    case 'remove': {
      const inList = list.roleIds.includes(id) ? 'role' : list.userIds.includes(id) ? 'user' : null;
      if (!inList) return refuse('blocklist.not-listed', { target: mention });
      const next = inList === 'role' ? { ...list, roleIds: list.roleIds.filter((r) => r !== id) } : { ...list, userIds: list.userIds.filter((u) => u !== id) };
      return accept({
        blocklist: next,
        answer: inList === 'role' ? msg('blocklist.role-unblocked', { target: mention }) : msg('blocklist.unblocked', { target: mention }),
        detail: msg('change.unblocked', { target: mention }),
      });
    }
    default:
      return refuse('common.unknown-command', { command: `/config blocklist ${subcommand}` });
  }
}
