import { describe, expect, it } from 'vitest';
import { render } from './i18n/index.js';
import { afterHoursNotice, afterHoursRefusal, canonicalTimeZone, formatSchedule, hoursStatus, parseSchedule, type WeeklySchedule } from './support-hours.js';

const schedule = (text: string): WeeklySchedule => {
  const parsed = parseSchedule(text);
  if (!parsed.ok) throw new Error(render('en-US', parsed.error));
  return parsed.value;
};

describe('parseSchedule', () => {
  it('reads days, ranges of days and several ranges, merging overlaps', () => {
    expect(formatSchedule(schedule('mon-fri 09:00-17:00; sat 10:00-14:00'))).toBe('mon-fri 09:00-17:00; sat 10:00-14:00');
    expect(formatSchedule(schedule('Monday 09:00-12:00, 13:00-17:00\ntue 9:00-12:00;tue 11:00-13:00'))).toBe('mon 09:00-12:00, 13:00-17:00; tue 09:00-13:00');
    expect(formatSchedule(schedule('mon, wed, fri 08:00-10:00'))).toBe('mon 08:00-10:00; wed 08:00-10:00; fri 08:00-10:00');
    expect(formatSchedule(schedule('daily 00:00-24:00'))).toBe('mon-sun 00:00-24:00');
    expect(formatSchedule(schedule('fri-mon 10:00-11:00'))).toBe('mon 10:00-11:00; fri-sun 10:00-11:00');
    expect(formatSchedule(schedule('Everyday 09:00-09:59'))).toBe('mon-sun 09:00-09:59');
    expect(formatSchedule(schedule('every day 09:00-10:00'))).toBe('mon-sun 09:00-10:00');
    expect(formatSchedule(schedule('mon - fri 09:00-10:00'))).toBe('mon-fri 09:00-10:00');
  });

  it('formats hours that end at midnight without an empty range on the next day', () => {
    expect(formatSchedule(schedule('mon 09:00-24:00; wed 00:00-01:00'))).toBe('mon 09:00-24:00; wed 00:00-01:00');
    expect(formatSchedule(schedule('sun 22:00-24:00'))).toBe('sun 22:00-24:00');
  });

  it('keeps the intervals sorted by start, joining touching and contained ones, whatever order they were written in', () => {
    const day = 1440;
    expect(schedule('tue 09:00-12:00; mon 13:00-17:00, 09:00-12:00')).toEqual([
      [540, 720],
      [780, 1020],
      [day + 540, day + 720],
    ]);
    expect(schedule('mon 12:00-17:00, 09:00-12:00, 10:00-11:00')).toEqual([[540, 1020]]);
  });

  it('reads a schedule of exactly 200 characters, the spaces around it not counted, and skips empty entries', () => {
    const longest = `mon 09:00-10:00${';'.repeat(185)}`;
    expect(longest).toHaveLength(200);
    expect(parseSchedule(`  ${longest}\n`)).toEqual({ ok: true, value: [[540, 600]] });
    expect(parseSchedule('mon 09:00-10:00;;\n; ;tue 09:00-10:00;')).toEqual({
      ok: true,
      value: [
        [540, 600],
        [1440 + 540, 1440 + 600],
      ],
    });
  });

  it('reads every full day name', () => {
    expect(formatSchedule(schedule('monday 01:00-02:00; tuesday 02:00-03:00; wednesday 03:00-04:00; thursday 04:00-05:00'))).toBe(
      'mon 01:00-02:00; tue 02:00-03:00; wed 03:00-04:00; thu 04:00-05:00',
    );
    expect(formatSchedule(schedule('friday 05:00-06:00; saturday 06:00-07:00; sunday 07:00-08:00'))).toBe('fri 05:00-06:00; sat 06:00-07:00; sun 07:00-08:00');
  });

  it('reads days split by commas with or without spaces', () => {
    expect(formatSchedule(schedule('mon,wed , fri 08:00-10:00'))).toBe('mon 08:00-10:00; wed 08:00-10:00; fri 08:00-10:00');
  });

  it.each([
    [';', /^the schedule is empty/],
    [' ;\n ; ', /^the schedule is empty/],
    ['9 mon 09:00-10:00', /^"9 mon 09:00-10:00" needs days and hours/],
    // A lone carriage return is no separator: the entry is refused whole, not read up to it.
    ['mon 09:00-10:00\rtue 10:00-11:00', /^"mon 09:00-10:00\rtue 10:00-11:00" needs days and hours/],
    ['mon 09:00-10:00; tue', /^"tue" needs days and hours/],
  ])('refuses %j with the sentence naming the entry', (text, message) => {
    const parsed = parseSchedule(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(render('en-US', parsed.error)).toMatch(message);
  });

  it.each([
    ['', /empty/],
    ['mon-fri', /needs days and hours/],
    ['funday 09:00-17:00', /"funday" is not a day/],
    ['mon-fri-sat 09:00-17:00', /not a day or a range of days/],
    ['mon 9-17', /"9-17" is not a time range/],
    ['weekdaily 09:00-10:00', /^"weekdaily" is not a day;/],
    ['dailyish 09:00-10:00', /^"dailyish" is not a day;/],
    ['mon, -fri 09:00-10:00', /^"-fri" is not a day or a range of days/],
    ['mon- 09:00-10:00', /^"mon-" is not a day or a range of days/],
    ['mon-funday 09:00-10:00', /^"mon-funday" is not a day;/],
    ['mon 09:00-x10:00', /^"09:00-x10:00" is not a time range/],
    ['mon 09:00-10:00x', /^"09:00-10:00x" is not a time range/],
    ['mon 09:00-25:00', /^"09:00-25:00" is not a time range/],
    ['mon 09:00 10:00-11:00', /"09:00 10:00-11:00" is not a time range/],
    ['mon 09:00-17:00 18:00', /"09:00-17:00 18:00" is not a time range/],
    ['mon 09:00-24:30', /not a time range/],
    ['mon 09:60-10:00', /not a time range/],
    ['mon 17:00-09:00', /ends before it starts.*two entries/],
    ['mon 10:00-10:00', /ends before it starts/],
    ['x'.repeat(201), /at most 200/],
  ])('refuses %j naming what is wrong', (text, message) => {
    const parsed = parseSchedule(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(render('en-US', parsed.error)).toMatch(message);
  });

  it("names what is wrong in the reader's language", () => {
    const parsed = parseSchedule('funday 09:00-17:00');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(render('de', parsed.error)).toBe('„funday“ ist kein Tag; verwende mon, tue, wed, thu, fri, sat, sun (oder Bereiche wie mon-fri).');
  });
});

describe('after-hours sentences', () => {
  const at = new Date('2024-05-02T07:00:00Z');
  it('say when support resumes, as a Discord timestamp each reader sees in their own zone', () => {
    expect(render('en-US', afterHoursNotice(at))).toBe(
      'This ticket was opened outside support hours; staff will answer once they are back, from <t:1714633200:F> (<t:1714633200:R>).',
    );
    expect(render('de', afterHoursNotice(null))).toBe('Dieses Ticket wurde außerhalb der Supportzeiten geöffnet; das Team antwortet, sobald es wieder da ist.');
    const hours = { timeZone: 'Europe/Berlin', schedule: 'mon-fri 09:00-17:00' };
    expect(render('en-US', afterHoursRefusal('Support', hours, at))).toBe(
      'Support tickets can be opened during support hours only: mon-fri 09:00-17:00 (Europe/Berlin). They resume <t:1714633200:F> (<t:1714633200:R>).',
    );
    expect(render('fr', afterHoursRefusal('Support', hours, null))).toBe(
      "Les tickets Support ne peuvent être ouverts que pendant les horaires d'assistance : mon-fri 09:00-17:00 (Europe/Berlin).",
    );
  });
});

describe('canonicalTimeZone', () => {
  it('knows IANA zones in any case and refuses the rest', () => {
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('Mars/Olympus')).toBeNull();
    expect(canonicalTimeZone('')).toBeNull();
  });
});

describe('hoursStatus', () => {
  const weekdays = schedule('mon-fri 09:00-17:00');

  it('is open inside the hours and names the next opening outside them', () => {
    // Wednesday 2026-07-15, Berlin is UTC+2 in summer.
    expect(hoursStatus(weekdays, 'Europe/Berlin', new Date('2026-07-15T07:00:00Z'))).toEqual({ open: true, nextOpen: null });
    expect(hoursStatus(weekdays, 'Europe/Berlin', new Date('2026-07-15T06:59:59Z'))).toEqual({ open: false, nextOpen: new Date('2026-07-15T07:00:00Z') });
    // 17:00 is closed (the end is exclusive); Friday evening waits for Monday.
    expect(hoursStatus(weekdays, 'Europe/Berlin', new Date('2026-07-15T15:00:00Z')).nextOpen).toEqual(new Date('2026-07-16T07:00:00Z'));
    expect(hoursStatus(weekdays, 'Europe/Berlin', new Date('2026-07-17T18:30:00Z')).nextOpen).toEqual(new Date('2026-07-20T07:00:00Z'));
  });

  it('reads the local weekday, not UTC’s', () => {
    // Saturday 01:00 in Tokyo is Friday 16:00 UTC: closed, opens Monday 09:00 Tokyo.
    expect(hoursStatus(weekdays, 'Asia/Tokyo', new Date('2026-07-17T16:00:00Z'))).toEqual({ open: false, nextOpen: new Date('2026-07-20T00:00:00Z') });
    // Half-hour zones: 09:00 in Kolkata is 03:30 UTC.
    expect(hoursStatus(weekdays, 'Asia/Kolkata', new Date('2026-07-15T03:00:00Z')).nextOpen).toEqual(new Date('2026-07-15T03:30:00Z'));
  });

  it('follows daylight saving time: the same local hour is another UTC hour', () => {
    // New York: 09:00 is 14:00 UTC in winter (EST) and 13:00 UTC in summer (EDT).
    expect(hoursStatus(weekdays, 'America/New_York', new Date('2026-01-14T10:00:00Z')).nextOpen).toEqual(new Date('2026-01-14T14:00:00Z'));
    expect(hoursStatus(weekdays, 'America/New_York', new Date('2026-07-15T10:00:00Z')).nextOpen).toEqual(new Date('2026-07-15T13:00:00Z'));
    // Friday evening before the switch (2026-03-08) to Monday after it: 09:00 EDT.
    expect(hoursStatus(weekdays, 'America/New_York', new Date('2026-03-06T23:00:00Z')).nextOpen).toEqual(new Date('2026-03-09T13:00:00Z'));
  });

  it('opens when the clocks jump over the start of the hours (spring forward)', () => {
    // Berlin 2026-03-29 (Sunday): 02:00 CET becomes 03:00 CEST; 02:30 does not exist.
    const night = schedule('sun 02:30-05:00');
    const status = hoursStatus(night, 'Europe/Berlin', new Date('2026-03-29T00:00:00Z')); // 01:00 CET
    expect(status).toEqual({ open: false, nextOpen: new Date('2026-03-29T01:00:00Z') }); // 03:00 CEST
    expect(hoursStatus(night, 'Europe/Berlin', status.nextOpen!).open).toBe(true);
    expect(hoursStatus(night, 'Europe/Berlin', new Date(status.nextOpen!.getTime() - 1000)).open).toBe(false);
  });

  it('opens on the first pass of an hour that repeats (fall back)', () => {
    // Berlin 2026-10-25 (Sunday): 03:00 CEST becomes 02:00 CET; 02:30 happens twice.
    const night = schedule('sun 02:30-02:45');
    expect(hoursStatus(night, 'Europe/Berlin', new Date('2026-10-24T23:00:00Z')).nextOpen).toEqual(new Date('2026-10-25T00:30:00Z')); // 02:30 CEST
    // Between the two passes (02:50 CEST), the next opening is the second 02:30 (CET).
    expect(hoursStatus(night, 'Europe/Berlin', new Date('2026-10-25T00:50:00Z')).nextOpen).toEqual(new Date('2026-10-25T01:30:00Z'));
  });

  it('agrees with a minute-by-minute walk across both of a year’s switches', () => {
    const zones = ['Europe/Berlin', 'Australia/Sydney', 'America/Santiago'];
    const schedules = ['mon-fri 09:00-17:00; sat 10:00-14:00', 'sun 01:30-03:30', 'daily 02:00-02:30', 'wed 23:00-24:00; thu 00:00-01:00'].map(schedule);
    const starts = ['2026-03-07T12:00:00Z', '2026-03-28T18:00:00Z', '2026-10-24T18:00:00Z', '2026-10-31T18:00:00Z', '2026-04-04T10:00:00Z'];
    for (const zone of zones) {
      for (const s of schedules) {
        for (const start of starts) {
          const from = new Date(start);
          const expected = walk(s, zone, from);
          expect(hoursStatus(s, zone, from).nextOpen, `${zone} ${formatSchedule(s)} from ${start}`).toEqual(expected);
        }
      }
    }
  });

  it('counts the milliseconds of the instant, before 1970 too', () => {
    // Wednesday 2026-07-15 and Wednesday 1969-12-31, in UTC.
    expect(hoursStatus(weekdays, 'UTC', new Date('2026-07-15T08:59:59.500Z'))).toEqual({ open: false, nextOpen: new Date('2026-07-15T09:00:00.000Z') });
    expect(hoursStatus(weekdays, 'UTC', new Date('2026-07-15T09:00:00.500Z')).open).toBe(true);
    expect(hoursStatus(weekdays, 'UTC', new Date('2026-07-15T16:59:59.999Z')).open).toBe(true);
    expect(hoursStatus(weekdays, 'UTC', new Date('1969-12-31T08:59:59.500Z'))).toEqual({ open: false, nextOpen: new Date('1969-12-31T09:00:00.000Z') });
    expect(hoursStatus(weekdays, 'UTC', new Date('1969-12-31T09:00:00.500Z')).open).toBe(true);
  });

  it('opens after clocks go forward on a day whose next day is in another month', () => {
    // Istanbul 1983-07-31 (Sunday): +03 became +04 that night; 23:00 is 19:00 UTC. A wrong month in the
    // local wall time would look like a second offset change at 1 August 00:00 and hide this one.
    expect(hoursStatus(schedule('sun 23:00-24:00'), 'Europe/Istanbul', new Date('1983-07-30T21:00:00Z'))).toEqual({
      open: false,
      nextOpen: new Date('1983-07-31T19:00:00Z'),
    });
  });

  it('finds an offset change off the whole minute to the second (local mean time)', () => {
    // Berlin left local mean time (+00:53:28) for CET at 1893-04-01 00:00: 1893-03-31T23:06:32Z,
    // when the clocks jumped from 23:59:59 to 00:06:32; an opening at 00:03 falls in that gap.
    const change = Date.parse('1893-03-31T23:06:32Z');
    const status = hoursStatus(schedule('sat 00:03-01:00'), 'Europe/Berlin', new Date('1893-03-31T22:00:00Z'));
    expect(status.open).toBe(false);
    expect(status.nextOpen!.getTime() - change).toBeGreaterThanOrEqual(0);
    expect(status.nextOpen!.getTime() - change).toBeLessThan(1000);
  });

  it('gives up, closed with no next opening, on a schedule whose hours lie outside the week', () => {
    const week = 7 * 1440;
    expect(hoursStatus([[week, week + 60]], 'Europe/Berlin', new Date('2026-07-15T07:00:00Z'))).toEqual({ open: false, nextOpen: null });
  });

  it('never opens with an empty schedule', () => {
    expect(hoursStatus([], 'UTC', new Date())).toEqual({ open: false, nextOpen: null });
  });
});

/** The first whole minute after `from` at which the schedule is open, by trying every minute for 8 days. */
function walk(s: WeeklySchedule, zone: string, from: Date): Date | null {
  if (hoursStatus(s, zone, from).open) return null;
  const first = Math.ceil((from.getTime() + 1) / 60_000) * 60_000;
  for (let t = first; t < from.getTime() + 8 * 86_400_000; t += 60_000) {
    if (hoursStatus(s, zone, new Date(t)).open) return new Date(t);
  }
  return null;
}
