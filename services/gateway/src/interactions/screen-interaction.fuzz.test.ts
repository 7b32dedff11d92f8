import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { customIdActions } from '@promton/shared/domain';
import { configJobSchemas, defaultGuildConfig, parseJob, ticketJobSchemas, type GuildConfig } from '@promton/shared/contracts';
import { ticketType } from '../../../../tests/support/ticket-type.js';
import { planInteraction } from './plan-interaction.js';
import { planSafely, screenInteraction } from './screen-interaction.js';

const GUILD = '100000000000000001';
const RUNS = 10_000;

/**
 * Discord's rules, written down here from docs/interactions/receiving-and-responding
 * (independently of the product's own table): which initial response types each
 * interaction type accepts. PING=1, APPLICATION_COMMAND=2, MESSAGE_COMPONENT=3,
 * APPLICATION_COMMAND_AUTOCOMPLETE=4, MODAL_SUBMIT=5.
 */
const DISCORD_ACCEPTS: Record<number, number[]> = {
  1: [1],
  2: [4, 5, 9],
  3: [4, 5, 6, 7, 9],
  4: [8],
  5: [4, 5, 6, 7],
};

const projection: GuildConfig = {
  ...defaultGuildConfig(GUILD),
  types: [ticketType('support', { label: 'Support' }), ticketType('form', { label: 'Form', questions: ['Why?', 'When?'] })],
};

const snowflake = fc.bigInt({ min: 10n ** 16n, max: 10n ** 19n }).map(String);
const huge = fc.integer({ min: 2_000, max: 200_000 }).map((n) => 'x'.repeat(n));
/** A value of the wrong type for any field. */
const junk = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.string(),
  huge,
  fc.array(fc.anything(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.anything(), { maxKeys: 3 }),
);
/** Usually a good value, sometimes junk (undefined included: a missing field). */
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 15, arbitrary: arb }, { weight: 1, arbitrary: junk });

const customIds = fc.oneof(
  fc
    .constantFrom(...customIdActions)
    .chain((action) =>
      fc
        .oneof(fc.constant(''), fc.constant('support'), fc.constant('form'), fc.integer({ min: -5, max: 10_000 }).map(String), fc.string())
        .map((arg) => `pt:v1:${action}:${arg}`),
    ),
  fc.string(),
  huge,
  fc.constant('pt:v1:'),
);
const option: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  option: fc.record(
    {
      name: maybe(fc.constantFrom('type', 'add', 'close', 'delete', 'reason', 'name', 'user', 'channel', 'hours')),
      type: maybe(fc.integer({ min: 1, max: 11 })),
      value: maybe(fc.oneof(fc.string(), fc.integer(), fc.boolean(), huge)),
      options: fc.array(tie('option'), { maxLength: 2 }),
    },
    { requiredKeys: ['name', 'type'] },
  ),
})).option;
const commandData = fc.record(
  {
    id: maybe(snowflake),
    name: maybe(fc.constantFrom('config', 'panel', 'ticket', 'privacy', 'stats', 'nope')),
    type: maybe(fc.constantFrom(1, 2, 3)),
    options: maybe(fc.array(option, { maxLength: 3 })),
    resolved: maybe(fc.dictionary(fc.string(), fc.anything(), { maxKeys: 2 })),
  },
  { requiredKeys: ['name', 'type', 'options'] },
);
const componentData = fc.record(
  {
    custom_id: maybe(customIds),
    component_type: maybe(fc.constantFrom(2, 3, 4)),
    values: maybe(fc.array(fc.oneof(fc.constant('support'), fc.constant('form'), fc.string(), huge), { maxLength: 3 })),
  },
  { requiredKeys: ['custom_id', 'component_type'] },
);
const modalData = fc.record(
  {
    custom_id: maybe(customIds),
    components: maybe(
      fc.array(
        fc.record({
          type: maybe(fc.constant(1)),
          components: maybe(
            fc.array(
              fc.record({
                type: maybe(fc.constant(4)),
                custom_id: maybe(fc.oneof(fc.constant('reason'), fc.string())),
                value: maybe(fc.oneof(fc.string(), huge)),
              }),
              { maxLength: 6 },
            ),
          ),
        }),
        { maxLength: 7 },
      ),
    ),
  },
  { requiredKeys: ['custom_id', 'components'] },
);
const member = fc.record({
  user: maybe(fc.record({ id: maybe(snowflake) })),
  roles: maybe(fc.array(maybe(snowflake), { maxLength: 3 })),
  permissions: maybe(
    fc.oneof({ weight: 6, arbitrary: fc.constantFrom('0', '32', '117760', String((1n << 53n) + 32n)) }, { weight: 1, arbitrary: fc.string() }),
  ),
});
const interaction = fc
  .record({
    id: maybe(snowflake),
    application_id: maybe(snowflake),
    token: maybe(fc.oneof({ weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9._-]{1,300}$/) }, { weight: 1, arbitrary: fc.string() })),
    type: maybe(fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: fc.integer({ min: -3, max: 20 }) })),
    guild_id: maybe(fc.constant(GUILD)),
    channel: maybe(fc.record({ id: maybe(snowflake), type: maybe(fc.constant(0)) })),
    member: maybe(member),
    data: fc.oneof(commandData, componentData, modalData, junk),
    version: fc.constant(1),
  })
  .map((payload) => payload as Record<string, unknown>);
/** Mostly interaction-shaped payloads, some anything at all. */
const payloads = fc.oneof({ weight: 19, arbitrary: interaction }, { weight: 1, arbitrary: fc.anything() });

const usableId = (v: unknown) => typeof v === 'string' && /^\d{1,20}$/.test(v);
const usableToken = (v: unknown) => typeof v === 'string' && /^[A-Za-z0-9._-]{1,1000}$/.test(v);

describe(`the gateway's interaction boundary, fuzzed with ${RUNS.toLocaleString('en')} random and malformed payloads`, () => {
  it('never throws; ignores only what cannot be answered; answers everything else as Discord allows, with jobs their workers accept', () => {
    const seen = { ignored: 0, malformed: 0, answered: 0, jobs: 0, modals: 0 };
    fc.assert(
      fc.property(payloads, fc.boolean(), (raw, withProjection) => {
        const screened = screenInteraction(raw, new Date('2026-01-01T00:00:00Z'));
        const record = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
        if (screened.kind === 'ignore') {
          seen.ignored++;
          // Only a payload Discord could not let us answer (no id, no token) or of no known type is ignored.
          expect(!usableId(record.id) || !usableToken(record.token) || !(typeof record.type === 'number' && record.type in DISCORD_ACCEPTS)).toBe(true);
          return;
        }
        expect(screened.id).toBe(record.id);
        expect(screened.token).toBe(record.token);
        const plan =
          screened.kind === 'answer'
            ? { ...screened.plan, error: screened.error }
            : planSafely(screened.interaction, screened.ctx, screened.needsProjection && withProjection ? projection : null);
        if (plan.error !== undefined) seen.malformed++;
        else seen.answered++;
        expect(DISCORD_ACCEPTS[record.type as number]).toContain(plan.response.type);
        const response = plan.response as {
          type: number;
          data?: { content?: string; flags?: number; title?: string; custom_id?: string; components?: unknown[] };
        };
        if (response.type === 4) {
          expect(response.data?.content?.length).toBeGreaterThan(0);
          expect(response.data?.content?.length).toBeLessThanOrEqual(2000);
          expect(response.data?.flags).toBe(64);
        }
        if (response.type === 9) {
          seen.modals++;
          expect(response.data?.title?.length).toBeLessThanOrEqual(45);
          expect(response.data?.custom_id?.length).toBeLessThanOrEqual(100);
          expect(response.data?.components?.length).toBeGreaterThanOrEqual(1);
          expect(response.data?.components?.length).toBeLessThanOrEqual(5);
        }
        if (plan.job) {
          seen.jobs++;
          const schemas = plan.job.queue === 'tickets' ? ticketJobSchemas : configJobSchemas;
          expect(() => parseJob(schemas, plan.job!.name, plan.job!.data)).not.toThrow();
          expect((plan.job.data as { ctx?: { interactionId: string } }).ctx?.interactionId).toBe(record.id);
        }
      }),
      { numRuns: RUNS, seed: 1414, endOnFailure: true },
    );
    // The generator reaches every outcome: none of the checks above was vacuous.
    expect(seen.ignored).toBeGreaterThan(0);
    expect(seen.malformed).toBeGreaterThan(0);
    expect(seen.answered).toBeGreaterThan(0);
    expect(seen.jobs).toBeGreaterThan(0);
    expect(seen.modals).toBeGreaterThan(0);
  });

  const base = {
    id: '900000000000000001',
    application_id: '110000000000000001',
    token: 'a-token',
    guild_id: GUILD,
    channel: { id: '400000000000000001', type: 0 },
    member: { user: { id: '200000000000000002' }, roles: [], permissions: '117760' },
    version: 1,
  };

  it('a modal submit carrying an open button’s id of a type with questions gets ❌, not a modal (Discord refuses a modal there)', () => {
    const raw = { ...base, type: 5, data: { custom_id: 'pt:v1:open:form', components: [] } };
    const screened = screenInteraction(raw, new Date());
    expect(screened.kind).toBe('ok');
    if (screened.kind !== 'ok') return;
    // planInteraction alone answers with a modal: the screen is what keeps Discord's rule.
    expect(planInteraction(screened.interaction, screened.ctx, projection).response.type).toBe(9);
    expect(planSafely(screened.interaction, screened.ctx, projection).response).toMatchObject({
      type: 4,
      data: { content: expect.stringMatching(/^❌ /), flags: 64 },
    });
  });

  it('a member without a user, or a command with junk permissions, is answered ❌ instead of crashing the handler', () => {
    const noUser = screenInteraction(
      { ...base, type: 3, member: { roles: [], permissions: '0' }, data: { custom_id: 'pt:v1:claim:1', component_type: 2 } },
      new Date(),
    );
    expect(noUser).toMatchObject({ kind: 'answer', error: expect.any(String), plan: { response: { type: 4 } } });
    const junkPermissions = screenInteraction(
      { ...base, type: 2, member: { ...base.member, permissions: 'lots' }, data: { name: 'config', type: 1, options: [] } },
      new Date(),
    );
    expect(junkPermissions.kind).toBe('ok');
    if (junkPermissions.kind !== 'ok') return;
    expect(() => planInteraction(junkPermissions.interaction, junkPermissions.ctx, null)).toThrow();
    expect(planSafely(junkPermissions.interaction, junkPermissions.ctx, null).response).toMatchObject({
      type: 4,
      data: { content: expect.stringMatching(/^❌ /) },
    });
  });

  it('autocomplete is answered only with a result (empty when nothing is focused or it cannot be read); a payload without a token is ignored', () => {
    const unfocused = screenInteraction({ ...base, type: 4, data: { name: 'config' } }, new Date());
    expect(unfocused).toMatchObject({ kind: 'ok', needsProjection: true });
    if (unfocused.kind !== 'ok') return;
    expect(planSafely(unfocused.interaction, unfocused.ctx, projection).response).toEqual({ type: 8, data: { choices: [] } });
    // Junk options make planning throw: still a result, never a message Discord would refuse.
    const junk = screenInteraction({ ...base, type: 4, data: { name: 'tag', options: 'junk' } }, new Date());
    if (junk.kind !== 'ok') throw new Error('expected ok');
    expect(planSafely(junk.interaction, junk.ctx, projection).response).toEqual({ type: 8, data: { choices: [] } });
    expect(screenInteraction({ ...base, type: 4, member: { roles: [] }, data: { name: 'tag' } }, new Date())).toMatchObject({
      kind: 'answer',
      plan: { response: { type: 8, data: { choices: [] } } },
    });
    expect(screenInteraction({ ...base, token: undefined, type: 3 }, new Date())).toMatchObject({ kind: 'ignore' });
    expect(screenInteraction({ ...base, token: 'has/slash', type: 3 }, new Date())).toMatchObject({ kind: 'ignore' });
  });
});
