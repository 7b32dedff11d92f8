/**
 * Component custom ids are versioned and parseable (`pt:v1:<action>:<arg>`), so a panel
 * posted months ago keeps working after a deploy. Never change the meaning of a v1 id.
 */
export const customIdActions = [
  'open', // arg: type name (button on a panel)
  'open-select', // no arg (select menu on a panel; the value is the type name)
  'open-form', // arg: type name (modal submit with the form's answers)
  'close', // arg: ticket number
  'close-confirm', // arg: ticket number
  'close-reason', // arg: ticket number (modal with the optional reason)
  'close-request-accept', // arg: ticket number
  'claim', // arg: ticket number
  'unclaim', // arg: ticket number
  'privacy-delete-confirm', // no arg
  'reopen', // arg: ticket number (staff button on an archived ticket)
  'archive-transcript', // arg: ticket number (staff button on an archived ticket)
  'archive-delete', // arg: ticket number (staff button on an archived ticket)
  'ticket-list', // arg: page number (1-based), on /ticket list's ephemeral answer
  'rate', // arg: rating, then the signed offer (`4.<offer>`; DM button after a close)
  'rate-comment', // arg: as rate (modal with the optional comment)
] as const;
export type CustomIdAction = (typeof customIdActions)[number];

export interface ParsedCustomId {
  action: CustomIdAction;
  arg: string;
}

const PREFIX = 'pt:v1:';

export function customId(action: CustomIdAction, arg: string | number = ''): string {
  const id = `${PREFIX}${action}:${arg}`;
  if (id.length > 100) throw new RangeError(`custom id longer than 100 characters: ${id}`);
  return id;
}

/** Parses one of our custom ids; null for anything else (another bot's, or an unknown version). */
export function parseCustomId(id: string): ParsedCustomId | null {
  if (!id.startsWith(PREFIX)) return null;
  const rest = id.slice(PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon === -1) return null;
  const action = rest.slice(0, colon);
  if (!(customIdActions as readonly string[]).includes(action)) return null;
  return { action: action as CustomIdAction, arg: rest.slice(colon + 1) };
}

/** A rating id's argument (`<1-5>.<offer>`), or null when it is not one. */
export function ratingArg(parsed: ParsedCustomId): { rating: number; offer: string } | null {
  const match = /^([1-5])\.([A-Za-z0-9_.-]{1,90})$/.exec(parsed.arg);
  return match ? { rating: Number(match[1]), offer: match[2]! } : null;
}

/** The ticket number in an id's argument, or null when it is not one. */
export function ticketNumberArg(parsed: ParsedCustomId): number | null {
  return /^\d{1,9}$/.test(parsed.arg) && Number(parsed.arg) > 0 ? Number(parsed.arg) : null;
}
