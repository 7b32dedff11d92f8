import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { guildConfigSchema, projectionKey } from '@promton/shared/contracts';
import { BOT_PERMISSIONS } from '@promton/shared/domain';
import { act, seedDemoGuild, type DemoGuild } from '../../scripts/stack/demo.js';
import { Stack } from '../../scripts/stack/stack.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const COMMANDS_PER_RUN = 100;
const CONCURRENCY = 12;

type Args = Record<string, string | number | boolean>;

/**
 * Thousands of random option values through the real pipeline (gateway → config queue →
 * config-service → @original edit): no crash, every interaction answered, no request
 * body the emulator's schema check rejects, and the projection always equal to the database.
 */
describe('fuzzing /config with random option values', () => {
  let stack: Stack;
  let demo: DemoGuild;
  let redis: Redis;

  beforeAll(async () => {
    stack = await Stack.start({ redisUrl: inject('redisUrl') });
    // The bot as its invite asks for it: a thread channel passes the permission check.
    demo = await seedDemoGuild(stack.emulator, 'PROMTON demo', { botPermissions: BOT_PERMISSIONS.toString() });
    await stack.emulator.waitForGateway();
    redis = new Redis(inject('redisUrl'));
  });
  afterAll(async () => {
    redis?.disconnect();
    await stack?.close();
  });

  const text = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 120 }),
    fc.constantFrom(
      '',
      ' ',
      'support',
      'billing-2',
      '#ff00aa',
      '#GGGGGG',
      'https://example.com/a.png',
      'javascript:alert(1)',
      '🎫',
      '<:custom:123456789012345678>',
      '<script>x</script>',
      '@everyone',
      'a'.repeat(257),
      'b'.repeat(4001),
    ),
  );
  const name = fc.oneof(fc.constantFrom('support', 'billing', 'report', 'x', 'Bad Name', ''), fc.stringMatching(/^[a-z0-9-]{1,34}$/));
  const zone = fc.constantFrom('Europe/Berlin', 'america/new_york', 'UTC', 'Asia/Kolkata', 'Mars/Olympus', 'GMT+25', '');
  const clock = fc
    .tuple(fc.integer({ min: 0, max: 25 }), fc.constantFrom(0, 30, 59, 60))
    .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const days = fc.constantFrom('mon', 'tue-fri', 'sat,sun', 'daily', 'fri-mon', 'monday', 'funday', 'mon-', '');
  const schedule = fc
    .array(
      fc.tuple(days, clock, clock).map(([d, a, b]) => `${d} ${a}-${b}`),
      { minLength: 1, maxLength: 4 },
    )
    .map((entries) => entries.join('; '));
  const integer = fc.oneof(fc.integer({ min: -5, max: 15 }), fc.integer({ min: 700, max: 800 }));

  function commandArb(): fc.Arbitrary<{ path: readonly string[]; args: Args }> {
    const channel = fc.constantFrom(demo.category.id, demo.logChannel.id, demo.panelChannel.id);
    const role = fc.constantFrom(demo.staffRole.id, demo.guild.id, demo.guild.botRoleId);
    const typeFields = fc.record(
      {
        label: text,
        description: text,
        emoji: text,
        category: channel,
        message: text,
        limit: integer,
        'thread-channel': channel,
        tickets: fc.constantFrom('channels', 'threads'),
      },
      { requiredKeys: [] },
    );
    return fc.oneof(
      fc.record({
        path: fc.constant(['config', 'type', 'add']),
        args: fc
          .tuple(name, text, typeFields, fc.option(role, { nil: undefined }))
          .map(([n, label, fields, r]) => ({ ...fields, name: n, label, ...(r ? { 'staff-role': r } : {}) })),
      }),
      fc.record({ path: fc.constant(['config', 'type', 'edit']), args: fc.tuple(name, typeFields).map(([n, fields]) => ({ ...fields, name: n })) }),
      fc.record({
        path: fc.constantFrom(['config', 'type', 'role-add'], ['config', 'type', 'role-remove']),
        args: fc.tuple(name, role).map(([n, r]) => ({ name: n, role: r })),
      }),
      fc.record({ path: fc.constant(['config', 'type', 'question-add']), args: fc.tuple(name, text).map(([n, q]) => ({ name: n, question: q })) }),
      fc.record({ path: fc.constant(['config', 'type', 'question-remove']), args: fc.tuple(name, integer).map(([n, p]) => ({ name: n, position: p })) }),
      fc.record({ path: fc.constant(['config', 'type', 'auto-close']), args: fc.tuple(name, integer).map(([n, h]) => ({ name: n, hours: h })) }),
      fc.record({ path: fc.constant(['config', 'type', 'remove']), args: name.map((n) => ({ name: n })) }),
      fc.record({
        path: fc.constant(['config', 'type', 'hours']),
        args: fc
          .tuple(name, fc.oneof(zone, text), fc.oneof(schedule, text), fc.option(fc.constantFrom('notice', 'refuse'), { nil: undefined }))
          .map(([n, timezone, s, mode]) => ({ name: n, timezone, schedule: s, ...(mode ? { mode } : {}) })),
      }),
      fc.record({ path: fc.constant(['config', 'type', 'hours-clear']), args: name.map((n) => ({ name: n })) }),
      fc.record({
        path: fc.constant(['config', 'type', 'close-mode']),
        args: fc
          .tuple(
            name,
            fc.constantFrom('delete', 'archive'),
            fc.option(channel, { nil: undefined }),
            fc.option(fc.oneof(integer, fc.integer({ min: 80, max: 100 })), { nil: undefined }),
          )
          .map(([n, mode, category, days]) => ({
            name: n,
            mode,
            ...(category ? { 'archive-category': category } : {}),
            ...(days === undefined ? {} : { days }),
          })),
      }),
      fc.record({
        path: fc.constant(['config', 'language', 'set']),
        args: fc.constantFrom('de', 'fr', 'es-ES', 'pt-BR', 'ru', 'tr', 'en-US').map((locale) => ({ locale })),
      }),
      fc.record({
        path: fc.constant(['config', 'embed', 'set']),
        args: fc.record({ 'title-prefix': text, 'author-name': text, 'author-icon': text, banner: text, color: text, footer: text }, { requiredKeys: [] }),
      }),
      fc.record({ path: fc.constantFrom(['config', 'log-channel', 'set']), args: channel.map((c) => ({ channel: c })) }),
      fc.record({ path: fc.constant(['config', 'tag', 'add']), args: fc.tuple(name, text).map(([n, content]) => ({ name: n, content })) }),
      fc.record({ path: fc.constant(['config', 'tag', 'remove']), args: name.map((n) => ({ name: n })) }),
      fc.record({
        path: fc.constantFrom(['config', 'blocklist', 'add'], ['config', 'blocklist', 'remove']),
        args: fc.constantFrom(demo.member.id, demo.otherMember.id, demo.staffRole.id, demo.guild.id, demo.guild.botRoleId).map((target) => ({ target })),
      }),
      fc.record({
        path: fc.constantFrom(
          ['config', 'embed', 'reset'],
          ['config', 'type', 'list'],
          ['config', 'show'],
          ['config', 'transcripts', 'on'],
          ['config', 'transcripts', 'off'],
          ['config', 'transcript-dm', 'on'],
          ['config', 'transcript-dm', 'off'],
          ['config', 'log-channel', 'clear'],
          ['config', 'language', 'reset'],
          ['config', 'tag', 'list'],
          ['config', 'blocklist', 'list'],
          ['config', 'feedback', 'on'],
          ['config', 'feedback', 'off'],
          ['config', 'stats'],
        ),
        args: fc.constant({}),
      }),
    );
  }

  async function runAll(commands: { path: readonly string[]; args: Args }[]): Promise<string[]> {
    const answers: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < commands.length) {
          const { path, args } = commands[next++]!;
          const state = await act(stack.emulator, {
            guildId: demo.guild.id,
            channelId: demo.panelChannel.id,
            userId: demo.admin.id,
            kind: 'command',
            path: [...path],
            args,
          });
          answers.push(state.original?.content ?? '');
        }
      }),
    );
    return answers;
  }

  it(`answers ${RUNS * COMMANDS_PER_RUN} random commands, never sends an invalid body, and keeps the projection equal to the database`, async () => {
    const since = (await stack.emulator.requests()).at(-1)?.seq ?? 0;
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb(), { minLength: COMMANDS_PER_RUN, maxLength: COMMANDS_PER_RUN }), async (commands) => {
        const answers = await runAll(commands);
        expect(answers).toHaveLength(commands.length);
        for (const answer of answers) expect(answer).toMatch(/^(✅|❌) \S/);

        const exported = await act(stack.emulator, {
          guildId: demo.guild.id,
          channelId: demo.panelChannel.id,
          userId: demo.admin.id,
          kind: 'command',
          path: ['config', 'export'],
        });
        const file = exported.original?.attachments[0];
        expect(file, exported.original?.content).toBeDefined();
        const fromDatabase = JSON.parse(await (await fetch(file!.url)).text()) as Record<string, unknown>;
        const projection = guildConfigSchema.parse(JSON.parse((await redis.get(projectionKey(stack.prefix, demo.guild.id))) ?? 'null'));
        expect(projection.types.length).toBeLessThanOrEqual(5);
        expect(fromDatabase.types).toEqual(projection.types);
        expect(fromDatabase.embed).toEqual(projection.embed);
        expect(projection.tags.length).toBeLessThanOrEqual(50);
        expect(fromDatabase.tags).toEqual(projection.tags);
        expect(fromDatabase.blocklist).toEqual(projection.blocklist);
        expect(projection.blocklist.roleIds).not.toContain(demo.guild.id);
        expect(fromDatabase.feedback).toEqual(projection.feedback);
        expect(fromDatabase.transcripts).toEqual(projection.transcripts);
        expect(fromDatabase.transcriptDm).toEqual(projection.transcriptDm);
        expect(fromDatabase.language).toEqual(projection.language);
        expect(fromDatabase.logChannelId).toEqual(projection.logChannelId);
        for (const type of projection.types) {
          // Archiving is for channel tickets, into a category, for 1 to 90 days.
          if (type.closeMode === 'archive') {
            expect(type.threadChannelId).toBeNull();
            expect(type.archiveCategoryId).toBe(demo.category.id);
          }
          expect(type.archiveDays).toBeGreaterThanOrEqual(1);
          expect(type.archiveDays).toBeLessThanOrEqual(90);
        }
        // A thread channel is always a text channel (never the category).
        for (const type of projection.types) if (type.threadChannelId) expect([demo.logChannel.id, demo.panelChannel.id]).toContain(type.threadChannelId);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    const invalid = (await stack.emulator.requests({ since })).filter((r) => r.status === 400);
    expect(invalid.map((r) => `${r.method} ${r.path}: ${JSON.stringify(r.body).slice(0, 200)}`)).toEqual([]);
  }, 600_000);
});
