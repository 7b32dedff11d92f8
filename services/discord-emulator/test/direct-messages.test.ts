import { DiscordAPIError } from '@discordjs/rest';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function apiError(promise: Promise<unknown>): Promise<DiscordAPIError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DiscordAPIError) return error;
    throw error;
  }
  throw new Error('expected a DiscordAPIError');
}

async function setup() {
  h = await startEmulator({ rateLimits: false });
  const guild = await h.client.seedGuild({ name: 'G', members: [{ username: 'alice' }, { username: 'bob' }], channels: [{ name: 'general' }] });
  const alice = guild.members.find((m) => m.username === 'alice')!;
  const bob = guild.members.find((m) => m.username === 'bob')!;
  return { h, guild, alice, bob };
}

const button = (customId: string) => ({ type: 1, components: [{ type: 2, style: 2, label: 'Rate', custom_id: customId }] });

describe('direct messages (POST /users/@me/channels)', () => {
  it('opens one DM channel per user and delivers the bot’s messages there', async () => {
    const { h, alice } = await setup();
    const dm = (await h.rest.post('/users/@me/channels', { body: { recipient_id: alice.id } })) as { id: string; type: number; recipients: { id: string }[] };
    expect(dm).toMatchObject({ type: 1, recipients: [{ id: alice.id }] });
    expect(((await h.rest.post('/users/@me/channels', { body: { recipient_id: alice.id } })) as { id: string }).id).toBe(dm.id);
    const message = (await h.rest.post(`/channels/${dm.id}/messages`, { body: { content: 'Rate us', components: [button('x:1')] } })) as {
      channel_id: string;
      guild_id?: string;
    };
    expect(message.channel_id).toBe(dm.id);
    expect(message.guild_id).toBeUndefined();
    expect((await h.client.dm(alice.id))?.messages.map((m) => m.content)).toEqual(['Rate us']);
    expect(await h.rest.get(`/channels/${dm.id}`)).toMatchObject({ id: dm.id, type: 1 });
  });

  it('answers 50007 when the user accepts no DMs from server members, or shares no server with the bot', async () => {
    const { h, alice } = await setup();
    await h.client.setAcceptsDms(alice.id, false);
    const dm = (await h.rest.post('/users/@me/channels', { body: { recipient_id: alice.id } })) as { id: string };
    const refused = await apiError(h.rest.post(`/channels/${dm.id}/messages`, { body: { content: 'hi' } }));
    expect([refused.status, refused.code]).toEqual([403, 50007]);
    expect((await h.client.dm(alice.id))?.messages).toEqual([]);
    await h.client.setAcceptsDms(alice.id, true);
    await h.rest.post(`/channels/${dm.id}/messages`, { body: { content: 'hi' } });

    const stranger = '123456789012345678';
    h.emu.state.ensureUser(stranger); // a user who shares no server with the bot
    const strangerDm = (await h.rest.post('/users/@me/channels', { body: { recipient_id: stranger } })) as { id: string };
    expect((await apiError(h.rest.post(`/channels/${strangerDm.id}/messages`, { body: { content: 'hi' } }))).code).toBe(50007);
  });

  it('refuses a missing or unknown recipient', async () => {
    const { h } = await setup();
    expect((await apiError(h.rest.post('/users/@me/channels', { body: {} }))).code).toBe(50035);
    expect((await apiError(h.rest.post('/users/@me/channels', { body: { recipient_id: '999999999999999999' } }))).code).toBe(50033);
  });

  it('sends a click in the DM as a BOT_DM interaction with user and no guild, whose original is the DM message', async () => {
    const { h, alice, bob } = await setup();
    const dm = (await h.rest.post('/users/@me/channels', { body: { recipient_id: alice.id } })) as { id: string };
    const sent = (await h.rest.post(`/channels/${dm.id}/messages`, { body: { content: 'Rate us', components: [button('x:1')] } })) as { id: string };
    await expect(h.client.interact({ channelId: dm.id, userId: bob.id, kind: 'button', customId: 'x:1' })).rejects.toThrow(/only/);

    const { id, token, payload } = await h.client.interact({ channelId: dm.id, userId: alice.id, kind: 'button', customId: 'x:1' });
    expect(payload).toMatchObject({ type: 3, context: 1, channel_id: dm.id, user: { id: alice.id }, message: { id: sent.id } });
    expect(payload.guild_id).toBeUndefined();
    expect(payload.member).toBeUndefined();
    // The button opens a modal; its submit carries the same message, and an update edits it.
    const modal = {
      type: 9,
      data: { custom_id: 'x:2', title: 'Why?', components: [{ type: 1, components: [{ type: 4, custom_id: 'c', label: 'C', style: 2 }] }] },
    };
    await h.rest.post(`/interactions/${id}/${token}/callback`, { body: modal, auth: false });
    const submit = await h.client.interact({ channelId: dm.id, userId: alice.id, kind: 'modal', customId: 'x:2', fields: { c: 'fine' } });
    expect(submit.payload).toMatchObject({ type: 5, context: 1, message: { id: sent.id } });
    await h.rest.post(`/interactions/${submit.id}/${submit.token}/callback`, { body: { type: 6 }, auth: false });
    await h.rest.patch(`/webhooks/${h.emu.state.applicationId}/${submit.token}/messages/@original`, {
      body: { content: 'Thanks', components: [] },
      auth: false,
    });
    const [edited] = (await h.client.dm(alice.id))!.messages;
    expect(edited).toMatchObject({ id: sent.id, content: 'Thanks', components: [] });
  });
});
