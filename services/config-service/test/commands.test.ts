import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, GUILD, MEMBER, OWNER, answerFile, answerPayload, logEvents, readProjection, startHarness, type Harness } from './support.js';
import { t } from '@promton/shared/domain';

const MESSAGE_CONTENT_NEEDED = t('en-US', 'check.message-content');

const CATEGORY = '610000000000000001';
const TEXT = '610000000000000002';
const ROLE = '620000000000000001';
const BOT_ROLE = '620000000000000002';

describe('config-service commands', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    h.discord.channels.set(CATEGORY, { type: 4, guild_id: GUILD });
    h.discord.channels.set(TEXT, { type: 0, guild_id: GUILD });
    h.discord.roles.push({ id: ROLE, managed: false }, { id: BOT_ROLE, managed: true });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    // Each test starts from an empty configuration of the guild.
    const types = (await readProjection(h))?.types ?? [];
    for (const t of types) await h.command(['config', 'type', 'remove'], { name: t.name });
  });

  const resolved = {
    channels: { [CATEGORY]: { type: 4 }, [TEXT]: { type: 0 } },
    roles: { [ROLE]: { name: 'Staff' }, [BOT_ROLE]: { name: 'Bot', managed: true }, [GUILD]: { name: '@everyone' } },
  };

  it('refuses /config without Manage Server, whatever the client showed', async () => {
    const answer = await h.command(['config', 'type', 'add'], { name: 'x', label: 'X' }, { userId: MEMBER, permissions: '0' });
    expect(answer).toBe('❌ You need the Manage Server permission to use /config.');
    expect((await readProjection(h))?.types ?? []).toEqual([]);
    // Administrator implies it.
    expect(await h.command(['config', 'type', 'list'], {}, { permissions: (1n << 3n).toString() })).toMatch(/^✅ /);
  });

  it('validates /config type add and stores nothing on error', async () => {
    const add = (options: Record<string, string | number>) => h.command(['config', 'type', 'add'], options, { resolved });
    expect(await add({ name: 'Bad Name', label: 'X' })).toMatch(/^❌ The name must be 1 to 32 characters/);
    expect(await add({ name: 'a', label: 'X', category: TEXT })).toMatch(/^❌ The category must be a category channel/);
    expect(await add({ name: 'a', label: 'X', 'staff-role': GUILD })).toBe('❌ The staff role cannot be @everyone.');
    expect(await add({ name: 'a', label: 'X', 'staff-role': BOT_ROLE })).toMatch(/^❌ The staff role cannot be a role managed/);
    expect(await add({ name: 'a', label: 'X', emoji: 'not an emoji' })).toMatch(/^❌ The emoji must be/);
    expect(await add({ name: 'a', label: 'X', limit: 11 })).toMatch(/^❌ The limit must be a whole number from 1 to 10/);
    expect((await readProjection(h))?.types ?? []).toEqual([]);

    expect(await add({ name: 'support', label: 'Support', emoji: '🎫', category: CATEGORY, 'staff-role': ROLE, message: 'Hello', limit: 2 })).toMatch(/^✅ /);
    expect(await add({ name: 'support', label: 'Again' })).toMatch(/^❌ A ticket type named support already exists/);
    for (const name of ['b', 'c', 'd', 'e']) expect(await add({ name, label: name })).toMatch(/^✅ /);
    expect(await add({ name: 'f', label: 'F' })).toBe('❌ This server already has 5 ticket types, the most allowed; remove one first.');

    const projection = await readProjection(h);
    expect(projection?.types).toHaveLength(5);
    expect(projection?.types[0]).toEqual({
      name: 'support',
      label: 'Support',
      description: null,
      emoji: '🎫',
      categoryId: CATEGORY,
      staffRoleIds: [ROLE],
      welcomeMessage: 'Hello',
      perUserLimit: 2,
      questions: [],
      autoCloseHours: null,
      hours: null,
      threadChannelId: null,
      closeMode: 'delete',
      archiveCategoryId: null,
      archiveDays: 7,
    });
  });

  it('edits types, roles and questions', async () => {
    await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support' });
    expect(await h.command(['config', 'type', 'edit'], { name: 'support', label: 'Help', limit: 3 })).toBe(
      '✅ Ticket type support was updated (label, limit).',
    );
    expect(await h.command(['config', 'type', 'edit'], { name: 'nope', label: 'Help' })).toMatch(/^❌ There is no ticket type named nope/);
    expect(await h.command(['config', 'type', 'role-add'], { name: 'support', role: ROLE }, { resolved })).toMatch(/^✅ /);
    expect(await h.command(['config', 'type', 'role-add'], { name: 'support', role: GUILD }, { resolved })).toMatch(/^❌ /);
    expect(await h.command(['config', 'type', 'question-add'], { name: 'support', question: 'What happened?' })).toMatch(/^✅ /);
    expect(await h.command(['config', 'type', 'question-add'], { name: 'support', question: 'x'.repeat(46) })).toMatch(/^❌ The question must be at most 45/);
    let type = (await readProjection(h))?.types[0];
    expect(type).toMatchObject({ label: 'Help', perUserLimit: 3, staffRoleIds: [ROLE], questions: ['What happened?'] });
    expect(await h.command(['config', 'type', 'question-remove'], { name: 'support', position: 1 })).toMatch(/^✅ /);
    expect(await h.command(['config', 'type', 'role-remove'], { name: 'support', role: ROLE })).toMatch(/^✅ /);
    type = (await readProjection(h))?.types[0];
    expect(type).toMatchObject({ staffRoleIds: [], questions: [] });
    expect(await h.command(['config', 'type', 'list'])).toMatch(/^✅ Ticket types \(1 of 5\)/);
  });

  it('accepts a custom emoji of this server and refuses one from elsewhere, asking Discord', async () => {
    h.discord.emojis.add('700000000000000042');
    expect(await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support', emoji: '<:help:700000000000000042>' })).toMatch(/^✅ /);
    expect(await h.command(['config', 'type', 'add'], { name: 'sales', label: 'Sales', emoji: '<:nitro:700000000000000043>' })).toBe(
      '❌ The emoji <:nitro:700000000000000043> is not a custom emoji of this server; use one of its own or a unicode emoji.',
    );
    expect((await readProjection(h))?.types.map((t) => [t.name, t.emoji])).toEqual([['support', '<:help:700000000000000042>']]);
  });

  it('stores auto-close from /config type auto-close, shows it and keeps it through edits', async () => {
    const refusal = '❌ The auto-close must be a whole number of hours from 0 to 720 (0 = never).';
    expect(await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support' })).toMatch(/^✅ /);
    expect(await h.command(['config', 'type', 'add'], { name: 'sales', label: 'Sales' })).toMatch(/^✅ /);
    expect(await h.command(['config', 'type', 'auto-close'], { name: 'support', hours: 721 })).toBe(refusal);
    expect(await h.command(['config', 'type', 'auto-close'], { name: 'support', hours: 24 })).toBe('✅ Ticket type support was updated (auto-close).');
    expect(await h.command(['config', 'type', 'auto-close'], { name: 'missing', hours: 24 })).toMatch(/^❌ .*missing/);
    const hours = async () => (await readProjection(h))?.types.map((t) => [t.name, t.autoCloseHours]);
    expect(await hours()).toEqual([
      ['support', 24],
      ['sales', null],
    ]);

    expect(await h.command(['config', 'type', 'edit'], { name: 'support', label: 'Help' })).toBe('✅ Ticket type support was updated (label).');
    expect(await h.command(['config', 'type', 'auto-close'], { name: 'sales', hours: 6 })).toMatch(/^✅ /);
    expect(await h.command(['config', 'type', 'auto-close'], { name: 'sales', hours: -1 })).toBe(refusal);
    expect(await hours()).toEqual([
      ['support', 24],
      ['sales', 6],
    ]);
    expect(await h.command(['config', 'type', 'auto-close'], { name: 'support', hours: 0 })).toMatch(/^✅ /);
    expect(await hours()).toEqual([
      ['support', null],
      ['sales', 6],
    ]);
    expect(await h.command(['config', 'type', 'list'])).toMatch(/auto-close after 6 h/);
  });

  it('sets and resets the embed look, refusing bad values', async () => {
    expect(await h.command(['config', 'embed', 'set'], { color: 'red' })).toMatch(/^❌ The color must be written as #rrggbb/);
    expect(await h.command(['config', 'embed', 'set'], { banner: 'javascript:alert(1)' })).toMatch(/^❌ The banner must be an http or https URL/);
    expect(await h.command(['config', 'embed', 'set'], { 'title-prefix': 'x'.repeat(197) })).toMatch(/^❌ The title prefix must be at most 196/);
    expect(await h.command(['config', 'embed', 'set'], { color: '#ff8800', footer: 'Support team', 'title-prefix': '[ACME] ' })).toMatch(/^✅ /);
    expect((await readProjection(h))?.embed).toMatchObject({ color: 0xff8800, footerText: 'Support team', titlePrefix: '[ACME] ' });
    expect(await h.command(['config', 'embed', 'reset'])).toMatch(/^✅ /);
    expect((await readProjection(h))?.embed).toMatchObject({ color: null, footerText: null, titlePrefix: null });
  });

  it('sets the log channel after checking it with Discord, toggles transcripts and shows it all', async () => {
    const missing = '610000000000000099';
    expect(await h.command(['config', 'log-channel', 'set'], { channel: missing }, { resolved: { channels: { [missing]: { type: 0 } } } })).toMatch(
      /^❌ The channel <#610000000000000099> is not a channel the bot can see/,
    );
    expect(await h.command(['config', 'log-channel', 'set'], { channel: CATEGORY }, { resolved })).toBe('❌ The channel must be a text channel.');
    // An overwrite that takes Manage Webhooks from the bot's role: log-worker could not make the webhook it posts through.
    const closed = '610000000000000077';
    h.discord.channels.set(closed, {
      type: 0,
      guild_id: GUILD,
      permission_overwrites: [{ id: '300000000000000098', type: 0, allow: '0', deny: (1n << 29n).toString() }],
    });
    expect(await h.command(['config', 'log-channel', 'set'], { channel: closed }, { resolved: { channels: { [closed]: { type: 0 } } } })).toBe(
      `❌ The bot cannot post in <#${closed}>: it lacks Manage Webhooks there.`,
    );
    // Hidden from everyone, the bot included: View Channel is named first.
    const hidden = '610000000000000078';
    h.discord.channels.set(hidden, { type: 0, guild_id: GUILD, permission_overwrites: [{ id: GUILD, type: 0, allow: '0', deny: (1n << 10n).toString() }] });
    expect(await h.command(['config', 'log-channel', 'set'], { channel: hidden }, { resolved: { channels: { [hidden]: { type: 0 } } } })).toBe(
      `❌ The bot cannot post in <#${hidden}>: it lacks View Channel, Manage Webhooks there.`,
    );
    expect(await h.command(['config', 'log-channel', 'set'], { channel: TEXT }, { resolved })).toBe(`✅ Ticket events will be logged in <#${TEXT}>.`);
    // A new application has no Message Content intent: transcripts would be blank, so they are refused.
    h.discord.applicationFlags = 0;
    expect(await h.command(['config', 'transcripts', 'on'])).toBe(`❌ ${MESSAGE_CONTENT_NEEDED}`);
    expect(await readProjection(h)).toMatchObject({ transcripts: false });
    h.discord.applicationFlags = 1 << 19; // limited (under 100 servers) is enough
    expect(await h.command(['config', 'transcripts', 'on'])).toMatch(/^✅ /);
    expect(await readProjection(h)).toMatchObject({ logChannelId: TEXT, transcripts: true });
    h.discord.applicationFlags = 0;

    await h.deliver('guild.log-problem', { v: 1, guildId: GUILD, problem: 'Missing Access' });
    expect((await readProjection(h))?.logChannelProblem).toBe('Missing Access');
    await h.command(['config', 'show']);
    const show = answerPayload(h.discord.requests.filter((r) => r.method === 'PATCH').at(-1)!);
    expect(show.content).toMatch(/^✅ /);
    expect(JSON.stringify(show.embeds)).toContain('Missing Access');

    expect(await h.command(['config', 'log-channel', 'clear'])).toMatch(/^✅ /);
    expect(await readProjection(h)).toMatchObject({ logChannelId: null, logChannelProblem: null });
    await h.command(['config', 'transcripts', 'off']);
  });

  it("refuses a category where the bot could not open tickets, naming what it lacks there (its roles and the category's overwrites)", async () => {
    const LOCKED = '610000000000000009';
    const FAKE_BOT_ROLE_ID = '300000000000000098';
    // An admin denied the bot's role Manage Channels and Manage Roles in this category.
    h.discord.channels.set(LOCKED, {
      type: 4,
      guild_id: GUILD,
      permission_overwrites: [{ id: FAKE_BOT_ROLE_ID, type: 0, allow: '0', deny: ((1n << 4n) | (1n << 28n)).toString() }],
    });
    const withLocked = { ...resolved, channels: { ...resolved.channels, [LOCKED]: { type: 4 } } };
    const lacks = `<#${LOCKED}>: the bot lacks Manage Channels, Manage Roles there.`;
    expect(await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support', category: LOCKED }, { resolved: withLocked })).toBe(
      `❌ Tickets cannot open in the category ${lacks}`,
    );
    expect((await readProjection(h))?.types ?? []).toEqual([]);
    expect(await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support', category: CATEGORY }, { resolved: withLocked })).toMatch(/^✅/);
    expect(await h.command(['config', 'type', 'edit'], { name: 'support', category: LOCKED }, { resolved: withLocked })).toBe(
      `❌ Tickets cannot open in the category ${lacks}`,
    );
    expect((await readProjection(h))?.types[0]?.categoryId).toBe(CATEGORY);
    // Hidden from the bot altogether: View Channel is named too.
    h.discord.channels.set(LOCKED, {
      type: 4,
      guild_id: GUILD,
      permission_overwrites: [{ id: GUILD, type: 0, allow: '0', deny: (1n << 10n).toString() }],
    });
    expect(await h.command(['config', 'type', 'edit'], { name: 'support', category: LOCKED }, { resolved: withLocked })).toBe(
      `❌ Tickets cannot open in the category <#${LOCKED}>: the bot lacks View Channel, Manage Channels, Manage Roles there.`,
    );

    // The same check for a category in an imported file.
    await h.command(['config', 'export']);
    const exported = JSON.parse(answerFile(h.discord.requests.filter((r) => r.method === 'PATCH').at(-1)!));
    h.discord.files.set('locked.json', JSON.stringify({ ...exported, types: [{ ...exported.types[0], categoryId: LOCKED }] }));
    const imported = await h.command(
      ['config', 'import'],
      { file: '900000000000000002' },
      { resolved: { attachments: { '900000000000000002': { url: `${h.discord.url}/files/locked.json`, filename: 'locked.json', size: 100 } } } },
    );
    expect(imported).toBe(`❌ Tickets cannot open in the category <#${LOCKED}>: the bot lacks View Channel, Manage Channels, Manage Roles there.`);
    expect((await readProjection(h))?.types[0]?.categoryId).toBe(CATEGORY);
  });

  it('exports the configuration and imports it back atomically', async () => {
    await h.command(['config', 'type', 'add'], { name: 'support', label: 'Support', category: CATEGORY, 'staff-role': ROLE }, { resolved });
    await h.command(['config', 'embed', 'set'], { color: '#123456' });
    await h.command(['config', 'export']);
    const request = h.discord.requests.filter((r) => r.method === 'PATCH').at(-1)!;
    expect(request.contentType).toMatch(/^multipart\/form-data/);
    const exported = JSON.parse(answerFile(request));
    expect(exported).toMatchObject({ v: 1, embed: { color: 0x123456 }, types: [{ name: 'support', categoryId: CATEGORY, staffRoleIds: [ROLE] }] });
    expect(exported).not.toHaveProperty('updatedAt');

    const importFile = (name: string, content: unknown) => {
      h.discord.files.set(name, JSON.stringify(content));
      return h.command(
        ['config', 'import'],
        { file: '900000000000000001' },
        {
          resolved: { attachments: { '900000000000000001': { url: `${h.discord.url}/files/${name}`, filename: name, size: 100 } } },
        },
      );
    };
    // Invalid as a whole (one bad type among good ones): nothing changes.
    const bad = { ...exported, types: [...exported.types, { ...exported.types[0], name: 'other', label: 'y'.repeat(81) }] };
    expect(await importFile('bad.json', bad)).toMatch(/^❌ Ticket type other: The label must be at most 80 characters/);
    const managed = { ...exported, types: [{ ...exported.types[0], staffRoleIds: [BOT_ROLE] }] };
    expect(await importFile('managed.json', managed)).toMatch(/^❌ The staff role <@&620000000000000002> of support is managed/);
    expect((await readProjection(h))?.types.map((t) => t.name)).toEqual(['support']);

    const replaced = { ...exported, transcripts: true, types: [{ ...exported.types[0], name: 'billing', label: 'Billing' }] };
    expect(await importFile('good.json', replaced)).toBe('✅ The configuration was imported (1 ticket types, 0 tags, 0 blocked).');
    expect(await readProjection(h)).toMatchObject({ transcripts: true, types: [{ name: 'billing', label: 'Billing' }] });
    await h.command(['config', 'transcripts', 'off']);
  });

  it('answers /stats to the owner only', async () => {
    await h.deliver('guild.joined', { v: 1, guildId: GUILD, memberCount: 120 });
    expect(await h.command(['stats'], {}, { userId: ADMIN })).toBe('❌ Only the owner of PROMTON-TICKETS can use /stats.');
    expect(await h.command(['stats'], {}, { userId: OWNER, permissions: '0' })).toBe('✅ PROMTON-TICKETS is on 1 servers with 120 members in all.');
  });

  it('logs config.changed after each stored change, without tokens', async () => {
    h.discord.applicationFlags = 1 << 18;
    await h.command(['config', 'transcripts', 'on']);
    const events = await logEvents(h);
    const last = events.at(-1);
    expect(last).toMatchObject({ kind: 'config.changed', actorId: ADMIN, guildId: GUILD, detail: 'transcripts on' });
    expect(JSON.stringify(events)).not.toMatch(/token-/);
    await h.command(['config', 'transcripts', 'off']);
  });
});
