import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { act, command, configureDemoGuild, openFromPanel, panelMessage, seedDemoGuild, waitFor, type DemoGuild } from '../../scripts/stack/demo.js';
import { Stack } from '../../scripts/stack/stack.js';

/**
 * Staff tools through the real pipeline: tags, the blocklist, move, topic, priority,
 * transfer and the paged list, plus type and tag names suggested by autocomplete within
 * Discord's 3 seconds (the emulator refuses a later answer).
 */
describe('staff tools end to end', () => {
  let stack: Stack;
  let demo: DemoGuild;
  let adminRole: string;

  const admin = (path: string[], args: Record<string, string | number | boolean> = {}) => command(stack.emulator, demo, ['config', ...path], args);
  const inTicket = (channelId: string, userId: string, path: string[], args: Record<string, string | number | boolean> = {}) =>
    command(stack.emulator, demo, path, args, userId, channelId);
  const open = (userId: string, typeName = 'support') => openFromPanel(stack.emulator, demo, userId, typeName);
  const suggest = async (userId: string, path: string[], focused: string, typed: string, channelId = demo.panelChannel.id) => {
    const { id } = await stack.emulator.interact({
      guildId: demo.guild.id,
      channelId,
      userId,
      kind: 'autocomplete',
      path,
      args: { [focused]: typed },
      focused,
    });
    const state = await stack.emulator.waitForResponse(id);
    expect(state.response?.type).toBe(8);
    return (state.response?.data as { choices: { name: string; value: string }[] }).choices;
  };
  const logTitles = async () =>
    (await stack.emulator.messages(demo.logChannel.id)).flatMap((m) => (m.embeds as { title?: string; fields?: { name: string; value: string }[] }[]) ?? []);

  beforeAll(async () => {
    stack = await Stack.start({ redisUrl: inject('redisUrl') });
    demo = await seedDemoGuild(stack.emulator);
    await configureDemoGuild(stack.emulator, demo);
    adminRole = demo.guild.roles.find((r) => r.name === 'Admin')!.id;
    expect(await admin(['type', 'edit'], { name: 'support', limit: 10 })).toMatch(/^✅/);
    expect(await admin(['type', 'add'], { name: 'billing', label: 'Billing', 'staff-role': adminRole })).toMatch(/^✅/);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('suggests type and tag names by autocomplete, from the projection, to whom may see them', async () => {
    expect(await admin(['tag', 'add'], { name: 'refund', content: 'Refunds take **5 working days**. @everyone need not worry.' })).toMatch(/^✅ Tag refund/);
    expect(await admin(['tag', 'add'], { name: 'hours', content: 'We answer from 9 to 17.' })).toMatch(/^✅/);

    expect(await suggest(demo.admin.id, ['config', 'type', 'edit'], 'name', 'bil')).toEqual([{ name: 'Billing (billing)', value: 'billing' }]);
    expect((await suggest(demo.admin.id, ['config', 'type', 'remove'], 'name', '')).map((c) => c.value)).toEqual(['support', 'billing']);
    expect((await suggest(demo.admin.id, ['config', 'tag', 'remove'], 'name', 're')).map((c) => c.value)).toEqual(['refund']);
    expect((await suggest(demo.staff.id, ['tag'], 'name', '')).map((c) => c.value)).toEqual(['refund', 'hours']);
    expect((await suggest(demo.staff.id, ['ticket', 'move'], 'type', 'SUP')).map((c) => c.value)).toEqual(['support']);
    // A member who is neither staff nor admin is offered nothing; staff are offered no /config names.
    expect(await suggest(demo.member.id, ['tag'], 'name', '')).toEqual([]);
    expect(await suggest(demo.staff.id, ['config', 'type', 'edit'], 'name', '')).toEqual([]);
    // Answered by the gateway alone: no job reached the queues, so nothing else happened.
    const autocompleted = (await stack.emulator.requests({ method: 'POST', path: '/callback' })).filter((r) => (r.body as { type?: number })?.type === 8);
    expect(autocompleted.length).toBeGreaterThanOrEqual(7);
  });

  it('posts a tag in the ticket for staff only, pinging nobody', async () => {
    const ticket = await open(demo.member.id);
    expect(await inTicket(ticket.channelId, demo.member.id, ['tag'], { name: 'refund' })).toBe('❌ Only staff of this ticket type can do that.');
    expect(await inTicket(ticket.channelId, demo.staff.id, ['tag'], { name: 'nope' })).toMatch(/^❌ There is no tag named nope/);
    expect(await inTicket(demo.panelChannel.id, demo.staff.id, ['tag'], { name: 'refund' })).toBe('❌ This command works inside a ticket channel.');
    expect(await inTicket(ticket.channelId, demo.staff.id, ['tag'], { name: 'refund' })).toMatch(/^✅ Posted the tag refund in ticket #\d{4}\./);
    const posted = (await stack.emulator.messages(ticket.channelId)).at(-1)!;
    expect(posted.content).toBe('Refunds take **5 working days**. @everyone need not worry.');
    const request = (await stack.emulator.requests({ method: 'POST', path: `/channels/${ticket.channelId}/messages` })).at(-1)!;
    expect((request.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [] });
    await inTicket(ticket.channelId, demo.staff.id, ['ticket', 'close']);
  });

  it('refuses a blocked member’s open, and a blocked role’s members’, at once and without a job; unblocking lets them open', async () => {
    expect(await admin(['blocklist', 'add'], { target: demo.otherMember.id })).toBe(`✅ <@${demo.otherMember.id}> can no longer open tickets.`);
    const panel = await panelMessage(stack.emulator, demo.panelChannel.id);
    const channelsBefore = (await stack.emulator.guild(demo.guild.id)).channels.length;
    const refused = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.otherMember.id,
      kind: 'button',
      customId: 'pt:v1:open:support',
      messageId: panel.id,
    });
    // The gateway's own answer (a message, not a deferral): no job was queued to answer later.
    expect(refused.response?.type).toBe(4);
    expect(refused.original?.content).toBe('❌ You cannot open tickets on this server: an admin put you, or one of your roles, on its blocklist.');

    const roleId = (await stack.emulator.addRole(demo.guild.id, { name: 'Muted' })).id;
    const muted = (await stack.emulator.addMember(demo.guild.id, { username: 'mo-muted', roles: [roleId] })).id;
    expect(await admin(['blocklist', 'add'], { target: roleId })).toBe(`✅ Members of <@&${roleId}> can no longer open tickets.`);
    const byRole = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: muted,
      kind: 'button',
      customId: 'pt:v1:open:support',
    });
    expect(byRole.original?.content).toMatch(/^❌ You cannot open tickets on this server/);
    expect((await stack.emulator.guild(demo.guild.id)).channels.length).toBe(channelsBefore);
    expect(await admin(['blocklist', 'list'])).toBe(`✅ Blocked (2): <@${demo.otherMember.id}> <@&${roleId}>`);

    expect(await admin(['blocklist', 'remove'], { target: demo.otherMember.id })).toBe(`✅ <@${demo.otherMember.id}> can open tickets again.`);
    const ticket = await open(demo.otherMember.id);
    await inTicket(ticket.channelId, demo.staff.id, ['ticket', 'close']);
  });

  it('moves a ticket to another type: category, staff overwrites, log and the released claim follow; the member’s limit of the new type holds', async () => {
    const ticket = await open(demo.member.id);
    expect(await inTicket(ticket.channelId, demo.staff.id, ['ticket', 'claim'])).toMatch(/^✅/);
    expect(await inTicket(ticket.channelId, demo.member.id, ['ticket', 'move'], { type: 'billing' })).toBe('❌ Only staff of this ticket type can do that.');
    expect(await inTicket(ticket.channelId, demo.staff.id, ['ticket', 'move'], { type: 'nope' })).toMatch(/^❌ There is no ticket type named nope/);
    expect(await inTicket(ticket.channelId, demo.staff.id, ['ticket', 'move'], { type: 'support' })).toMatch(/^❌ .*already a Support ticket/);
    expect(await inTicket(ticket.channelId, demo.staff.id, ['ticket', 'move'], { type: 'billing' })).toBe(
      `✅ Ticket #${String(ticket.number).padStart(4, '0')} moved to Billing; the claim of <@${demo.staff.id}> was released for its staff.`,
    );
    const channel = (await stack.emulator.channel(ticket.channelId))!;
    expect(channel.parent_id).toBeNull();
    const roleIds = channel.permission_overwrites.filter((o) => o.type === 0 && o.id !== demo.guild.id).map((o) => o.id);
    expect(roleIds).toEqual([adminRole]);
    expect(channel.permission_overwrites.some((o) => o.id === demo.member.id && o.type === 1)).toBe(true);
    expect(channel.topic).toContain('Billing');
    const welcome = (await stack.emulator.messages(ticket.channelId))[0]!;
    expect(JSON.stringify(welcome.components)).toContain(`pt:v1:claim:${ticket.number}`);
    // Support's staff no longer act on it; Billing's (admins) do.
    expect(await inTicket(ticket.channelId, demo.staff.id, ['ticket', 'claim'])).toBe('❌ Only staff of this ticket type can do that.');
    await waitFor(async () => (await logTitles()).find((e) => e.title === 'Ticket moved'), 'the move log');

    // Billing allows 1 open ticket a member: a second billing ticket of the same member cannot join it.
    const second = await open(demo.member.id);
    expect(await inTicket(second.channelId, demo.staff.id, ['ticket', 'move'], { type: 'billing' })).toMatch(
      /^❌ Ticket #\d{4} cannot move to Billing: the member who opened it already has 1 open ticket\(s\) of Billing, which allows 1 at a time\.$/,
    );
    expect((await stack.emulator.channel(second.channelId))!.parent_id).toBe(demo.category.id);
    await inTicket(second.channelId, demo.staff.id, ['ticket', 'close']);
    await inTicket(ticket.channelId, demo.admin.id, ['ticket', 'close']);
  });

  it('sets the topic and shows the priority before it; hands a claim over to staff only', async () => {
    const ticket = await open(demo.member.id);
    const label = `#${String(ticket.number).padStart(4, '0')}`;
    expect(await inTicket(ticket.channelId, demo.member.id, ['ticket', 'topic'], { text: 'mine' })).toBe('❌ Only staff of this ticket type can do that.');
    expect(await inTicket(ticket.channelId, demo.staff.id, ['ticket', 'topic'], { text: 'Refund of order 42' })).toBe(
      `✅ The topic of ticket ${label} was set.`,
    );
    expect((await stack.emulator.channel(ticket.channelId))!.topic).toBe('Refund of order 42');
    expect(await inTicket(ticket.channelId, demo.staff.id, ['ticket', 'priority'], { level: 'urgent' })).toBe(
      `✅ Ticket ${label} now has urgent priority (🔴 Urgent).`,
    );
    expect((await stack.emulator.channel(ticket.channelId))!.topic).toBe('🔴 Urgent · Refund of order 42');
    expect(await inTicket(ticket.channelId, demo.staff.id, ['ticket', 'topic'], { text: 'Refund of order 43' })).toMatch(/^✅/);
    expect((await stack.emulator.channel(ticket.channelId))!.topic).toBe('🔴 Urgent · Refund of order 43');
    expect(await inTicket(ticket.channelId, demo.staff.id, ['ticket', 'priority'], { level: 'normal' })).toBe(`✅ Ticket ${label} now has normal priority.`);
    expect((await stack.emulator.channel(ticket.channelId))!.topic).toBe('Refund of order 43');
    expect(await inTicket(ticket.channelId, demo.staff.id, ['ticket', 'priority'], { level: 'high' })).toMatch(/^✅/);

    // Unclaimed: staff may assign it. Claimed: only the claimer (or an admin) hands it over, to staff of the type.
    expect(await inTicket(ticket.channelId, demo.staff.id, ['ticket', 'transfer'], { member: demo.member.id })).toMatch(/^❌ <@\d+> is not staff of Support/);
    expect(await inTicket(ticket.channelId, demo.staff.id, ['ticket', 'transfer'], { member: demo.staff.id })).toBe(
      `✅ <@${demo.staff.id}> now claims ticket ${label}.`,
    );
    expect(await inTicket(ticket.channelId, demo.staff.id, ['ticket', 'transfer'], { member: demo.staff.id })).toMatch(/^❌ .*already claims/);
    const colleague = (await stack.emulator.addMember(demo.guild.id, { username: 'sue-staff', roles: [demo.staffRole.id] })).id;
    expect(await inTicket(ticket.channelId, colleague, ['ticket', 'transfer'], { member: colleague })).toBe(
      '❌ Only the staff member who claimed this ticket, or an admin, can hand it over.',
    );
    expect(await inTicket(ticket.channelId, demo.staff.id, ['ticket', 'transfer'], { member: colleague })).toBe(
      `✅ <@${colleague}> now claims ticket ${label}.`,
    );
    const messages = await stack.emulator.messages(ticket.channelId);
    expect(JSON.stringify(messages[0]!.embeds)).toContain(`<@${colleague}>`);
    expect(messages.at(-1)!.content).toBe(`<@${colleague}>, <@${demo.staff.id}> handed ticket ${label} to you.`);
    await waitFor(async () => (await logTitles()).find((e) => e.title === 'Claim transferred'), 'the transfer log');
    await waitFor(async () => (await logTitles()).find((e) => e.title === 'Priority changed'), 'the priority log');

    // /ticket list shows it with its priority and claimer.
    const list = await inTicket(demo.panelChannel.id, demo.staff.id, ['ticket', 'list']);
    expect(list).toContain(`🟠 **${label}** <#${ticket.channelId}> · support · claimed by <@${colleague}>`);
    await inTicket(ticket.channelId, demo.staff.id, ['ticket', 'close']);
  });

  it('lists open tickets to staff, 10 a page, with Previous and Next on the ephemeral answer', async () => {
    const opened = [];
    for (let i = 0; i < 11; i += 1) opened.push(await open(i < 9 ? demo.member.id : demo.otherMember.id));
    expect(await inTicket(demo.panelChannel.id, demo.member.id, ['ticket', 'list'])).toBe('❌ Only staff of a ticket type can list tickets.');
    const first = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.staff.id,
      kind: 'command',
      path: ['ticket', 'list'],
    });
    expect(first.original?.flags).toBe(64);
    expect(first.original?.content).toMatch(/^✅ Open tickets 1–10 of 11 \(page 1 of 2\):/);
    const next = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.staff.id,
      kind: 'button',
      customId: 'pt:v1:ticket-list:2',
      messageId: first.original!.id,
    });
    expect(next.response?.type).toBe(6);
    const page2 = await waitFor(async () => {
      const state = await stack.emulator.interaction(first.id);
      return state.original?.content.includes('page 2 of 2') ? state.original : null;
    }, 'page 2 in the same message');
    expect(page2.content).toContain(`<#${opened[10]!.channelId}>`);
    expect(JSON.stringify(page2.components)).toContain('"disabled":true');
    for (const ticket of opened) await inTicket(ticket.channelId, demo.staff.id, ['ticket', 'close']);
  });
});
