import { describe, expect, it } from 'vitest';
import { ACTION_FAILURE, ACTION_NEEDS, botLacks, missingForAction } from './bot-actions.js';
import { BOT_PERMISSIONS, CATEGORY_NEEDS, PermissionFlagsBits as P, missingPermissions } from './permissions.js';
import { render } from './i18n/index.js';

describe('missingPermissions', () => {
  it('names what is missing, in a fixed order; Administrator holds everything', () => {
    expect(missingPermissions(0n, CATEGORY_NEEDS)).toEqual(['View Channel', 'Manage Channels', 'Manage Roles']);
    expect(missingPermissions(String(P.ViewChannel | P.ManageRoles), CATEGORY_NEEDS)).toEqual(['Manage Channels']);
    expect(missingPermissions(P.Administrator, CATEGORY_NEEDS)).toEqual([]);
    expect(missingPermissions(BOT_PERMISSIONS, CATEGORY_NEEDS)).toEqual([]);
  });

  it("writes each permission a ticket or log action needs as Discord's server settings name it", () => {
    const needed = P.ViewChannel | P.ManageChannels | P.ManageRoles | P.SendMessages | P.EmbedLinks | P.AttachFiles | P.ReadMessageHistory | P.ManageWebhooks;
    expect(missingPermissions('0', needed)).toEqual([
      'View Channel',
      'Manage Channels',
      'Manage Roles',
      'Send Messages',
      'Embed Links',
      'Attach Files',
      'Read Message History',
      'Manage Webhooks',
    ]);
  });
});

describe('what each action needs of the bot', () => {
  it('asks only for permissions the invite grants', () => {
    for (const needs of Object.values(ACTION_NEEDS)) expect(needs & ~BOT_PERMISSIONS).toBe(0n);
    expect(CATEGORY_NEEDS & ~BOT_PERMISSIONS).toBe(0n);
  });

  it('an open needs the server-level permissions of creating a channel, not posting in the panel channel', () => {
    expect(missingForAction('ticket.open', String(P.ManageChannels | P.ManageRoles))).toEqual([]);
    expect(missingForAction('ticket.open', String(P.ManageChannels))).toEqual(['Manage Roles']);
  });

  it('the actions in a ticket channel need what their calls need', () => {
    const only = (flags: bigint) => String(BOT_PERMISSIONS & ~flags);
    expect(missingForAction('ticket.member-add', only(P.ManageRoles))).toEqual(['Manage Roles']);
    expect(missingForAction('ticket.member-remove', only(P.ManageRoles))).toEqual(['Manage Roles']);
    expect(missingForAction('ticket.rename', only(P.ManageChannels))).toEqual(['Manage Channels']);
    expect(missingForAction('ticket.topic', only(P.ManageChannels))).toEqual(['Manage Channels']);
    expect(missingForAction('ticket.priority', only(P.ManageChannels))).toEqual(['Manage Channels']);
    expect(missingForAction('ticket.move', only(P.ManageChannels | P.ManageRoles))).toEqual(['Manage Channels', 'Manage Roles']);
    expect(missingForAction('ticket.close', only(P.ReadMessageHistory | P.ManageChannels))).toEqual(['Manage Channels', 'Read Message History']);
    expect(missingForAction('ticket.claim', only(P.ReadMessageHistory))).toEqual(['Read Message History']);
    expect(missingForAction('ticket.close-request', only(P.SendMessages))).toEqual(['Send Messages']);
    expect(missingForAction('ticket.tag', only(P.SendMessages))).toEqual(['Send Messages']);
    // Without View Channel Discord computes nothing else in the channel.
    expect(missingForAction('ticket.claim', '0')).toEqual(['View Channel', 'Read Message History']);
  });

  it('leaves thread tickets alone: their actions run on thread permissions', () => {
    for (const thread of [10, 11, 12]) expect(missingForAction('ticket.close', '0', thread)).toEqual([]);
    expect(missingForAction('ticket.close', '0', 0)).toContain('Manage Channels');
  });

  it('refuses nothing when Discord did not say', () => {
    expect(missingForAction('ticket.open', undefined)).toEqual([]);
    expect(missingForAction('ticket.open', 'not a number')).toEqual([]);
    expect(missingForAction('ticket.open', 'x8')).toEqual([]);
    expect(missingForAction('ticket.open', '8x')).toEqual([]);
    expect(botLacks('ticket.claim', undefined)).toBeNull();
  });

  it('botLacks is the catalog sentence naming the permissions', () => {
    const message = botLacks('ticket.rename', String(P.ViewChannel));
    expect(message).not.toBeNull();
    expect(render('en-US', message!)).toBe(
      'I could not rename the channel: I lack Manage Channels in this channel; ask an admin to give my role what is missing.',
    );
    expect(render('de', message!)).toContain('Manage Channels');
    expect(render('en-US', botLacks('ticket.move', String(P.ViewChannel))!)).toContain('I lack Manage Channels, Manage Roles in this channel');
    expect(botLacks('ticket.rename', String(BOT_PERMISSIONS))).toBeNull();
  });
});

describe('what each ticket job says it could not do', () => {
  it('names the action in the ❌ answer', () => {
    const said = Object.fromEntries(Object.entries(ACTION_FAILURE).map(([action, failure]) => [action, render('en-US', failure)]));
    expect(said).toEqual({
      'ticket.open': 'I could not open your ticket',
      'ticket.claim': 'I could not claim the ticket',
      'ticket.unclaim': 'I could not unclaim the ticket',
      'ticket.close': 'I could not close the ticket',
      'ticket.close-request': 'I could not ask to close the ticket',
      'ticket.member-add': 'I could not add the member',
      'ticket.member-remove': 'I could not remove the member',
      'ticket.rename': 'I could not rename the channel',
      'ticket.tag': 'I could not post the tag',
      'ticket.move': 'I could not move the ticket',
      'ticket.topic': 'I could not set the topic',
      'ticket.priority': 'I could not show the priority in the topic',
      'ticket.transfer': 'I could not hand the ticket over',
      'panel.send': 'I could not post the panel',
      'ticket.auto-close': 'I could not close the ticket',
      'ticket.reopen': 'I could not reopen the ticket',
      'ticket.transcript': 'I could not make the transcript',
      'ticket.delete': 'I could not delete the channel',
      'ticket.archive-delete': 'I could not delete the channel',
      'ticket.discard-channel': 'I could not delete the channel',
    });
  });
});
