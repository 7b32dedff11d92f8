import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { act, command, configureDemoGuild, seedDemoGuild, waitFor, type DemoGuild } from '../../scripts/stack/demo.js';
import { Stack } from '../../scripts/stack/stack.js';

/** Members in their own Discord language, through the emulator: `locale` of each interaction, the server language for the channels. */
describe('languages end to end', () => {
  let stack: Stack;
  let demo: DemoGuild;

  beforeAll(async () => {
    stack = await Stack.start({ redisUrl: inject('redisUrl') });
    demo = await seedDemoGuild(stack.emulator);
    await configureDemoGuild(stack.emulator, demo);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const open = (userId: string, locale: string) =>
    act(stack.emulator, { guildId: demo.guild.id, channelId: demo.panelChannel.id, userId, kind: 'button', customId: 'pt:v1:open:support', locale });

  it('registers German, French, Spanish, Portuguese, Russian and Turkish names and descriptions with Discord', async () => {
    const { global } = await stack.emulator.commands();
    const ticket = global.find((c) => c.name === 'ticket') as unknown as {
      name_localizations: Record<string, string>;
      description_localizations: Record<string, string>;
    };
    expect(ticket.name_localizations).toMatchObject({ de: 'ticket', ru: 'тикет' });
    expect(ticket.description_localizations.de).toBe('Das Ticket dieses Kanals bearbeiten');
  });

  it('answers a member whose Discord is in German in German, and one in an unspoken language in English', async () => {
    const german = await open(demo.member.id, 'de');
    expect(german.original?.content).toMatch(/^✅ Dein Ticket #\d{4} ist geöffnet: <#\d+>\.$/);
    const japanese = await open(demo.otherMember.id, 'ja');
    expect(japanese.original?.content).toMatch(/^✅ Your ticket #\d{4} is open: <#\d+>\.$/);
  });

  it('writes the welcome and the log in the server language an admin chose, whatever the member speaks', async () => {
    expect(await command(stack.emulator, demo, ['config', 'language', 'set'], { locale: 'de' })).toMatch(/^✅ The server language is now Deutsch \(de\)/);
    // The member's own answer stays in their language (French); the channel and the log read German.
    const state = await open(demo.staff.id, 'fr');
    expect(state.original?.content).toMatch(/^✅ Ton ticket #\d{4} est ouvert : <#\d+>\.$/);
    const channelId = /<#(\d+)>/.exec(state.original?.content ?? '')![1]!;
    const welcome = (await stack.emulator.messages(channelId)).find((m) => m.embeds.length > 0)!;
    expect(JSON.stringify(welcome.embeds[0])).toContain('Übernommen von');
    expect(JSON.stringify(welcome.components)).toContain('Schließen');
    const log = await waitFor(
      async () => (await stack.emulator.messages(demo.logChannel.id)).flatMap((m) => m.embeds).find((e) => e.title === 'Ticket geöffnet'),
      'the German "ticket opened" log line',
    );
    expect(JSON.stringify(log)).toContain(`<#${channelId}>`);
  });

  it("follows Discord's server language (guild_locale) once the admin resets the choice", async () => {
    const reset = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.admin.id,
      kind: 'command',
      path: ['config', 'language', 'reset'],
      guildLocale: 'ru',
    });
    expect(reset.original?.content).toBe("✅ The server language follows Discord's server setting again (now Русский).");
    const state = await act(stack.emulator, {
      guildId: demo.guild.id,
      channelId: demo.panelChannel.id,
      userId: demo.admin.id,
      kind: 'button',
      customId: 'pt:v1:open:support',
      locale: 'tr',
      guildLocale: 'ru',
    });
    expect(state.original?.content).toMatch(/^✅ Ticket #\d{4} açıldı: <#\d+>\.$/);
    const channelId = /<#(\d+)>/.exec(state.original?.content ?? '')![1]!;
    const welcome = (await stack.emulator.messages(channelId)).find((m) => m.embeds.length > 0)!;
    expect(JSON.stringify(welcome.embeds[0])).toContain('В работе у');
  });
});
