import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketChannelName } from '@promton/shared/domain';
import { startSagaHarness, type SagaHarness } from './support.js';

/** Staff of one ticket type are not staff of another: a billing helper cannot act on a support ticket. */
describe('ticket-worker staff permissions per ticket type', () => {
  let h: SagaHarness;
  let supportRole: string;
  let billingRole: string;
  let channelId: string;
  const user = (name: string) => h.guild.members.find((m) => m.username === name)!.id;

  beforeAll(async () => {
    h = await startSagaHarness();
    supportRole = h.guild.roles.find((r) => r.name === 'Support Staff')!.id;
    billingRole = h.guild.roles.find((r) => r.name === 'Billing Staff')!.id;
    await h.setTypes([
      { name: 'support', label: 'Support', staffRoleIds: [supportRole] },
      { name: 'billing', label: 'Billing', staffRoleIds: [billingRole] },
    ]);
    const ctx = await h.interaction();
    expect(await h.run('ticket.open', { v: 1, ctx, typeName: 'support', answers: [] })).toMatchObject({ state: 'completed' });
    channelId = h.channelsNamed(ticketChannelName(1))[0]!.id;
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses claim, rename, member-add and close to staff of another type, and changes nothing', async () => {
    const billing = user('other-staff');
    const jobs = [
      ['ticket.claim', {}],
      ['ticket.rename', { name: 'renamed' }],
      ['ticket.member-add', { userId: user('staff') }],
      ['ticket.close', { reason: 'not mine' }],
    ] as const;
    for (const [name, extra] of jobs) {
      // In the ticket's channel, where the commands that take no number find their ticket.
      const ctx = await h.interaction(billing, [billingRole], { channelId });
      const run = await h.run(name, { v: 1, ctx, ticketNumber: 1, ...extra } as never);
      expect(run, name).toMatchObject({ state: 'completed', attempts: 1 });
      expect(await h.answerOf(ctx), name).toMatch(/^❌ /);
    }
    expect(h.configService.tickets).toEqual([expect.objectContaining({ status: 'open', claimedBy: null, channelId })]);
    const channel = h.emulator.state.channels.get(channelId);
    expect(channel?.name).toBe(ticketChannelName(1));
    expect(channel?.permission_overwrites.map((o) => o.id)).not.toContain(user('staff'));
    expect((await h.logEvents()).map((e) => e.kind)).toEqual(['ticket.opened']);
  });

  it("lets staff of the ticket's own type claim it", async () => {
    const ctx = await h.interaction(user('staff'), [supportRole], { channelId });
    expect(await h.run('ticket.claim', { v: 1, ctx, ticketNumber: 1 })).toMatchObject({ state: 'completed', attempts: 1 });
    expect(await h.answerOf(ctx)).toMatch(/^✅ /);
    expect(h.configService.tickets).toEqual([expect.objectContaining({ claimedBy: user('staff') })]);
  });
});
