import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRedis } from '@promton/shared/runtime';
import { command, configureDemoGuild, openFromPanel, seedDemoGuild, waitFor, type DemoGuild } from '../../scripts/stack/demo.js';
import { keysContaining } from '../support/redis-scan.js';
import { Stack } from '../../scripts/stack/stack.js';

/** The image's memory settings (Dockerfile's NODE_OPTIONS): the worker must close a long ticket under them. */
const IMAGE_NODE_OPTIONS = '--max-semi-space-size=1 --max-old-space-size=96 --v8-pool-size=1';
const MESSAGE_CONTENT_FLAG = 1 << 18;
const MESSAGES = 10_000;

type Embed = { title?: string; fields?: { name: string; value: string }[] };

/**
 * Bounded transcripts through the real processes: a ticket of 10,000 long messages closes
 * with the ticket-worker under the image's heap cap, its transcript read page by page,
 * split into files under the upload limit and cut at the documented limits with a marker;
 * Discord refusing the files (40005) still leaves a close log; and no transcript content
 * is left in Redis.
 */
describe('bounded transcripts', () => {
  let stack: Stack;
  let demo: DemoGuild;
  const redis = createRedis(inject('redisUrl'), { role: 'worker' });

  beforeAll(async () => {
    stack = await Stack.start({ redisUrl: inject('redisUrl'), services: ['config-service', 'log-worker', 'gateway'], mode: 'split' });
    await stack.startService('ticket-worker', { NODE_OPTIONS: IMAGE_NODE_OPTIONS });
    demo = await seedDemoGuild(stack.emulator);
    await configureDemoGuild(stack.emulator, demo);
    await stack.emulator.setApplicationFlags(MESSAGE_CONTENT_FLAG);
    expect(await command(stack.emulator, demo, ['config', 'transcripts', 'on'])).toMatch(/^✅/);
    expect(await command(stack.emulator, demo, ['config', 'type', 'edit'], { name: 'support', limit: 10 })).toMatch(/^✅/);
  });
  afterAll(async () => {
    redis.disconnect();
    await stack?.close();
  });

  const open = () => openFromPanel(stack.emulator, demo, demo.member.id);
  const closeLogField = (padded: string) =>
    waitFor(
      async () =>
        (await stack.emulator.messages(demo.logChannel.id))
          .flatMap((m) => m.embeds as Embed[])
          .find((e) => e.title === 'Ticket closed' && e.fields?.some((f) => f.name === 'Ticket' && f.value === `#${padded}`))
          ?.fields?.find((f) => f.name === 'Transcript'),
      `the close log of #${padded}`,
      120_000,
    );
  /** A process's resident memory now (VmRSS) or its peak so far (VmHWM), in MB (Linux). */
  const statusMb = (pid: number, field: 'VmHWM' | 'VmRSS') =>
    Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

  it('closes a ticket of 10,000 long messages under the image heap cap: split files, cut with a marker, nothing in Redis', async () => {
    const ticket = await open();
    const secret = `secret-${randomUUID()}`;
    // ~1,900 characters each: about 20 MB of text, more than the transcript holds.
    await stack.emulator.bulkMessages(ticket.channelId, {
      userId: demo.member.id,
      count: MESSAGES,
      content: `message {i} ${secret} ${'lorem ipsum dolor sit amet '.repeat(69)}`,
    });
    const worker = stack.processes.get('ticket-worker')!;
    const pid = worker.child.pid!;
    // Heap samples as the worker publishes them (every 5 s) while it closes.
    let peakHeapMb = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const raw = await redis.get(`${stack.prefix}:metrics:ticket-worker:${pid}`);
        const heap = raw
          ? (JSON.parse(raw) as { name: string; values: { value: number }[] }[]).find((m) => m.name === 'nodejs_heap_size_used_bytes')
          : undefined;
        if (heap?.values[0]) peakHeapMb = Math.max(peakHeapMb, heap.values[0].value / 1024 / 1024);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();

    const rssBefore = statusMb(pid, 'VmRSS');
    const started = Date.now();
    const { id } = await stack.emulator.interact({
      guildId: demo.guild.id,
      channelId: ticket.channelId,
      userId: demo.staff.id,
      kind: 'command',
      path: ['ticket', 'close'],
      args: {},
    });
    // The answer comes once the close is done (reading 100 pages takes a while under the emulator's rate limits).
    const answer = await waitFor(async () => (await stack.emulator.interaction(id)).original?.content || null, 'the close answer', 180_000);
    expect(answer).toMatch(/^✅/);
    expect(await stack.emulator.channel(ticket.channelId)).toBeNull();
    const field = await closeLogField(ticket.padded);
    const closeMs = Date.now() - started;
    sampling = false;
    await sampler;

    // The worker lived through it (a heap over the cap aborts the process).
    expect(worker.child.exitCode).toBeNull();
    const transcript = (await stack.emulator.messages(demo.logChannel.id)).find((m) =>
      m.attachments.some((a) => a.filename.startsWith(`transcript-${ticket.padded}-`)),
    )!;
    expect(transcript.author.id).toBe(demo.guild.botUserId);
    const names = transcript.attachments.map((a) => a.filename);
    expect(names).toEqual([`transcript-${ticket.padded}-1.html`, `transcript-${ticket.padded}-2.html`]);
    for (const a of transcript.attachments) expect(a.size).toBeLessThanOrEqual(8 * 1024 * 1024);
    const [first, second] = await Promise.all(transcript.attachments.map(async (a) => (await fetch(a.url)).text()));
    // The newest 5,000 messages (5,001 … 10,000), oldest first, the cut said at the top of the first file.
    expect(first).toContain('Only the newest 5,000 messages are in this transcript: a transcript holds at most 5,000 messages and 16.0 MB.');
    expect(first!.indexOf('class="truncated"')).toBeLessThan(first!.indexOf('<article'));
    expect(first).toContain(`message 5001 ${secret}`);
    expect(first).not.toContain(`message 5000 ${secret}`);
    expect(second).toContain(`message ${MESSAGES} ${secret}`);
    expect((first! + second!).match(/<article class="message"/g)).toHaveLength(5_000);
    expect(first).toContain('Part 1 of 2');
    // The close log names the files by name and size, links the message and says what was left out.
    expect(field.value).toMatch(
      new RegExp(`^transcript-${ticket.padded}-1\\.html \\(\\d+\\.\\d MB\\), transcript-${ticket.padded}-2\\.html \\(\\d+\\.\\d MB\\)\\n`),
    );
    expect(field.value).toContain(`/${demo.logChannel.id}/${transcript.id}`);
    expect(field.value).toContain('Earlier messages left out: only the newest 5,000 are in it.');

    // No transcript content in Redis: not in the log job, not in the ticket job, nowhere.
    expect(await keysContaining(redis, stack.prefix, secret)).toEqual([]);

    const rss = statusMb(pid, 'VmHWM');
    console.log(
      `10,000-message close: ${(closeMs / 1000).toFixed(1)} s, ticket-worker RSS ${rssBefore.toFixed(1)} MB before, peak RSS ${rss.toFixed(1)} MB, peak heap sampled ${peakHeapMb.toFixed(1)} MB (cap 96 MB); files ${transcript.attachments.map((a) => `${a.filename} ${a.size} B`).join(', ')}`,
    );
    expect(rss).toBeGreaterThan(0);
  });

  it('still logs the close, saying the file is missing, when Discord refuses the transcript as too large (40005)', async () => {
    const ticket = await open();
    await stack.emulator.sendMessage({ channelId: ticket.channelId, userId: demo.member.id, content: 'a transcript that Discord will refuse' });
    await stack.emulator.setPremiumTier(demo.guild.id, 0, 1000);
    try {
      expect(await command(stack.emulator, demo, ['ticket', 'close'], {}, demo.staff.id, ticket.channelId)).toMatch(/^✅/);
      const field = await closeLogField(ticket.padded);
      expect(field.value).toMatch(
        new RegExp(`^transcript-${ticket.padded}\\.html \\(\\d+\\.\\d KB\\)\\nNot attached: larger than this server's upload limit\\.$`),
      );
      expect(await stack.emulator.channel(ticket.channelId)).toBeNull();
      const posted = (await stack.emulator.messages(demo.logChannel.id)).filter((m) =>
        m.attachments.some((a) => a.filename.startsWith(`transcript-${ticket.padded}`)),
      );
      expect(posted).toEqual([]);
      const refused = await stack.emulator.requests({ method: 'POST', path: `^/channels/${demo.logChannel.id}/messages$` });
      expect(refused.filter((r) => r.status === 413)).toHaveLength(1);
    } finally {
      await stack.emulator.setPremiumTier(demo.guild.id, 0);
    }
  });
});
