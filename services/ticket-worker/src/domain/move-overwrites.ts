import { OverwriteType, TICKET_MEMBER_ALLOW, type PermissionOverwrite } from '@promton/shared/domain';

export interface MoveOverwritesInput {
  guildId: string;
  current: readonly PermissionOverwrite[];
  /** Staff roles of the type the ticket leaves. */
  fromStaff: readonly string[];
  /** Staff roles of the type it joins. */
  toStaff: readonly string[];
}

/**
 * A moved ticket's overwrites: the old type's staff roles leave, the new type's come in;
 * @everyone, the bot, the creator, members added by hand and any other role stay as they are.
 */
export function movedOverwrites({ guildId, current, fromStaff, toStaff }: MoveOverwritesInput): PermissionOverwrite[] {
  const leaving = new Set(fromStaff.filter((id) => !toStaff.includes(id)));
  const kept = current.filter((o) => !(o.type === OverwriteType.Role && leaving.has(o.id)));
  const present = new Set(kept.filter((o) => o.type === OverwriteType.Role).map((o) => o.id));
  const allow = TICKET_MEMBER_ALLOW.toString();
  const added = [...new Set(toStaff)]
    .filter((id) => id !== guildId && !present.has(id))
    .map((id): PermissionOverwrite => ({ id, type: OverwriteType.Role, allow, deny: '0' }));
  return [...kept.map(({ id, type, allow: a, deny }) => ({ id, type, allow: a, deny })), ...added];
}
