import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, GUILD, MEMBER, answerFile, answerPayload, logEvents, readProjection, startHarness, type Harness } from './support.js';

const ROLE = '620000000000000001';
const STAFF_ROLE = '620000000000000003';
const BLOCKED = '300000000000000055';

describe('config-service: tags, blocklist, ticket list and type changes', () => {
  let h: Harness;
  const lastAnswer = () => answerPayload(h.discord.requests.filter((r) => r.method === 'PATCH').at(-1)!);
  const blockTarget = (id: string, role = false) => ({
    resolved: role ? { roles: { [id]: { name: 'Role' } } } : { users: { [id]: { bot: false } } },
  });

  beforeAll(async () => {
    h = await startHarness();
    h.discord.roles.push({ id: ROLE, managed: false }, { id: STAFF_ROLE, managed: false });
  });
  afterAll(async () => {
    await h.close();
  });

  it('keeps up to 50 tags with validated names and content, refusing the 51st and duplicates', async () => {
    const tag = (options: Record<string, string>) => h.command(['config', 'tag', 'add'], options);
    expect(await tag({ name: 'Bad Name', content: 'x' })).toMatch(/^❌ The tag name must be 1 to 32 characters of a-z, 0-9 and -/);
    expect(await tag({ name: 'empty', content: '   ' })).toBe('❌ The content must not be empty.');
    expect(await tag({ name: 'long', content: 'x'.repeat(2001) })).toBe('❌ The content must be at most 2,000 characters.');
    expect(await tag({ name: 'refund', content: 'Refunds take 5 days.' })).toMatch(/^✅ Tag refund was added \(1 of 50\)/);
    expect(await tag({ name: 'refund', content: 'Again' })).toMatch(/^❌ A tag named refund already exists/);
    for (let i = 2; i <= 50; i += 1) expect(await tag({ name: `t${i}`, content: `Reply ${i}` })).toMatch(/^✅ /);
    expect(await tag({ name: 't51', content: 'one too many' })).toBe('❌ This server already has 50 tags, the most allowed; remove one first.');
    const projection = await readProjection(h);
    expect(projection?.tags).toHaveLength(50);
    expect(projection?.tags[0]).toEqual({ name: 'refund', content: 'Refunds take 5 days.' });
    expect(await h.command(['config', 'tag', 'list'])).toMatch(/^✅ Tags \(50 of 50\):\n`refund` — Refunds take 5 days\./);
    expect(await h.command(['config', 'tag', 'remove'], { name: 'nope' })).toMatch(/^❌ There is no tag named nope/);
    for (let i = 2; i <= 50; i += 1) await h.command(['config', 'tag', 'remove'], { name: `t${i}` });
    expect((await readProjection(h))?.tags.map((t) => t.name)).toEqual(['refund']);
    expect((await logEvents(h)).some((e) => e.kind === 'config.changed' && e.detail === 'tag refund added')).toBe(true);
  });

  it('blocks members and roles (never @everyone or a bot), shows them, and lists them', async () => {
    expect(await h.command(['config', 'blocklist', 'add'], { target: GUILD }, blockTarget(GUILD, true))).toMatch(/^❌ @everyone cannot be blocked/);
    expect(
      await h.command(['config', 'blocklist', 'add'], { target: '300000000000000077' }, { resolved: { users: { '300000000000000077': { bot: true } } } }),
    ).toMatch(/^❌ <@300000000000000077> is a bot/);
    expect(await h.command(['config', 'blocklist', 'add'], { target: BLOCKED }, blockTarget(BLOCKED))).toBe(`✅ <@${BLOCKED}> can no longer open tickets.`);
    expect(await h.command(['config', 'blocklist', 'add'], { target: BLOCKED }, blockTarget(BLOCKED))).toBe(`✅ <@${BLOCKED}> is already blocked.`);
    expect(await h.command(['config', 'blocklist', 'add'], { target: ROLE }, blockTarget(ROLE, true))).toBe(
      `✅ Members of <@&${ROLE}> can no longer open tickets.`,
    );
    expect((await readProjection(h))?.blocklist).toEqual({ userIds: [BLOCKED], roleIds: [ROLE] });
    expect(await h.command(['config', 'blocklist', 'list'])).toBe(`✅ Blocked (2): <@${BLOCKED}> <@&${ROLE}>`);
    await h.command(['config', 'show']);
    const fields = (lastAnswer().embeds as { fields: { name: string; value: string }[] }[])[0]!.fields;
    expect(fields).toEqual(
      expect.arrayContaining([
        { name: 'Tags (1 of 50)', value: '`refund`' },
        { name: 'Blocklist (2)', value: `<@${BLOCKED}> <@&${ROLE}>` },
      ]),
    );
    expect(await h.command(['config', 'blocklist', 'remove'], { target: ROLE }, blockTarget(ROLE, true))).toBe(
      `✅ Members of <@&${ROLE}> can open tickets again.`,
    );
    expect(await h.command(['config', 'blocklist', 'remove'], { target: ROLE }, blockTarget(ROLE, true))).toMatch(
      /^❌ <@&620000000000000001> is not on the blocklist/,
    );
  });

  it('exports tags and the blocklist and imports them atomically', async () => {
    await h.command(['config', 'export']);
    const exported = JSON.parse(answerFile(h.discord.requests.filter((r) => r.method === 'PATCH').at(-1)!));
    expect(exported).toMatchObject({ tags: [{ name: 'refund', content: 'Refunds take 5 days.' }], blocklist: { userIds: [BLOCKED], roleIds: [] } });
    const importFile = (name: string, content: unknown) => {
      h.discord.files.set(name, JSON.stringify(content));
      return h.command(
        ['config', 'import'],
        { file: '900000000000000001' },
        { resolved: { attachments: { '900000000000000001': { url: `${h.discord.url}/files/${name}`, filename: name, size: 100 } } } },
      );
    };
    const before = await readProjection(h);
    expect(
      await importFile('bad-tag.json', {
        ...exported,
        tags: [
          { name: 'ok', content: 'fine' },
          { name: 'BAD', content: 'x' },
        ],
      }),
    ).toMatch(/^❌ Tag BAD: The tag name/);
    expect(
      await importFile('dup-tag.json', {
        ...exported,
        tags: [
          { name: 'a', content: 'x' },
          { name: 'a', content: 'y' },
        ],
      }),
    ).toMatch(/^❌ The tag name a is used twice/);
    expect(await importFile('everyone.json', { ...exported, blocklist: { userIds: [], roleIds: [GUILD] } })).toMatch(/^❌ @everyone cannot be blocked/);
    expect(await importFile('gone-role.json', { ...exported, blocklist: { userIds: [], roleIds: ['620000000000000099'] } })).toBe(
      '❌ The blocked role 620000000000000099 does not exist in this server.',
    );
    const { updatedAt: _before, ...unchanged } = before!;
    void _before;
    expect(await readProjection(h)).toMatchObject(unchanged);
    // A file exported before tags and the blocklist existed clears them.
    const { tags: _tags, blocklist: _blocklist, ...old } = exported;
    void _tags;
    void _blocklist;
    expect(await importFile('old.json', old)).toBe('✅ The configuration was imported (0 ticket types, 0 tags, 0 blocked).');
    expect(await readProjection(h)).toMatchObject({ tags: [], blocklist: { userIds: [], roleIds: [] } });
    expect(await importFile('good.json', { ...exported, blocklist: { userIds: [BLOCKED], roleIds: [ROLE] } })).toBe(
      '✅ The configuration was imported (0 ticket types, 1 tags, 2 blocked).',
    );
    expect(await readProjection(h)).toMatchObject({ tags: exported.tags, blocklist: { userIds: [BLOCKED], roleIds: [ROLE] } });
  });

  it('puts a blocked member in /privacy export and takes them off every blocklist on /privacy delete, projection included', async () => {
    await h.command(['privacy', 'export'], {}, { userId: BLOCKED, permissions: '0' });
    const data = JSON.parse(answerFile(h.discord.requests.filter((r) => r.method === 'PATCH').at(-1)!));
    expect(data.blockedOn).toEqual([{ guildId: GUILD }]);
    expect(await h.command(['privacy', 'delete'], { confirmed: true }, { userId: BLOCKED, permissions: '0' })).toMatch(/and 1 server blocklist\(s\)/);
    expect((await readProjection(h))?.blocklist).toEqual({ userIds: [], roleIds: [ROLE] });
    await h.command(['privacy', 'export'], {}, { userId: BLOCKED, permissions: '0' });
    expect(JSON.parse(answerFile(h.discord.requests.filter((r) => r.method === 'PATCH').at(-1)!)).blockedOn).toEqual([]);
  });

  it('lists the open tickets staff may see, 10 a page, and moves a ticket within the new type’s limit', async () => {
    await h.command(
      ['config', 'type', 'add'],
      { name: 'support', label: 'Support', 'staff-role': STAFF_ROLE, limit: 2 },
      { resolved: { roles: { [STAFF_ROLE]: { name: 'Staff' } } } },
    );
    await h.command(['config', 'type', 'add'], { name: 'billing', label: 'Billing' });
    // Interaction ids are snowflakes (at most 20 digits), never longer than the column's 32 characters.
    let interactions = 0;
    const open = async (typeName: string, creatorId: string) => {
      interactions += 1;
      const interactionId = `${Date.now()}${String(interactions).padStart(4, '0')}`;
      const reply = await h.client.request('ticket.reserve', { v: 1, guildId: GUILD, typeName, creatorId, interactionId });
      if (!reply.ok) throw new Error(JSON.stringify(reply));
      return h.client.request('ticket.update', {
        v: 1,
        guildId: GUILD,
        ticketId: reply.ticket.id,
        set: { channelId: `7000000000000${String(reply.ticket.number).padStart(5, '0')}`, status: 'open' },
      });
    };
    const tickets = [];
    for (let i = 0; i < 12; i += 1) tickets.push((await open('support', `40000000000000${String(i).padStart(4, '0')}`))!);
    const billing = (await open('billing', '400000000000009999'))!;
    await h.client.request('ticket.update', { v: 1, guildId: GUILD, ticketId: tickets[0]!.id, set: { claimedBy: ADMIN, priority: 'urgent' } });

    expect(await h.command(['ticket', 'list'], {}, { userId: MEMBER, permissions: '0' })).toBe('❌ Only staff of a ticket type can list tickets.');
    const page1 = await h.command(['ticket', 'list'], {}, { userId: MEMBER, permissions: '0', roles: [STAFF_ROLE] });
    expect(page1).toMatch(
      /^✅ Open tickets 1–10 of 12 \(page 1 of 2\):\n🔴 \*\*#\d{4}\*\* <#\d+> · support · claimed by <@300000000000000001> · opened <t:\d+:R>/,
    );
    expect(page1.split('\n')).toHaveLength(11);
    expect(page1).not.toContain('billing');
    expect(lastAnswer().components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 2, label: 'Previous', custom_id: 'pt:v1:ticket-list:1', disabled: true },
          { type: 2, style: 2, label: 'Next', custom_id: 'pt:v1:ticket-list:2', disabled: false },
        ],
      },
    ]);
    const page2 = await h.command(['ticket', 'list'], { page: 2 }, { userId: MEMBER, permissions: '0', roles: [STAFF_ROLE] });
    expect(page2).toMatch(/^✅ Open tickets 11–12 of 12 \(page 2 of 2\):/);
    // Admins see every type.
    expect(await h.command(['ticket', 'list'], { page: 9 })).toMatch(/^✅ Open tickets 11–13 of 13 \(page 2 of 2\):[\s\S]*billing/);

    // The billing ticket's creator also has a support ticket; billing allows 1 open a member.
    const second = (await open('support', '400000000000009999'))!;
    await h.client.request('ticket.update', { v: 1, guildId: GUILD, ticketId: second.id, set: { claimedBy: ADMIN } });
    const limited = await h.client.request('ticket.change-type', { v: 1, guildId: GUILD, ticketId: second.id, typeName: 'billing', force: false });
    expect(limited).toMatchObject({ ok: false, reason: 'limit', limit: 1, open: [{ number: billing.number }] });
    expect(await h.client.request('ticket.get', { v: 1, guildId: GUILD, number: second.number })).toMatchObject({ typeName: 'support', claimedBy: ADMIN });
    // The billing ticket itself moves to support (the member's other support ticket leaves room in its limit of 2); the claim is released.
    const moved = await h.client.request('ticket.change-type', { v: 1, guildId: GUILD, ticketId: second.id, typeName: 'billing', force: true });
    expect(moved).toMatchObject({ ok: true, ticket: { typeName: 'billing', claimedBy: null } });
    const toSupport = await h.client.request('ticket.change-type', { v: 1, guildId: GUILD, ticketId: billing.id, typeName: 'support', force: false });
    expect(toSupport).toMatchObject({ ok: true, ticket: { typeName: 'support' } });
    expect(await h.client.request('ticket.change-type', { v: 1, guildId: GUILD, ticketId: billing.id, typeName: 'nope', force: false })).toEqual({
      ok: false,
      reason: 'unknown-type',
    });
  });
});
