/**
 * Support hours: a weekly schedule in an IANA time zone, written the way an admin types
 * it (`mon-fri 09:00-17:00; sat 10:00-14:00`), and the one question the gateway asks of
 * it: is the type open at this instant, and if not, when does it next open. Time zones
 * come from the runtime's Intl data (daylight saving included); no library.
 */

import { msg, type Message } from './i18n/index.js';

/** Days as the schedule names them, Monday first (ISO weekday order). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const FULL_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

const MINUTES_PER_DAY = 1440;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
const MS_PER_MINUTE = 60_000;

/** Longest schedule text an admin may type (the command option's max length). */
export const SCHEDULE_MAX_LENGTH = 200;

/** Open intervals in minutes of the local week (0 = Monday 00:00), sorted, merged, ends exclusive. */
export type WeeklySchedule = readonly (readonly [start: number, end: number])[];

/** A parse result; the error is a catalog sentence, rendered in the reader's language. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: Message };

const fail = (error: Message): Parsed<never> => ({ ok: false, error });

function parseDay(word: string): number | null {
  const w = word.toLowerCase();
  const short = WEEKDAYS.indexOf(w as (typeof WEEKDAYS)[number]);
  if (short >= 0) return short;
  const full = FULL_NAMES.indexOf(w);
  return full >= 0 ? full : null;
}

/** `mon`, `mon-fri` (wrapping: `fri-mon`), `mon,wed,fri`, `daily`. */
function parseDays(text: string): Parsed<number[]> {
  if (/^(daily|every ?day)$/i.test(text)) return { ok: true, value: [0, 1, 2, 3, 4, 5, 6] };
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const bounds = part.trim().split('-');
    if (bounds.length > 2 || bounds.some((b) => b.trim() === '')) return fail(msg('hours.error-days', { part: part.trim() }));
    const [from, to] = bounds.map((b) => parseDay(b.trim()));
    if (from === null || from === undefined || to === null) {
      return fail(msg('hours.error-day', { part: part.trim() }));
    }
    const last = to ?? from;
    for (let day = from; ; day = (day + 1) % 7) {
      days.add(day);
      if (day === last) break;
    }
  }
  return { ok: true, value: [...days].sort((a, b) => a - b) };
}

function parseClock(text: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return null;
  return hours * 60 + minutes;
}

/** `09:00-17:00`; the end may be 24:00; hours that run past midnight are written as two entries. */
function parseRange(text: string): Parsed<[number, number]> {
  const match = /^(\S+?)\s*-\s*(\S+)$/.exec(text);
  const start = match ? parseClock(match[1]!) : null;
  const end = match ? parseClock(match[2]!) : null;
  if (start === null || end === null) return fail(msg('hours.error-range', { range: text }));
  if (end <= start) {
    return fail(msg('hours.error-backwards', { range: text }));
  }
  return { ok: true, value: [start, end] };
}

/** Sorted, overlapping and touching intervals joined (Sunday's 24:00 does not wrap to Monday). */
function merge(intervals: [number, number][]): WeeklySchedule {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = out[out.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/**
 * Parses `mon-fri 09:00-17:00; sat 10:00-14:00` (entries split by `;` or new lines; an entry
 * is days then one or more ranges split by `,`). The error names the part that is wrong.
 */
export function parseSchedule(input: string): Parsed<WeeklySchedule> {
  const text = input.trim();
  if (text.length === 0) return fail(msg('hours.error-empty'));
  if (text.length > SCHEDULE_MAX_LENGTH) return fail(msg('hours.error-long', { max: SCHEDULE_MAX_LENGTH }));
  const intervals: [number, number][] = [];
  for (const raw of text.split(/[;\n]/)) {
    const entry = raw.trim();
    if (entry.length === 0) continue;
    // Days run up to the first digit: "mon-fri 09:00-17:00", "mon, wed 10:00-12:00".
    const split = /^([^\d]+?)\s+(\d.*)$/.exec(entry);
    if (!split) return fail(msg('hours.error-entry', { entry }));
    const days = parseDays(split[1]!.replace(/\s*,\s*/g, ',').trim());
    if (!days.ok) return days;
    for (const rangeText of split[2]!.split(',')) {
      const range = parseRange(rangeText.trim());
      if (!range.ok) return range;
      for (const day of days.value) intervals.push([day * MINUTES_PER_DAY + range.value[0], day * MINUTES_PER_DAY + range.value[1]]);
    }
  }
  if (intervals.length === 0) return fail(msg('hours.error-empty'));
  return { ok: true, value: merge(intervals) };
}

const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** The canonical text of a schedule: days with the same hours grouped (`mon-fri 09:00-17:00; sat 10:00-14:00`). */
export function formatSchedule(schedule: WeeklySchedule): string {
  const perDay = WEEKDAYS.map((_, day) =>
    schedule
      .map(([start, end]) => [Math.max(start, day * MINUTES_PER_DAY), Math.min(end, (day + 1) * MINUTES_PER_DAY)] as const)
      .filter(([start, end]) => start < end)
      .map(([start, end]) => `${clock(start - day * MINUTES_PER_DAY)}-${clock(end - day * MINUTES_PER_DAY)}`)
      .join(', '),
  );
  const entries: string[] = [];
  for (let day = 0; day < 7;) {
    const hours = perDay[day]!;
    let last = day;
    while (last + 1 < 7 && perDay[last + 1] === hours) last += 1;
    if (hours) entries.push(`${WEEKDAYS[day]}${last > day ? `-${WEEKDAYS[last]}` : ''} ${hours}`);
    day = last + 1;
  }
  return entries.join('; ');
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's canonical IANA name (`europe/berlin` → `Europe/Berlin`), or null when the runtime does not know it. */
export function canonicalTimeZone(input: string): string | null {
  const name = input.trim();
  if (name.length === 0 || name.length > 64) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const WEEKDAY_INDEX: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

interface LocalTime {
  /** Milliseconds since Monday 00:00 of the local week. */
  weekMs: number;
  /** Local wall time minus UTC, in milliseconds. */
  offsetMs: number;
}

function localTime(timeZone: string, instantMs: number): LocalTime {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instantMs))) parts[part.type] = part.value;
  const wallMs = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  const subSecond = ((instantMs % 1000) + 1000) % 1000;
  const offsetMs = wallMs - (instantMs - subSecond);
  const dayMs = (Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second)) * 1000 + subSecond;
  return { weekMs: WEEKDAY_INDEX[parts.weekday!]! * MINUTES_PER_DAY * MS_PER_MINUTE + dayMs, offsetMs };
}

function openAt(schedule: WeeklySchedule, weekMs: number): boolean {
  return schedule.some(([start, end]) => start * MS_PER_MINUTE <= weekMs && weekMs < end * MS_PER_MINUTE);
}

/** Milliseconds of local time from `weekMs` to the next start of an interval (wrapping the week). */
function untilNextStart(schedule: WeeklySchedule, weekMs: number): number {
  const weekLength = MINUTES_PER_WEEK * MS_PER_MINUTE;
  let best = Infinity;
  for (const [start] of schedule) {
    const delta = (((start * MS_PER_MINUTE - weekMs) % weekLength) + weekLength) % weekLength;
    if (delta > 0 && delta < best) best = delta;
  }
  return best === Infinity ? weekLength : best;
}

export interface HoursStatus {
  open: boolean;
  /** When closed: the next instant the type opens (null: the schedule never opens). */
  nextOpen: Date | null;
}

/** The first instant after `from` (exclusive) up to `to` at which the zone's offset is `offsetMs`. */
function offsetChange(timeZone: string, from: number, to: number, offsetMs: number): number {
  let low = from;
  let high = to;
  while (high - low > 1000) {
    const mid = low + Math.floor((high - low) / 2);
    if (localTime(timeZone, mid).offsetMs === offsetMs) high = mid;
    else low = mid;
  }
  // Zones change their offset on a whole minute: land on it exactly.
  const minute = Math.ceil((low + 1) / MS_PER_MINUTE) * MS_PER_MINUTE;
  return minute <= high && localTime(timeZone, minute).offsetMs === offsetMs ? minute : high;
}

/**
 * Whether the schedule is open at `instant` in `timeZone`, and if not, when it next
 * opens. Local time is linear between offset changes, so the search jumps to the next
 * local opening (at most a day at a time) and, when the offset changed on the way,
 * steps back to the change first: an opening inside a spring-forward gap opens when the
 * clocks jump, and an hour repeated in autumn opens on its first pass.
 */
export function hoursStatus(schedule: WeeklySchedule, timeZone: string, instant: Date): HoursStatus {
  let at = instant.getTime();
  let local = localTime(timeZone, at);
  if (openAt(schedule, local.weekMs)) return { open: true, nextOpen: null };
  if (schedule.length === 0) return { open: false, nextOpen: null };
  const dayMs = MINUTES_PER_DAY * MS_PER_MINUTE;
  // A week of days plus the offset changes on the way; far more than enough.
  for (let step = 0; step < 32; step += 1) {
    const next = at + Math.min(untilNextStart(schedule, local.weekMs), dayMs);
    const there = localTime(timeZone, next);
    at = there.offsetMs === local.offsetMs ? next : offsetChange(timeZone, at, next, there.offsetMs);
    local = there.offsetMs === local.offsetMs ? there : localTime(timeZone, at);
    if (openAt(schedule, local.weekMs)) return { open: false, nextOpen: new Date(at) };
  }
  return { open: false, nextOpen: null };
}

/** `<t:…:F> (<t:…:R>)`: Discord shows the instant in each reader's own time zone and language. */
function discordTime(at: Date): string {
  const unix = Math.floor(at.getTime() / 1000);
  return `<t:${unix}:F> (<t:${unix}:R>)`;
}

/** The sentence in the answer (the member's language) and the welcome (the server's) of a ticket opened outside its type's support hours. */
export function afterHoursNotice(opensAt: Date | null): Message {
  return opensAt ? msg('hours.notice-until', { when: discordTime(opensAt) }) : msg('hours.notice');
}

/** The refusal of an open outside support hours (mode refuse). */
export function afterHoursRefusal(label: string, hours: { timeZone: string; schedule: string }, opensAt: Date | null): Message {
  const where = { type: label, schedule: hours.schedule, zone: hours.timeZone };
  return opensAt ? msg('hours.refused-until', { ...where, when: discordTime(opensAt) }) : msg('hours.refused', where);
}
