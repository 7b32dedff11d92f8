import { describe, expect, it } from 'vitest';
import { archiveControls, archiveDeleteAt, isActiveArchiveMessage } from './archive-message.js';

const BOT = '110000000000000001';

describe('archive message', () => {
  it('says when the channel goes and carries the three staff buttons of that ticket', () => {
    const at = Date.parse('2026-12-01T10:00:00.000Z');
    const body = archiveControls(42, at, 'en-US');
    expect(body.content).toBe(`🔒 Ticket #0042 is closed: its member no longer sees this channel. It is deleted <t:${at / 1000}:R> unless staff reopen it.`);
    const ids = (body.components![0] as { components: { custom_id: string; label: string }[] }).components.map((c) => [c.custom_id, c.label]);
    expect(ids).toEqual([
      ['pt:v1:reopen:42', 'Reopen'],
      ['pt:v1:archive-transcript:42', 'Transcript'],
      ['pt:v1:archive-delete:42', 'Delete'],
    ]);
    expect(archiveControls(42, at, 'de').content).not.toBe(body.content);
    // The notice pings nobody.
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it('finds only the bot’s message of that ticket whose buttons are still on', () => {
    const body = archiveControls(7, 0, 'en-US');
    const message = { author: { id: BOT }, components: body.components } as never;
    expect(isActiveArchiveMessage(message, BOT, 7)).toBe(true);
    expect(isActiveArchiveMessage(message, BOT, 8)).toBe(false);
    expect(isActiveArchiveMessage({ ...(message as object), author: { id: '1' } } as never, BOT, 7)).toBe(false);
    expect(isActiveArchiveMessage({ author: { id: BOT }, components: [] } as never, BOT, 7)).toBe(false);
    // A message of the bot's without components (Discord leaves the field out).
    expect(isActiveArchiveMessage({ author: { id: BOT } } as never, BOT, 7)).toBe(false);
  });

  it('deletes after whole days from the archiving', () => {
    expect(archiveDeleteAt('2026-12-01T00:00:00.000Z', 3)).toBe(Date.parse('2026-12-04T00:00:00.000Z'));
  });
});
