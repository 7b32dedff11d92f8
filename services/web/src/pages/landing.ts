import { BOT_PERMISSIONS } from '@promton/shared/domain';
import { html } from '../html.js';
import { layout } from './layout.js';

/** Discord's OAuth2 invite URL asking for exactly the bot's permissions. */
export function inviteUrl(applicationId: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    permissions: BOT_PERMISSIONS.toString(),
    scope: 'bot applications.commands',
  });
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}

const FEATURES = [
  [
    'Private ticket channels',
    'A member clicks a panel button or picks from a select menu and gets a channel only they and the staff roles of that ticket type can see.',
  ],
  ['Up to five ticket types', 'Each with its own label, emoji, category, staff roles, welcome message, optional form questions and a per-member limit.'],
  ['Staff workflow', 'Claim, unclaim, add or remove members, rename and close with a reason, by slash command or by the buttons on the welcome message.'],
  ['Logs and transcripts', 'Every step is logged to the log channel you choose; closed tickets can post a transcript there.'],
  ['Your look', 'Title prefix, author, icon, banner, color and footer of every embed are yours to set.'],
  ['Answers at once', 'Every click is acknowledged within milliseconds, even when the bot is busy, so nobody sees “This interaction failed”.'],
  ['Little data, your rights', 'Ids and settings only, no usernames or avatars; every member can export or delete their data with /privacy.'],
] as const;

/** In demo mode (the services talk to the local emulator) the emulator's playground, where the bot can be tried by clicking. */
export function playgroundUrl(discordApiUrl: string): string {
  return `${discordApiUrl.replace(/\/api\/?$/, '')}/playground/`;
}

export function landingPage(applicationId: string, playground?: string): string {
  const body = html` ${
      playground
        ? html`<section class="demo-note">
            <p>
              <strong>Demo mode:</strong> this bot talks to the local Discord emulator. <a class="button" href="${playground}">Try it in the playground</a> —
              act as the owner, an admin, staff or a member and play a ticket by clicking.
            </p>
          </section>`
        : ''
    }
    <section class="hero">
      <h1>Support tickets for your Discord server</h1>
      <p class="lead">
        PROMTON-TICKETS gives every member's request its own private channel, lets your staff claim and close it, and logs every step — configured entirely with
        slash commands.
      </p>
      <p>
        <a class="button" href="${inviteUrl(applicationId)}" rel="noopener noreferrer">Add to Discord</a>
        <a class="button secondary" href="/commands">See the commands</a>
      </p>
      <p class="note">
        The invite asks only for what the bot uses: View Channels, Manage Channels (create, rename and delete ticket channels), Manage Roles (their permission
        overwrites), Send Messages, Embed Links, Attach Files (transcripts, and so a ticket's member and staff may attach files), Read Message History (claim,
        transcripts, auto-close), Manage Webhooks (the log channel's webhook, which log lines are posted through) and, for thread tickets, Create Private
        Threads, Send Messages in Threads and Manage Threads. It connects with the Guilds intent only. Transcripts need the Message Content intent, enabled for
        the bot in the Discord developer portal (above 100 servers Discord must approve it); without it
        <code>/config transcripts on</code> refuses.
      </p>
    </section>
    <section>
      <h2>What it does</h2>
      <ul class="features">
        ${FEATURES.map(
          ([title, text]) =>
            html`<li>
              <h3>${title}</h3>
              <p>${text}</p>
            </li>`,
        )}
      </ul>
    </section>
    <section>
      <h2>Getting started</h2>
      <ol class="steps">
        <li>Add the bot with the button above.</li>
        <li>Create a ticket type: <code>/config type add name:support label:Get help</code>.</li>
        <li>Choose where events are logged: <code>/config log-channel set channel:#ticket-log</code>.</li>
        <li>Post the panel members click: <code>/panel send channel:#support</code>.</li>
      </ol>
    </section>`;
  return layout({ title: 'PROMTON-TICKETS', path: '/', body });
}
