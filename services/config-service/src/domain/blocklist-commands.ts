import { ConfigLimits, type Blocklist } from '@promton/shared/contracts';
import { stringOption, type CommandOptions } from './options.js';
import { accept, refuse, type Result } from './result.js';

/** What Discord resolved for a mentionable option: a role, or a user (member). */
export interface MentionableFacts {
  roles?: Record<string, unknown> | undefined;
  users?: Record<string, { bot?: boolean | undefined }> | undefined;
}

export interface BlocklistCommandPlan {
  blocklist: Blocklist | null;
  answer: string;
  detail: string;
}

const size = (list: Blocklist) => list.userIds.length + list.roleIds.length;

/** Whole-list checks (commands and import): within the limit, never @everyone, no repeats. */
export function checkBlocklist(guildId: string, list: Blocklist): Result<Blocklist> {
  if (size(list) > ConfigLimits.maxBlocked) return refuse(`The blocklist can hold at most ${ConfigLimits.maxBlocked} members and roles.`);
  if (list.roleIds.includes(guildId)) return refuse('@everyone cannot be blocked: nobody could open a ticket.');
  return accept({ userIds: [...new Set(list.userIds)], roleIds: [...new Set(list.roleIds)] });
}

/** Mentions of the blocked, members first; clipped to `max` characters with a count of the rest. */
export function describeBlocklist(list: Blocklist, max = 1024): string {
  const mentions = [...list.userIds.map((id) => `<@${id}>`), ...list.roleIds.map((id) => `<@&${id}>`)];
  if (mentions.length === 0) return 'nobody is blocked';
  let text = '';
  for (const [i, mention] of mentions.entries()) {
    const rest = mentions.length - i;
    const more = ` and ${rest} more`;
    const next = text ? `${text} ${mention}` : mention;
    if (next.length + (rest > 1 ? more.length : 0) > max) return `${text}${more}`;
    text = next;
  }
  return text;
}

/** Pure rules of `/config blocklist …`. */
export function planBlocklistCommand(
  guildId: string,
  subcommand: string,
  options: CommandOptions,
  resolved: MentionableFacts,
  list: Blocklist,
): Result<BlocklistCommandPlan> {
  if (subcommand === 'list') {
    return accept({
      blocklist: null,
      answer:
        size(list) === 0 ? 'Nobody is blocked; add a member or role with /config blocklist add.' : `Blocked (${size(list)}): ${describeBlocklist(list, 1800)}`,
      detail: '',
    });
  }
  const id = stringOption(options, 'target') ?? '';
  const isRole = resolved.roles?.[id] !== undefined || id === guildId;
  const mention = id === guildId ? '@everyone' : isRole ? `<@&${id}>` : `<@${id}>`;
  if (!/^\d{17,20}$/.test(id)) return refuse('The target must be a member or a role of this server.');
  switch (subcommand) {
    case 'add': {
      if (id === guildId) return refuse('@everyone cannot be blocked: nobody could open a ticket.');
      if (!isRole && resolved.users?.[id]?.bot) return refuse(`${mention} is a bot; bots cannot open tickets anyway.`);
      if ((isRole ? list.roleIds : list.userIds).includes(id)) return accept({ blocklist: null, answer: `${mention} is already blocked.`, detail: '' });
      if (size(list) >= ConfigLimits.maxBlocked)
        return refuse(`The blocklist already holds ${ConfigLimits.maxBlocked} members and roles, the most allowed; remove one first.`);
      const next = isRole ? { ...list, roleIds: [...list.roleIds, id] } : { ...list, userIds: [...list.userIds, id] };
      return accept({
        blocklist: next,
        answer: isRole ? `Members of ${mention} can no longer open tickets.` : `${mention} can no longer open tickets.`,
        detail: `${mention} blocked`,
      });
    }
    case 'remove': {
      const inList = list.roleIds.includes(id) ? 'role' : list.userIds.includes(id) ? 'user' : null;
      if (!inList) return refuse(`${mention} is not on the blocklist; see /config blocklist list.`);
      const next = inList === 'role' ? { ...list, roleIds: list.roleIds.filter((r) => r !== id) } : { ...list, userIds: list.userIds.filter((u) => u !== id) };
      return accept({
        blocklist: next,
        answer: inList === 'role' ? `Members of ${mention} can open tickets again.` : `${mention} can open tickets again.`,
        detail: `${mention} unblocked`,
      });
    }
    default:
      return refuse(`Unknown subcommand /config blocklist ${subcommand}.`);
  }
}
