import { emptyEmbedCustomization, logEventKinds, type LogJob } from '@promton/shared/contracts';
import { describe, expect, it } from 'vitest';
import { logEmbed, transcriptField } from './log-embed.js';

const ACTOR = '200000000000000001';
const SUBJECT = '200000000000000002';
const event = (kind: LogJob<'log.event'>['kind'], over: Partial<LogJob<'log.event'>> = {}): LogJob<'log.event'> => ({
  v: 1,
  guildId: '100000000000000001',
  kind,
  at: '2024-05-01T12:00:00.000Z',
  ...over,
});

describe('logEmbed', () => {
  it.each(logEventKinds)('%s has a title, a color and the event time', (kind) => {
    const embed = logEmbed(event(kind), emptyEmbedCustomization);
    expect(embed.title).toBeTruthy();
    expect(typeof embed.color).toBe('number');
    expect(embed.timestamp).toBe('2024-05-01T12:00:00.000Z');
  });

  it('gives every kind its own title', () => {
    const titles = logEventKinds.map((kind) => logEmbed(event(kind), emptyEmbedCustomization).title);
    expect(new Set(titles).size).toBe(logEventKinds.length);
  });

  it.each(['privacy.export', 'privacy.delete'] as const)('%s names no user', (kind) => {
    const embed = logEmbed(event(kind, { actorId: ACTOR, subjectId: SUBJECT }), emptyEmbedCustomization);
    const text = JSON.stringify(embed);
    expect(text).not.toContain(ACTOR);
    expect(text).not.toContain(SUBJECT);
    expect(text).not.toMatch(/<@/);
  });

  it('shows ticket, type, channel, actor, subject, duration and reason of an event', () => {
    const embed = logEmbed(
      event('ticket.member-added', {
        ticketNumber: 5,
        typeName: 'support',
        channelId: '400000000000000001',
        actorId: ACTOR,
        subjectId: SUBJECT,
        reason: 'needs help',
      }),
      emptyEmbedCustomization,
    );
    expect(embed.fields).toEqual([
      { name: 'Ticket', value: '#0005', inline: true },
      { name: 'Type', value: 'support', inline: true },
      { name: 'Channel', value: '<#400000000000000001>', inline: true },
      { name: 'By', value: `<@${ACTOR}>`, inline: true },
      { name: 'Member', value: `<@${SUBJECT}>`, inline: true },
      { name: 'Reason', value: 'needs help' },
    ]);
  });

  it('omits the (deleted) channel of a close and shows its duration and transcript', () => {
    const embed = logEmbed(
      event('ticket.closed', {
        ticketNumber: 5,
        channelId: '400000000000000001',
        durationMs: 7_500_000,
        transcript: {
          channelId: '400000000000000009',
          messageId: '500000000000000001',
          files: [
            { name: 'transcript-0005-1.html', size: 8 * 1024 * 1024 - 20_000 },
            { name: 'transcript-0005-2.html', size: 2048 },
          ],
          messages: 5000,
          truncated: true,
        },
      }),
      emptyEmbedCustomization,
    );
    expect(embed.fields!.map((f) => f.name)).not.toContain('Channel');
    expect(embed.fields).toContainEqual({ name: 'Open for', value: '2 h 5 min', inline: true });
    expect(embed.fields).toContainEqual({
      name: 'Transcript',
      value: [
        'transcript-0005-1.html (8.0 MB), transcript-0005-2.html (2.0 KB)',
        `https://discord.com/channels/${event('ticket.closed').guildId}/400000000000000009/500000000000000001`,
        'Earlier messages left out: only the newest 5,000 are in it.',
      ].join('\n'),
    });
  });

  it('says why a transcript is not attached (over the upload limit, or the bot may not post files)', () => {
    const files = [{ name: 'transcript-0005.html', size: 3 * 1024 * 1024 }];
    const tooLarge = logEmbed(
      event('ticket.closed', { ticketNumber: 5, transcript: { files, messages: 40, truncated: false, missing: 'too-large' } }),
      emptyEmbedCustomization,
    );
    expect(tooLarge.fields).toContainEqual({
      name: 'Transcript',
      value: "transcript-0005.html (3.0 MB)\nNot attached: larger than this server's upload limit.",
    });
    const refused = logEmbed(
      event('ticket.closed', { ticketNumber: 5, transcript: { files, messages: 40, truncated: false, missing: 'refused' } }),
      emptyEmbedCustomization,
    );
    expect(refused.fields?.find((f) => f.name === 'Transcript')?.value).toMatch(/\nNot attached: the bot may not post files/);
    expect(JSON.stringify(refused)).not.toContain('discord.com/channels');
  });

  it('mentions the channel except after the events that may have removed it', () => {
    const gone = ['ticket.closed', 'ticket.deleted-by-hand', 'ticket.auto-closed', 'ticket.deleted', 'ticket.archive-expired'];
    for (const kind of logEventKinds) {
      const names = logEmbed(event(kind, { channelId: '400000000000000001' }), emptyEmbedCustomization).fields?.map((f) => f.name) ?? [];
      if (gone.includes(kind)) expect(names, kind).not.toContain('Channel');
      else expect(names, kind).toContain('Channel');
    }
  });

  it('names the subject field by the event: the member added or removed, the new claimer, else who opened the ticket', () => {
    const subjectField = (kind: LogJob<'log.event'>['kind']) =>
      logEmbed(event(kind, { subjectId: SUBJECT }), emptyEmbedCustomization).fields?.find((f) => f.value === `<@${SUBJECT}>`)?.name;
    expect(subjectField('ticket.member-added')).toBe('Member');
    expect(subjectField('ticket.member-removed')).toBe('Member');
    expect(subjectField('ticket.transferred')).toBe('Now claimed by');
    expect(subjectField('ticket.claimed')).toBe('Opened by');
  });

  it('shows feedback as its rating and comment, and another event its reason then its detail', () => {
    expect(logEmbed(event('ticket.feedback', { ticketNumber: 5, detail: '⭐⭐⭐⭐', reason: 'quick' }), emptyEmbedCustomization).fields).toEqual([
      { name: 'Ticket', value: '#0005', inline: true },
      { name: 'Rating', value: '⭐⭐⭐⭐', inline: true },
      { name: 'Comment', value: 'quick' },
    ]);
    expect(logEmbed(event('config.changed', { detail: 'language: de', reason: 'asked' }), emptyEmbedCustomization).fields).toEqual([
      { name: 'Reason', value: 'asked' },
      { name: 'Detail', value: 'language: de' },
    ]);
  });

  it('shows only the parts an event carries', () => {
    expect(logEmbed(event('ticket.claimed', { ticketNumber: 5 }), emptyEmbedCustomization).fields).toEqual([{ name: 'Ticket', value: '#0005', inline: true }]);
    expect(transcriptField(event('ticket.closed'), 'en-US')).toBe('');
  });

  it('links the log message only when both its channel and id are known, and stays within a field value', () => {
    const value = (transcript: NonNullable<LogJob<'log.event'>['transcript']>) =>
      logEmbed(event('ticket.closed', { transcript }), emptyEmbedCustomization).fields?.find((f) => f.name === 'Transcript')?.value;
    const files = [{ name: 'transcript-0005.html', size: 2048 }];
    expect(value({ files, messageId: '500000000000000001', messages: 3, truncated: false })).toBe('transcript-0005.html (2.0 KB)');
    expect(value({ files, channelId: '400000000000000009', messages: 3, truncated: false })).toBe('transcript-0005.html (2.0 KB)');
    const many = Array.from({ length: 10 }, (_, i) => ({ name: `transcript-0005-${i + 1}-${'x'.repeat(90)}.html`, size: 2048 }));
    // Cut at 1,024 characters by the field itself, not clipped with an ellipsis by the embed builder.
    expect(value({ files: many, messages: 3, truncated: false })).toBe(
      many
        .map((f) => `${f.name} (2.0 KB)`)
        .join(', ')
        .slice(0, 1024),
    );
  });

  it("applies the guild's customization but keeps the event color", () => {
    const embed = logEmbed(event('ticket.closed'), { ...emptyEmbedCustomization, titlePrefix: '[Log] ', color: 0x010203, footerText: 'Acme' });
    expect(embed.title?.startsWith('[Log] ')).toBe(true);
    expect(embed.footer).toEqual({ text: 'Acme' });
    expect(embed.color).not.toBe(0x010203);
  });
});
