import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { act, command, configureDemoGuild, seedDemoGuild, waitFor, type DemoGuild } from '../../scripts/stack/demo.js';
import { Stack } from '../../scripts/stack/stack.js';

const DAY_MS = 86_400_000;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

type Embed = { title?: string; description?: string; fields?: { name: string; value: string }[] };

/**
 * Support hours, feedback after close and a server's own statistics, through the real
 * processes: the admin's commands, the member's clicks on the panel and in their DMs,
 * the staff's replies, all asserted from what the emulator (our Discord) holds.
 */
describe('support hours, feedback and server statistics', () => {
  let stack: Stack;
  let demo: DemoGuild;
  let redis: Redis;

  const admin = (path: string[], args: Record<string, string | number | boolean> = {}) => command(stack.emulator, demo, ['config', ...path], args);
  const clickOpen = (userId: string, locale?: string) =>
    act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId,
      kind: 'button',
      customId: 'pt:v1:open:support',
      ...(locale ? { locale } : {}),
    });
  const open = async (userId: string) => {
    const state = await clickOpen(userId);
    const match = /#(\d{4,}) is open: <#(\d+)>/.exec(state.original?.content ?? '');
    if (!match) throw new Error(`open answered: ${state.original?.content}`);
    return { number: Number(match[1]), channelId: match[2]!, answer: state.original!.content };
  };
  const ticketCommand = (channelId: string, userId: string, sub: string) => command(stack.emulator, demo, ['ticket', sub], {}, userId, channelId);
  const logEmbeds = async () => (await stack.emulator.messages(demo.logChannel.id)).flatMap((m) => m.embeds as Embed[]);
  const showEmbed = async () => {
    const state = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.admin.id,
      kind: 'command',
      path: ['config', 'show'],
    });
    return (state.original?.embeds[0] ?? {}) as Embed;
  };
  const field = (embed: Embed, name: string) => embed.fields?.find((f) => f.name === name)?.value;

  beforeAll(async () => {
    stack = await Stack.start({ redisUrl: inject('redisUrl') });
    demo = await seedDemoGuild(stack.emulator);
    await configureDemoGuild(stack.emulator, demo);
    expect(await admin(['type', 'edit'], { name: 'support', limit: 10 })).toMatch(/^✅/);
    redis = new Redis(inject('redisUrl'));
  });
  afterAll(async () => {
    redis?.disconnect();
    await stack?.close();
  });

  describe('support hours', () => {
    // Hours on a weekday three days from today (UTC): closed now, whatever the time.
    const now = new Date();
    const closedDay = WEEKDAYS[(now.getUTCDay() + 3) % 7]!;
    const schedule = `${closedDay} 10:00-11:00`;
    const resumes = Math.floor((Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + 3 * DAY_MS + 10 * 3_600_000) / 1000);

    it('refuses bad hours naming what was wrong, and stores nothing', async () => {
      expect(await admin(['type', 'hours'], { name: 'support', timezone: 'Mars/Olympus', schedule })).toMatch(
        /^❌ The timezone Mars\/Olympus is not an IANA time zone/,
      );
      expect(await admin(['type', 'hours'], { name: 'support', timezone: 'UTC', schedule: 'mon 17:00-09:00' })).toMatch(
        /^❌ The schedule is not valid: .*ends before it starts/,
      );
      expect(await admin(['type', 'hours'], { name: 'support', timezone: 'UTC', schedule: 'someday 09:00-17:00' })).toMatch(/^❌ .*"someday" is not a day/);
      expect(await admin(['type', 'hours'], { name: 'nope', timezone: 'UTC', schedule })).toMatch(/^❌ There is no ticket type named nope/);
      expect(await admin(['type', 'list'])).not.toMatch(/hours/);
    });

    it('refuses an open outside the hours in refuse mode, saying when they resume, and opens nothing', async () => {
      expect(await admin(['type', 'hours'], { name: 'support', timezone: 'utc', schedule, mode: 'refuse' })).toBe(
        `✅ Support hours of support: ${schedule} (UTC); outside them opens are refused.`,
      );
      const channelsBefore = (await stack.emulator.guild(demo.guild.id)).channels.length;
      const state = await clickOpen(demo.member.id);
      expect(state.original?.content).toBe(
        `❌ Support tickets can be opened during support hours only: ${schedule} (UTC). They resume <t:${resumes}:F> (<t:${resumes}:R>).`,
      );
      // A member whose Discord speaks German is refused in German; the schedule and zone stay as the admin wrote them.
      expect((await clickOpen(demo.otherMember.id, 'de')).original?.content).toBe(
        `❌ Tickets vom Typ Support können nur während der Supportzeiten geöffnet werden: ${schedule} (UTC). Wieder möglich ab <t:${resumes}:F> (<t:${resumes}:R>).`,
      );
      expect((await stack.emulator.guild(demo.guild.id)).channels.length).toBe(channelsBefore);
    });

    it('opens outside the hours in notice mode, with the notice in the answer and the welcome', async () => {
      expect(await admin(['type', 'hours'], { name: 'support', timezone: 'UTC', schedule, mode: 'notice' })).toMatch(/opens go ahead with a notice/);
      const ticket = await open(demo.member.id);
      const notice = `⏰ This ticket was opened outside support hours; staff will answer once they are back, from <t:${resumes}:F> (<t:${resumes}:R>).`;
      expect(ticket.answer).toBe(`✅ Your ticket #${String(ticket.number).padStart(4, '0')} is open: <#${ticket.channelId}>.\n${notice}`);
      const [welcome] = await stack.emulator.messages(ticket.channelId);
      expect(welcome?.content).toContain(notice);
      // A claim edits the welcome's embed; the notice stays.
      expect(await ticketCommand(ticket.channelId, demo.staff.id, 'claim')).toMatch(/^✅/);
      expect((await stack.emulator.messages(ticket.channelId))[0]?.content).toContain(notice);
      expect(await ticketCommand(ticket.channelId, demo.staff.id, 'close')).toMatch(/^✅/);
    });

    it('shows, exports and clears the hours', async () => {
      expect(field(await showEmbed(), 'Ticket types (1 of 5)')).toContain(`hours ${schedule} (UTC, notice outside)`);
      const exported = await act(stack.emulator, {
        guildId: demo.guild.id,
        channelId: demo.panelChannel.id,
        userId: demo.admin.id,
        kind: 'command',
        path: ['config', 'export'],
      });
      const file = JSON.parse(await (await fetch(exported.original!.attachments[0]!.url)).text()) as { types: { hours: unknown }[] };
      expect(file.types[0]?.hours).toEqual({ timeZone: 'UTC', schedule, mode: 'notice' });

      expect(await admin(['type', 'hours-clear'], { name: 'support' })).toBe('✅ Ticket type support has no support hours any more; it is always open.');
      const ticket = await open(demo.member.id);
      expect(ticket.answer).not.toContain('⏰');
      expect(await ticketCommand(ticket.channelId, demo.staff.id, 'close')).toMatch(/^✅/);
    });
  });

  describe('feedback', () => {
    it('offers a rating by DM on close; counts it once, passes the comment to the log channel, and names nobody', async () => {
      expect(await admin(['feedback', 'on'])).toMatch(/^✅ When a ticket closes, its member will be offered a 1-5 rating/);
      expect(field(await showEmbed(), 'Feedback')).toMatch(/^on/);
      const ticket = await open(demo.member.id);
      expect(await ticketCommand(ticket.channelId, demo.staff.id, 'close')).toMatch(/^✅/);

      const dm = await waitFor(async () => {
        const channel = await stack.emulator.dm(demo.member.id);
        return channel && channel.messages.length > 0 ? channel : null;
      }, 'the feedback DM');
      const offer = dm.messages.at(-1)!;
      expect(offer.content).toContain(`#${String(ticket.number).padStart(4, '0')} (Support) on **PROMTON demo** was closed`);
      const buttons = (offer.components[0] as { components: { custom_id: string; label: string }[] }).components;
      expect(buttons.map((b) => b.label)).toEqual(['1', '2', '3', '4', '5']);

      // Rating 4 opens the comment form; its submit is counted and the DM's buttons go.
      const click = await stack.emulator.interact({ channelId: dm.id, userId: demo.member.id, kind: 'button', customId: buttons[3]!.custom_id });
      const opened = await stack.emulator.waitForResponse(click.id);
      expect(opened.response?.type).toBe(9);
      const form = opened.response!.data as { custom_id: string };
      const submit = (comment: string) =>
        act(stack.emulator, { channelId: dm.id, userId: demo.member.id, kind: 'modal', customId: form.custom_id, fields: { comment } });
      const thanked = await submit('Quick and friendly, thank you!');
      expect(thanked.original?.content).toBe(
        `✅ Thank you! You rated ticket #${String(ticket.number).padStart(4, '0')} 4/5 and your comment was passed on to the staff.`,
      );
      expect(thanked.original?.components).toEqual([]);

      const feedbackLog = await waitFor(async () => (await logEmbeds()).find((e) => e.title?.includes('Feedback')), 'the feedback log');
      expect(field(feedbackLog, 'Rating')).toBe('4/5');
      expect(field(feedbackLog, 'Comment')).toBe('Quick and friendly, thank you!');
      expect(JSON.stringify(feedbackLog)).not.toContain(demo.member.id);

      // The same offer again (a second submit) counts nothing.
      expect((await submit('again')).original?.content).toBe(`✅ Ticket #${String(ticket.number).padStart(4, '0')} was already rated; thank you.`);
      // The answer to a rating follows the member's language.
      const german = await act(stack.emulator, {
        channelId: dm.id,
        userId: demo.member.id,
        kind: 'modal',
        customId: form.custom_id,
        fields: { comment: '' },
        locale: 'de',
      });
      expect(german.original?.content).toBe(`✅ Das Ticket #${String(ticket.number).padStart(4, '0')} wurde bereits bewertet; danke.`);
      expect(field(await showEmbed(), 'Ratings')).toBe('Support: 4.0/5 on average, 1 in all (1★ 0 · 2★ 0 · 3★ 0 · 4★ 1 · 5★ 0)');

      // The owner's dashboard reads the same counts, summed over servers, with no id in them.
      const analytics = await waitFor(async () => {
        const raw = await redis.get(`${stack.prefix}:analytics`);
        const parsed = raw ? (JSON.parse(raw) as { ratings?: number[] }) : null;
        return parsed?.ratings?.[3] === 1 ? { raw: raw!, ratings: parsed.ratings } : null;
      }, 'the analytics ratings');
      expect(analytics.ratings).toEqual([0, 0, 0, 1, 0]);
      expect(analytics.raw).not.toContain(demo.guild.id);
      // Redis marks the offer by guild and ticket number only.
      const marks = await redis.keys(`${stack.prefix}:feedback-*`);
      expect(marks.sort()).toEqual([
        `${stack.prefix}:feedback-offered:${demo.guild.id}:${ticket.number}`,
        `${stack.prefix}:feedback-used:${demo.guild.id}:${ticket.number}`,
      ]);
    });

    it('closes quietly when the member accepts no DMs, and offers nothing when feedback is off', async () => {
      await stack.emulator.setAcceptsDms(demo.otherMember.id, false);
      const refused = await open(demo.otherMember.id);
      expect(await ticketCommand(refused.channelId, demo.staff.id, 'close')).toMatch(/^✅/);
      // The bot opened the DM channel, Discord refused the message (403, 50007), the close went on.
      const dm = (await stack.emulator.dm(demo.otherMember.id))!;
      expect(dm.messages).toEqual([]);
      const attempts = await stack.emulator.requests({ method: 'POST', path: `/channels/${dm.id}/messages` });
      expect(attempts.map((r) => r.status)).toEqual([403]);
      expect(stack.logOf('ticket-worker')).toContain('the member accepts no DMs; no rating offered');

      expect(await admin(['feedback', 'off'])).toMatch(/^✅ No rating will be offered/);
      await stack.emulator.setAcceptsDms(demo.otherMember.id, true);
      const quiet = await open(demo.otherMember.id);
      expect(await ticketCommand(quiet.channelId, demo.staff.id, 'close')).toMatch(/^✅/);
      await waitFor(async () => (await logEmbeds()).filter((e) => e.title?.includes('Ticket closed')).length >= 5, 'the close log');
      expect((await stack.emulator.dm(demo.otherMember.id))?.messages ?? []).toEqual([]);
      // Turning feedback off keeps the counts.
      expect(field(await showEmbed(), 'Ratings')).toMatch(/^Support: 4\.0\/5 on average, 1 in all/);
    });
  });

  describe('server statistics', () => {
    it('shows an admin the opens, closes, first reply and close times per type and the staff’s claims and closes, ephemerally', async () => {
      const ticket = await open(demo.member.id);
      expect(await ticketCommand(ticket.channelId, demo.staff.id, 'claim')).toMatch(/^✅/);
      await stack.emulator.sendMessage({ channelId: ticket.channelId, userId: demo.member.id, content: 'My order never came.' });
      await stack.emulator.sendMessage({ channelId: ticket.channelId, userId: demo.staff.id, content: 'Sorry! Sending it again now.' });
      expect(await ticketCommand(ticket.channelId, demo.staff.id, 'close')).toMatch(/^✅/);

      const state = await act(stack.emulator, {
        guildId: demo.guild.id,
        channelId: demo.panelChannel.id,
        userId: demo.admin.id,
        kind: 'command',
        path: ['config', 'stats'],
      });
      expect(state.original?.flags).toBe(64);
      expect(state.original?.content).toBe('✅ Here are the ticket statistics of this server (last 7 and 30 days).');
      const embed = state.original!.embeds[0] as Embed;
      const support = field(embed, 'Support (support)')!;
      // Six tickets opened and closed above; the refused open is not one.
      expect(support).toContain('Opened: 6 in 7 days · 6 in 30 days');
      expect(support).toContain('Closed: 6 in 7 days · 6 in 30 days');
      expect(support).toMatch(/First reply: p50 \d+ (s|min) · p90 \d+ (s|min) \(tickets: 1\)/);
      expect(support).toMatch(/Time to close: p50 \d+ (s|min) · p90 \d+ (s|min) \(tickets: 6\)/);
      expect(support).toContain('Ratings: 4.0/5 on average, 1 in all');
      expect(field(embed, 'Staff, last 30 days')).toBe(`<@${demo.staff.id}>: 2 claimed · 6 closed`);

      // An admin whose Discord speaks German reads the same figures in German.
      const german = await act(stack.emulator, {
        guildId: demo.guild.id,
        channelId: demo.panelChannel.id,
        userId: demo.admin.id,
        kind: 'command',
        path: ['config', 'stats'],
        locale: 'de',
      });
      expect(german.original?.content).toBe('✅ Hier ist die Ticket-Statistik dieses Servers (letzte 7 und 30 Tage).');
      const deEmbed = german.original!.embeds[0] as Embed;
      expect(deEmbed.title).toBe('Ticket-Statistik');
      const deSupport = field(deEmbed, 'Support (support)')!;
      expect(deSupport).toContain('Geöffnet: 6 in 7 Tagen · 6 in 30 Tagen');
      expect(deSupport).toMatch(/Erste Antwort: p50 \d+ (Sek|Min)\. · p90 \d+ (Sek|Min)\. \(Tickets: 1\)/);
      expect(deSupport).toContain('Bewertungen: 4,0/5 im Schnitt, 1 insgesamt');
      expect(field(deEmbed, 'Team, letzte 30 Tage')).toBe(`<@${demo.staff.id}>: 2 übernommen · 6 geschlossen`);
    });

    it('answers only admins: every new /config command refuses members and staff (permission matrix)', async () => {
      const commands: [string[], Record<string, string>][] = [
        [['stats'], {}],
        [['feedback', 'on'], {}],
        [['feedback', 'off'], {}],
        [['type', 'hours'], { name: 'support', timezone: 'UTC', schedule: 'mon 09:00-17:00' }],
        [['type', 'hours-clear'], { name: 'support' }],
      ];
      for (const [path, args] of commands) {
        for (const who of [demo.member.id, demo.staff.id]) {
          expect(await command(stack.emulator, demo, ['config', ...path], args, who), `/config ${path.join(' ')} as ${who}`).toMatch(/^❌ .*Manage Server/);
        }
        expect(await command(stack.emulator, demo, ['config', ...path], args, demo.admin.id), `/config ${path.join(' ')} as admin`).toMatch(/^✅/);
      }
    });
  });
});
