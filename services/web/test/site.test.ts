import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_PERMISSIONS } from '@promton/shared/domain';
import { commandDefinitions } from '@promton/shared/commands';
import { ApplicationCommandOptionType, type APIApplicationCommandOption } from 'discord-api-types/v10';
import { DEFAULT_CONTACT } from '../src/pages/privacy.js';
import { offsiteResources, startWeb, testConfig, textOf } from './support.js';

const PUBLIC_PAGES = ['/', '/commands', '/privacy', '/terms'];
const ASSETS = ['/assets/site.css', '/assets/dashboard.js', '/assets/favicon.svg'];
const SEED = readFileSync(new URL('../content/privacy-policy.txt', import.meta.url), 'utf8');
/** SHA-256 of shared/seed/000_9f9fa803dfb1a972.txt, the policy as given. */
const POLICY_SEED_SHA256 = '9d83aae60da57d5001162f6d6989e272dbd39e34322c07a470052e2ce3dcc51a';

describe('public site', () => {
  let web: Awaited<ReturnType<typeof startWeb>>;

  beforeAll(async () => {
    web = await startWeb(testConfig({ CONTACT_EMAIL: 'privacy@example.org', DISCORD_APPLICATION_ID: '123456789012345678' }));
  });
  afterAll(async () => {
    await web.close();
  });

  it.each(PUBLIC_PAGES)('%s answers 200 with security headers, no cookie and nothing from another origin', async (path) => {
    const res = await fetch(`${web.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
    const page = await res.text();
    expect(offsiteResources(page)).toEqual([]);
    expect(page).toContain('href="/assets/site.css"');
  });

  it.each(ASSETS)('%s is served locally and loads nothing from another origin', async (path) => {
    const res = await fetch(`${web.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    const body = await res.text();
    expect(offsiteResources(body)).toEqual([]);
    // The only absolute URL the dashboard script may hold is the SVG namespace, which is never fetched.
    const urls = [...body.matchAll(/https?:\/\/[^\s'"`)]+/g)].map((m) => m[0]);
    expect(urls.filter((u) => u !== 'http://www.w3.org/2000/svg')).toEqual([]);
  });

  it('the off-site check catches what it must', () => {
    expect(offsiteResources('<link rel="stylesheet" href="https://fonts.googleapis.com/css">')).toHaveLength(1);
    expect(offsiteResources('<script src="//cdn.example/x.js"></script>')).toHaveLength(1);
    expect(offsiteResources('<img src=https://t.example/p.gif>')).toHaveLength(1);
    expect(offsiteResources('body{background:url("https://x.example/a.png")}')).toHaveLength(1);
    expect(offsiteResources('<a href="https://discord.com/oauth2/authorize">Add</a><img src="/a.png">')).toEqual([]);
  });

  it('in demo mode (no token, the emulator as Discord) the landing page links the playground of the emulator', async () => {
    const page = await (await fetch(`${web.url}/`)).text();
    expect(page).toContain('href="http://127.0.0.1:9/playground/"');
    expect(page).toContain('Try it in the playground');
  });

  it('the landing page links the invite with exactly the bot permissions and both scopes', async () => {
    const page = await (await fetch(`${web.url}/`)).text();
    const href = /href="(https:\/\/discord\.com\/oauth2\/authorize\?[^"]+)"/.exec(page)?.[1];
    expect(href).toBeDefined();
    const invite = new URL((href ?? '').replace(/&amp;/g, '&'));
    expect(invite.searchParams.get('client_id')).toBe('123456789012345678');
    expect(invite.searchParams.get('permissions')).toBe(BOT_PERMISSIONS.toString());
    expect(invite.searchParams.get('scope')?.split(' ').sort()).toEqual(['applications.commands', 'bot']);
  });

  it('/privacy publishes the whole policy and fills in the contact at section 10', async () => {
    const page = await (await fetch(`${web.url}/privacy`)).text();
    const text = textOf(page);
    for (const line of SEED.split('\n')
      .map((l) => l.replace(/^\s*•\s*/, '').trim())
      .filter(Boolean)) {
      expect(text).toContain(line.replace(/\s+/g, ' '));
    }
    expect(text).toMatch(/do not hesitate to contact us: privacy@example\.org/);
    expect(page).toContain('href="mailto:privacy@example.org"');
    expect(text).toContain('How PROMTON-TICKETS keeps these promises');
    expect(text).toMatch(/transcripts on .*HTML transcript posted to that server's log channel/);
  });

  it('the project copy of the policy is the seed text', () => {
    // The policy is a contract: its text is pinned by the seed's SHA-256, so the check
    // runs in every checkout (the seed itself lives outside the repository).
    expect(createHash('sha256').update(SEED).digest('hex')).toBe(POLICY_SEED_SHA256);
    expect(SEED).toMatch(/^Privacy Policy for PROMTON-TICKETS/);
    expect(SEED.trimEnd()).toMatch(/contact us:$/);
  });

  it('/commands lists every command, group, subcommand and option with who may use it', async () => {
    const text = textOf(await (await fetch(`${web.url}/commands`)).text());
    const walk = (path: string, options: readonly APIApplicationCommandOption[] | undefined) => {
      for (const option of options ?? []) {
        if (option.type === ApplicationCommandOptionType.Subcommand || option.type === ApplicationCommandOptionType.SubcommandGroup) {
          expect(text).toContain(`${path} ${option.name}`);
          walk(`${path} ${option.name}`, option.options);
        } else {
          expect(text).toMatch(new RegExp(`${path.replace(/[/]/g, '\\/')} .*${option.required ? '' : '\\['}${option.name}`));
          expect(text).toContain(option.description);
        }
      }
    };
    for (const command of commandDefinitions) {
      expect(text).toContain(`/${command.name}`);
      expect(text).toContain(command.description);
      walk(`/${command.name}`, command.options);
    }
    expect(text).toMatch(/\/config .*Who may use it: Members with Manage Server/);
    expect(text).toMatch(/\/panel .*Who may use it: Members with Manage Server/);
    expect(text).toContain('category only');
    expect(text).toContain('up to 32 characters');
    expect(text).toContain('1–10');
    expect(text).toContain('/config type close-mode');
    expect(text).toContain('/config transcript-dm on');
    expect(text).toContain('1–90');
  });

  it('/healthz answers for probes', async () => {
    const res = await fetch(`${web.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('unknown paths answer 404 without a cookie', async () => {
    const res = await fetch(`${web.url}/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});

describe('without CONTACT_EMAIL', () => {
  it('/privacy and /terms show the site’s own contact', async () => {
    const web = await startWeb(testConfig());
    try {
      expect(textOf(await (await fetch(`${web.url}/privacy`)).text())).toContain(`contact us: ${DEFAULT_CONTACT}`);
      expect(await (await fetch(`${web.url}/terms`)).text()).toContain(`mailto:${DEFAULT_CONTACT}`);
    } finally {
      await web.close();
    }
  });
});
