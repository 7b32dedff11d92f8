import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { QueueName, interactionJobId, projectionKey } from '@promton/shared/contracts';
import { act, command, configureDemoGuild, seedDemoGuild, waitFor, type DemoGuild } from '../../scripts/stack/demo.js';
import { queryRows } from '../support/database.js';
import { keysContaining } from '../support/redis-scan.js';
import { Stack } from '../../scripts/stack/stack.js';

/** /privacy delete erases the member's id from Redis too: every key and every job is scanned. */
describe('/privacy delete leaves the member id nowhere in Redis', () => {
  let stack: Stack;
  let demo: DemoGuild;
  let redis: Redis;
  let queues: Queue[];

  beforeAll(async () => {
    stack = await Stack.start({ redisUrl: inject('redisUrl'), env: { OPEN_COOLDOWN_SECONDS: '0' } });
    demo = await seedDemoGuild(stack.emulator);
    await configureDemoGuild(stack.emulator, demo);
    redis = new Redis(inject('redisUrl'));
    queues = Object.values(QueueName).map((name) => new Queue(name, { connection: redis, prefix: stack.prefix }));
  });
  afterAll(async () => {
    await Promise.all((queues ?? []).map((q) => q.close()));
    redis?.disconnect();
    await stack?.close();
  });

  /** Runs /privacy delete as `userId` (prompt, then the confirm button) and waits until its job is handled. */
  async function privacyDelete(userId: string): Promise<string> {
    const prompt = await act(stack.emulator, { guildId: demo.guild.id, channelId: demo.panelChannel.id, userId, kind: 'command', path: ['privacy', 'delete'] });
    const { id } = await stack.emulator.interact({
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId,
      kind: 'button',
      customId: 'pt:v1:privacy-delete-confirm:',
      messageId: prompt.original!.id,
    });
    const answer = (await stack.emulator.waitForOriginal(id, 20_000)).original?.content ?? '';
    const config = queues.find((q) => q.name === QueueName.config)!;
    // Answered before the job completes: wait for the job itself, and for every queue to be idle.
    await waitFor(async () => (await config.getJob(interactionJobId(id)))?.finishedOn !== undefined, 'the privacy job to complete');
    await waitFor(async () => {
      for (const queue of queues) {
        const counts = await queue.getJobCounts('waiting', 'active', 'prioritized');
        if ((counts.waiting ?? 0) + (counts.active ?? 0) + (counts.prioritized ?? 0) > 0) return false;
      }
      return true;
    }, 'every queue to be idle');
    await waitFor(async () => (await config.getJob(interactionJobId(id)))?.data?.handled === true, "the privacy job's data to be forgotten");
    return answer;
  }

  it('after the creator and the claimer erase their ids, no key and no job names them', async () => {
    const opened = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.member.id,
      kind: 'button',
      customId: 'pt:v1:open:support',
    });
    const channelId = /<#(\d+)>/.exec(opened.original?.content ?? '')![1]!;
    expect(await command(stack.emulator, demo, ['ticket', 'claim'], {}, demo.staff.id, channelId)).toMatch(/^✅/);
    await waitFor(
      async () => (await stack.emulator.messages(demo.logChannel.id)).some((m) => JSON.stringify(m.embeds).includes('claimed')),
      'the claim log line',
    );
    // Before: Redis holds both ids (jobs, events), which is what the test must be able to see.
    expect(await keysContaining(redis, stack.prefix, demo.member.id)).not.toEqual([]);
    expect(await keysContaining(redis, stack.prefix, demo.staff.id)).not.toEqual([]);

    // The claimer erases their id: the ticket's claimed_by goes with it.
    expect(await privacyDelete(demo.staff.id)).toMatch(/^✅ Your user id was erased from 1 ticket record/);
    const [row] = await queryRows<{ claimed_by: string | null; creator_id: string | null }>(
      stack.databaseUrl,
      'SELECT claimed_by, creator_id FROM tickets WHERE channel_id = ?',
      [channelId],
    );
    expect(row).toEqual({ claimed_by: null, creator_id: demo.member.id });
    expect(await keysContaining(redis, stack.prefix, demo.staff.id)).toEqual([]);

    // The creator erases theirs.
    expect(await privacyDelete(demo.member.id)).toMatch(/^✅ Your user id was erased from 1 ticket record/);
    expect(await keysContaining(redis, stack.prefix, demo.member.id)).toEqual([]);
    const jobs = (await Promise.all(queues.map((q) => q.getJobs(['completed', 'failed', 'delayed', 'waiting', 'active'])))).flat();
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.filter((job) => JSON.stringify([job.data, job.returnvalue, job.failedReason]).includes(demo.member.id))).toEqual([]);
  });

  it('after a blocked member erases their id, neither the projection nor any job names them, and they may open again', async () => {
    const blocked = demo.otherMember.id;
    expect(await command(stack.emulator, demo, ['config', 'blocklist', 'add'], { target: blocked })).toMatch(/^✅/);
    // The projection carries the blocked id: that is how the gateway refuses their open without a job.
    const projection = projectionKey(stack.prefix, demo.guild.id);
    expect(await redis.get(projection)).toContain(blocked);
    expect(await privacyDelete(blocked)).toMatch(/ and 1 server blocklist\(s\);/);
    expect(await redis.get(projection)).not.toContain(blocked);
    expect(await keysContaining(redis, stack.prefix, blocked)).toEqual([]);
    expect(await queryRows(stack.databaseUrl, 'SELECT target_id FROM blocklist WHERE target_id = ?', [blocked])).toEqual([]);
    const opened = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: blocked,
      kind: 'button',
      customId: 'pt:v1:open:support',
    });
    expect(opened.original?.content).toMatch(/^✅ Your ticket #\d{4} is open/);
  });
});
