import { html, type SafeHtml } from '../html.js';

export interface LayoutOptions {
  title: string;
  /** Path of the current page, to mark the navigation. */
  path: string;
  body: SafeHtml;
  /** Extra same-origin scripts (deferred). */
  scripts?: string[];
  /** Owner pages are kept out of search engines. */
  noindex?: boolean;
}

const NAV = [
  { href: '/', label: 'Home' },
  { href: '/commands', label: 'Commands' },
  { href: '/privacy', label: 'Privacy' },
  { href: '/terms', label: 'Terms' },
] as const;

/** The page shell. Every asset is served by this service: no CDN, no web font, no tracker. */
export function layout({ title, path, body, scripts = [], noindex = false }: LayoutOptions): string {
  return `<!DOCTYPE html>\n${
    html`<html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        ${noindex ? html`<meta name="robots" content="noindex" />` : ''}
        <title>${title === 'PROMTON-TICKETS' ? title : `${title} · PROMTON-TICKETS`}</title>
        <link rel="stylesheet" href="/assets/site.css" />
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        ${scripts.map((src) => html`<script src="${src}" defer></script>`)}
      </head>
      <body>
        <header class="site-header">
          <a class="brand" href="/">PROMTON-TICKETS</a>
          <nav aria-label="Site">
            ${NAV.map((item) => html`<a href="${item.href}" ${item.href === path ? html` aria-current="page"` : ''}>${item.label}</a>`)}
          </nav>
        </header>
        <main>${body}</main>
        <footer class="site-footer">
          <p>
            PROMTON-TICKETS · <a href="/privacy">Privacy policy</a> · <a href="/terms">Terms of service</a> · This site sets no cookies and loads nothing from
            other sites.
          </p>
        </footer>
      </body>
    </html>`.value
  }\n`;
}
