import { html, type SafeHtml } from '../html.js';
import { layout } from './layout.js';

const SECTIONS: readonly (readonly [string, readonly string[]])[] = [
  [
    '1. Acceptance',
    [
      'These Terms of Service govern your use of the PROMTON-TICKETS Discord bot (the “Bot”) and its website (the “Site”). By adding the Bot to a server, using it, or using the Site, you agree to these terms. If you do not agree, do not use the Bot or the Site.',
    ],
  ],
  [
    '2. The service',
    [
      'The Bot creates private ticket channels, manages their permissions, posts messages and logs in the channels a server’s administrators choose, and keeps the configuration and ticket records described in our Privacy Policy.',
      'The service is provided free of charge, “as is” and “as available”. We may change, suspend or discontinue any part of it at any time, and we do not promise any level of availability.',
    ],
  ],
  [
    '3. Discord’s terms',
    [
      'You must follow Discord’s Terms of Service and Community Guidelines when you use the Bot. You must be old enough to use Discord and at least 13 years old (or older where local law requires).',
    ],
  ],
  [
    '4. Server administrators',
    [
      'If you add the Bot to a server, you are responsible for how it is configured there: which ticket types exist, who is staff, where logs and transcripts are posted, and what your welcome messages say.',
      'You are responsible for telling your members how tickets in your server are handled, and for the content your staff and members post in ticket channels.',
    ],
  ],
  [
    '5. Acceptable use',
    [
      'Do not use the Bot to harass, spam, or harm anyone; to share illegal content; to collect other people’s personal data beyond what running tickets needs; or to attempt to disrupt, overload, reverse engineer or gain unauthorized access to the Bot, the Site or their infrastructure.',
      'We may stop the Bot from serving any server or user that breaks these terms.',
    ],
  ],
  [
    '6. Your data',
    [
      'How we collect, use and delete data is set out in our Privacy Policy. Members can export or delete their data at any time with /privacy export and /privacy delete.',
    ],
  ],
  [
    '7. Content',
    [
      'You keep all rights to what you post. You allow the Bot to copy, move and display that content only as needed to operate the service in your server (for example to post a ticket log or transcript to the log channel).',
    ],
  ],
  [
    '8. No warranty; limitation of liability',
    [
      'To the fullest extent the law allows, we give no warranty of any kind, and we are not liable for any indirect, incidental or consequential damages, or for lost data, messages or channels, arising from the use of or inability to use the Bot or the Site.',
    ],
  ],
  [
    '9. Ending',
    ['You can stop using the Bot at any time by removing it from your server. Its data for that server is then deleted as the Privacy Policy describes.'],
  ],
  [
    '10. Changes',
    ['We may update these terms. The new terms are posted on this page with a new date; continuing to use the Bot after that means you accept them.'],
  ],
];

export function termsPage(contact: SafeHtml): string {
  const body = html` <article class="policy">
    <h1>Terms of Service for PROMTON-TICKETS</h1>
    <p>Last Updated: January 1, 2025</p>
    ${SECTIONS.map(
      ([title, paragraphs]) =>
        html`<h2>${title}</h2>
          ${paragraphs.map((p) => html`<p>${p}</p>`)}`,
    )}
    <h2>11. Contact</h2>
    <p>Questions about these terms: ${contact}</p>
  </article>`;
  return layout({ title: 'Terms of service', path: '/terms', body });
}
