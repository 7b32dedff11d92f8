import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { act, adminAct, command, configureDemoGuild, seedDemoGuild, waitFor, type DemoGuild } from '../../scripts/stack/demo.js';
import { Stack } from '../../scripts/stack/stack.js';

/** Every admin setting through the real pipeline: success paths, each refusal, and nothing stored on error. */
describe('guild configuration by slash commands', () => {
  let stack: Stack;
  let demo: DemoGuild;
  const admin = (path: string[], args: Record<string, string | number | boolean> = {}) => command(stack.emulator, demo, ['config', ...path], args);
  const exportJson = async () => {
    const state = await adminAct(stack.emulator, demo, ['config', 'export']);
    const file = state.original?.attachments[0];
    if (!file) throw new Error(`export answered: ${state.original?.content}`);
    return JSON.parse(await (await fetch(file.url)).text()) as {
      types: { name: string; label: string; questions: string[]; staffRoleIds: string[]; autoCloseHours: number | null }[];
      embed: Record<string, unknown>;
      logChannelId: string | null;
      transcripts: boolean;
    };
  };

  beforeAll(async () => {
    stack = await Stack.start({ redisUrl: inject('redisUrl') });
    demo = await seedDemoGuild(stack.emulator);
    await configureDemoGuild(stack.emulator, demo);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('registers commands only when their definitions changed', async () => {
    const puts = () => stack.emulator.requests({ method: 'PUT', path: '/commands' });
    expect(await puts()).toHaveLength(1);
    await stack.stopService('gateway');
    await stack.startService('gateway');
    await stack.emulator.waitForGateway();
    expect(await puts()).toHaveLength(1);
  });

  it('refuses bad input naming the field and the limit, and stores nothing', async () => {
    const before = await exportJson();
    const refusals: [string[], Record<string, string | number | boolean>, RegExp][] = [
      [['type', 'add'], { name: 'Bad Name', label: 'x' }, /name/],
      [['type', 'add'], { name: 'support', label: 'Again' }, /support/],
      [['type', 'add'], { name: 'long-label', label: 'x'.repeat(81) }, /label.*80/],
      [['type', 'add'], { name: 'long-desc', label: 'x', description: 'd'.repeat(101) }, /description.*100/],
      [['type', 'add'], { name: 'bad-emoji', label: 'x', emoji: 'not an emoji' }, /emoji/],
      [['type', 'add'], { name: 'two-emoji', label: 'x', emoji: '🎫🎫' }, /exactly one/],
      [['type', 'add'], { name: 'other-emoji', label: 'x', emoji: '<:elsewhere:123456789012345678>' }, /not a custom emoji of this server/],
      [['type', 'add'], { name: 'bad-cat', label: 'x', category: demo.logChannel.id }, /category/],
      [['type', 'add'], { name: 'bad-role', label: 'x', 'staff-role': demo.guild.id }, /everyone/i],
      [['type', 'add'], { name: 'bad-limit', label: 'x', limit: 11 }, /limit.*10/],
      [['type', 'add'], { name: 'long-msg', label: 'x', message: 'm'.repeat(4001) }, /message.*4,?000/],
      [['type', 'edit'], { name: 'missing', label: 'x' }, /missing/],
      [['embed', 'set'], { color: 'red' }, /color.*#rrggbb/i],
      [['embed', 'set'], { banner: 'javascript:alert(1)' }, /banner.*http/i],
      [['embed', 'set'], { 'author-name': 'a'.repeat(257) }, /author.name.*256/],
      [['embed', 'set'], { 'title-prefix': 'p'.repeat(250) }, /title.prefix/],
      [['log-channel', 'set'], { channel: demo.category.id }, /text channel/i],
      [['log-channel', 'set'], { channel: demo.readOnlyChannel.id }, /cannot post in .*: it lacks Manage Webhooks there/],
    ];
    for (const [path, args, names] of refusals) {
      const text = await admin(path, args);
      expect(text, `/config ${path.join(' ')} ${JSON.stringify(args)}`).toMatch(/^❌ /);
      expect(text).toMatch(names);
    }
    expect(await exportJson()).toEqual(before);
  });

  it('manages ticket types, refusing the sixth', async () => {
    for (const name of ['billing', 'report', 'appeal', 'other']) {
      expect(await admin(['type', 'add'], { name, label: name.toUpperCase(), 'staff-role': demo.staffRole.id })).toMatch(/^✅/);
    }
    expect(await admin(['type', 'add'], { name: 'sixth', label: 'Sixth' })).toMatch(/^❌ .*5/);
    const [emoji] = demo.guild.emojis;
    expect(await admin(['type', 'edit'], { name: 'billing', label: 'Billing & invoices', limit: 2, emoji: `<:${emoji!.name}:${emoji!.id}>` })).toMatch(/^✅/);
    expect(await admin(['type', 'role-remove'], { name: 'billing', role: demo.staffRole.id })).toMatch(/^✅/);
    expect(await admin(['type', 'role-add'], { name: 'billing', role: demo.staffRole.id })).toMatch(/^✅/);
    expect(await admin(['type', 'list'])).toMatch(/billing/);
    expect(await admin(['type', 'remove'], { name: 'other' })).toMatch(/^✅/);
    const config = await exportJson();
    expect(config.types.map((t) => t.name)).toEqual(['support', 'billing', 'report', 'appeal']);
    expect(config.types[1]).toMatchObject({ label: 'Billing & invoices', staffRoleIds: [demo.staffRole.id], emoji: `<:ticket:${demo.guild.emojis[0]!.id}>` });
  });

  it('makes a change visible to the gateway at once: a click right after the add opens the new type', async () => {
    expect(await admin(['type', 'add'], { name: 'urgent', label: 'Urgent', category: demo.category.id })).toMatch(/^✅/);
    const state = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.member.id,
      kind: 'button',
      customId: 'pt:v1:open:urgent',
    });
    expect(state.original?.content).toMatch(/^✅ Your ticket #\d+ is open/);
    expect(await admin(['type', 'remove'], { name: 'urgent' })).toMatch(/^✅/);
    const gone = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.member.id,
      kind: 'button',
      customId: 'pt:v1:open:urgent',
    });
    expect(gone.original?.content).toMatch(/^❌ The ticket type "urgent" no longer exists/);
  });

  it('opens a form as a modal and shows the answers in the welcome message', async () => {
    expect(await admin(['type', 'question-add'], { name: 'report', question: 'Who are you reporting?' })).toMatch(/^✅/);
    expect(await admin(['type', 'question-add'], { name: 'report', question: 'What happened?' })).toMatch(/^✅/);
    const click = await stack.emulator.interact({
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.staff.id,
      kind: 'button',
      customId: 'pt:v1:open:report',
    });
    const modal = await stack.emulator.waitForResponse(click.id);
    expect(modal.response?.type).toBe(9);
    expect(JSON.stringify(modal.response?.data)).toContain('Who are you reporting?');
    const submitted = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.staff.id,
      kind: 'modal',
      customId: 'pt:v1:open-form:report',
      fields: { q0: 'User#1234', q1: 'Spam in <#general>' },
    });
    const channelId = /<#(\d+)>/.exec(submitted.original?.content ?? '')?.[1];
    expect(channelId, submitted.original?.content).toBeDefined();
    const [welcome] = await stack.emulator.messages(channelId!);
    const fields = (welcome?.embeds[0] as { fields: { name: string; value: string }[] }).fields;
    expect(fields).toEqual(
      expect.arrayContaining([
        { name: 'Who are you reporting?', value: 'User#1234' },
        { name: 'What happened?', value: 'Spam in <#general>' },
      ]),
    );
    expect(await admin(['type', 'question-remove'], { name: 'report', position: 1 })).toMatch(/^✅/);
    expect((await exportJson()).types.find((t) => t.name === 'report')?.questions).toEqual(['What happened?']);
  });

  it('posts a select-menu panel whose choice opens a ticket', async () => {
    expect(await command(stack.emulator, demo, ['panel', 'send'], { channel: demo.panelChannel.id, style: 'select', title: 'Pick one' })).toMatch(/^✅/);
    const messages = await stack.emulator.messages(demo.panelChannel.id);
    const panel = messages.reverse().find((m) => JSON.stringify(m.components).includes('pt:v1:open-select'))!;
    expect(JSON.stringify(panel.components)).toContain('"value":"billing"');
    const state = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.member.id,
      kind: 'select',
      customId: 'pt:v1:open-select:',
      values: ['billing'],
      messageId: panel.id,
    });
    expect(state.original?.content).toMatch(/^✅ Your ticket #\d+ is open/);
  });

  it('sets and resets the embed look, applied to what the bot posts', async () => {
    expect(
      await admin(['embed', 'set'], {
        'title-prefix': '[Acme] ',
        'author-name': 'Acme support',
        'author-icon': 'https://example.com/i.png',
        banner: 'https://example.com/b.png',
        color: '#123456',
        footer: 'Acme Inc.',
      }),
    ).toMatch(/^✅/);
    expect(await command(stack.emulator, demo, ['panel', 'send'], { channel: demo.panelChannel.id })).toMatch(/^✅/);
    const panel = (await stack.emulator.messages(demo.panelChannel.id)).at(-1)!;
    expect(panel.embeds[0]).toMatchObject({
      title: '[Acme] Open a ticket',
      color: 0x123456,
      author: { name: 'Acme support', icon_url: 'https://example.com/i.png' },
      image: { url: 'https://example.com/b.png' },
      footer: { text: 'Acme Inc.' },
    });
    expect(await admin(['embed', 'reset'])).toMatch(/^✅/);
    expect((await exportJson()).embed).toMatchObject({ titlePrefix: null, color: null, footerText: null });
  });

  it('shows, exports and imports the whole configuration atomically', async () => {
    const show = await adminAct(stack.emulator, demo, ['config', 'show']);
    expect(show.original?.content).toMatch(/^✅/);
    expect(JSON.stringify(show.original?.embeds)).toContain('billing');

    const exported = await exportJson();
    const edited = { ...exported, types: exported.types.filter((t) => t.name !== 'appeal') };
    const imported = await adminAct(stack.emulator, demo, ['config', 'import'], {
      args: { file: 'config.json' },
      attachments: [{ filename: 'config.json', content: JSON.stringify(edited), contentType: 'application/json' }],
    });
    expect(imported.original?.content).toMatch(/^✅/);
    expect((await exportJson()).types.map((t) => t.name)).not.toContain('appeal');

    const broken = { ...edited, types: [...edited.types, { ...edited.types[0]!, name: 'Not Valid!' }] };
    const refused = await adminAct(stack.emulator, demo, ['config', 'import'], {
      args: { file: 'broken.json' },
      attachments: [{ filename: 'broken.json', content: JSON.stringify(broken), contentType: 'application/json' }],
    });
    expect(refused.original?.content).toMatch(/^❌ /);
    expect((await exportJson()).types.map((t) => t.name)).toEqual(edited.types.map((t) => t.name));
  });

  it('clears the log channel and switches transcripts (once the app has the Message Content intent)', async () => {
    expect(await admin(['transcripts', 'on'])).toMatch(/^❌ Transcripts need the Message Content intent/);
    expect((await exportJson()).transcripts).toBe(false);
    await stack.emulator.setApplicationFlags(1 << 19); // limited: under 100 servers
    expect(await admin(['transcripts', 'on'])).toMatch(/^✅/);
    expect((await exportJson()).transcripts).toBe(true);
    expect(await admin(['transcripts', 'off'])).toMatch(/^✅/);
    expect(await admin(['log-channel', 'clear'])).toMatch(/^✅/);
    expect((await exportJson()).logChannelId).toBeNull();
    expect(await admin(['log-channel', 'set'], { channel: demo.logChannel.id })).toMatch(/^✅/);
    await waitFor(async () => (await exportJson()).logChannelId === demo.logChannel.id, 'the log channel to be set');
  });

  it('names the type whose emoji Discord refuses when a panel is sent (a custom emoji deleted since it was set)', async () => {
    const [emoji] = demo.guild.emojis;
    const name = (await exportJson()).types[0]!.name;
    expect(await admin(['type', 'edit'], { name, emoji: `<:${emoji!.name}:${emoji!.id}>` })).toMatch(/^✅/);
    await stack.emulator.deleteEmoji(demo.guild.id, emoji!.id);
    const answer = await command(stack.emulator, demo, ['panel', 'send'], { channel: demo.panelChannel.id });
    expect(answer).toMatch(new RegExp(`^❌ Discord refused the emoji of the type \`${name}\``));
  });
});
