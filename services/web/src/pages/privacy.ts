import { readFileSync } from 'node:fs';
import { html, type SafeHtml } from '../html.js';
import { layout } from './layout.js';

/** The published policy text, a verbatim copy of the product's contract with its users. */
export const PRIVACY_POLICY_PATH = new URL('../../content/privacy-policy.txt', import.meta.url);

/** Used when CONTACT_EMAIL is not set: the address at the domain the policy names as the Site. */
export const DEFAULT_CONTACT = 'privacy@promton-tickets.xyz';

export function loadPrivacyPolicy(path: URL | string = PRIVACY_POLICY_PATH): string {
  return readFileSync(path, 'utf8');
}

export function contactHtml(contact: string): SafeHtml {
  const isEmail = /^[^\s@]+@[^\s@]+$/.test(contact);
  return isEmail ? html`<a href="mailto:${contact}">${contact}</a>` : html`${contact}`;
}

function bullet(text: string): SafeHtml {
  const match = /^([^:]{2,60}):\s(.*)$/.exec(text);
  return match ? html`<li><strong>${match[1]}:</strong> ${match[2]}</li>` : html`<li>${text}</li>`;
}

/** Renders the plain-text policy: numbered headings, bullet lists, paragraphs; the contact closes section 10. */
export function renderPolicy(text: string, contact: string): SafeHtml {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const out: SafeHtml[] = [];
  let list: SafeHtml[] = [];
  const flush = () => {
    if (list.length)
      out.push(
        html`<ul>
          ${list}
        </ul>`,
      );
    list = [];
  };
  lines.forEach((line, index) => {
    if (line.startsWith('•')) {
      list.push(bullet(line.replace(/^•\s*/, '')));
      return;
    }
    flush();
    if (index === 0) out.push(html`<h1>${line}</h1>`);
    else if (/^\d+\.\s/.test(line)) out.push(html`<h2 id="section-${line.split('.')[0]}">${line}</h2>`);
    else if (/contact us:$/.test(line) && index === lines.length - 1) out.push(html`<p>${line} ${contactHtml(contact)}</p>`);
    else out.push(html`<p>${line}</p>`);
  });
  flush();
  return html`${out}`;
}

export interface PrivacyPageOptions {
  policy: string;
  contact: string;
  purgeGraceHours: number;
}

export function privacyPage({ policy, contact, purgeGraceHours }: PrivacyPageOptions): string {
  const body = html` <article class="policy">${renderPolicy(policy, contact)}</article>
    <section class="promises">
      <h2>How PROMTON-TICKETS keeps these promises</h2>
      <ul>
        <li>
          The bot stores Discord ids (users, servers, channels, roles), your server's configuration and ticket records — no usernames, avatars or message
          history of its own.
        </li>
        <li>
          Message content is read only when a server's admins turn transcripts on (<code>/config transcripts on</code>): when a ticket closes, its messages are
          gathered into an HTML transcript posted to that server's log channel. PROMTON-TICKETS keeps no copy; with transcripts off (the default) no message
          content is read. Discord sends message text to a bot only with the Message Content intent, which the bot's owner enables in the developer portal;
          without it transcripts are refused.
        </li>
        <li>
          The bot connects to Discord with the Guilds intent only (servers and channels coming and going) and never receives messages live. It asks only for the
          permissions its features use: View Channels, Manage Channels and Manage Roles (ticket channels and who may see them), Send Messages, Embed Links,
          Attach Files (transcripts, and so a ticket's member and staff may attach files), Read Message History (claim, transcripts, auto-close) and Manage
          Webhooks (the log channel's webhook, whose token is kept only in memory), and for thread tickets Create Private Threads, Send Messages in Threads and
          Manage Threads.
        </li>
        <li>One service alone opens the database; the others receive only what a job needs.</li>
        <li>Interaction tokens are never written to logs, and queued work that carries one is deleted within 15 minutes.</li>
        <li>
          Any member can run <code>/privacy export</code> to get everything stored about them as a file, and <code>/privacy delete</code> to erase their user id
          from everything stored (section 6).
        </li>
        <li>When the bot is removed from a server, that server's data is deleted after ${purgeGraceHours} hours, in case the removal was a mistake.</li>
        <li>The owner's statistics are counts only: servers, members, ticket types and tickets per day.</li>
        <li>This site sets no cookies, runs no analytics and loads nothing from other sites.</li>
        <li>Where the policy points to section 8 for contact details, the contact is the one at the end of section 10: ${contactHtml(contact)}.</li>
      </ul>
    </section>`;
  return layout({ title: 'Privacy policy', path: '/privacy', body });
}
