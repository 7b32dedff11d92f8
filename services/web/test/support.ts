import { inject } from 'vitest';
import { loadConfig, type Config } from '@promton/shared/contracts';
import { createRuntime, type Logger } from '@promton/shared/runtime';
import { createApp, type AppOverrides, type WebApp } from '../src/app.js';
import { testPrefix } from '../../../scripts/stack/prefix.js';

export const OWNER_TOKEN = 'owner-secret-token-for-the-web-tests-0123';

/** A config for tests: demo mode against an unreachable emulator URL (the web never calls Discord). */
export function testConfig(env: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    REDIS_URL: inject('redisUrl'),
    QUEUE_PREFIX: testPrefix(),
    DISCORD_API_URL: 'http://127.0.0.1:9/api',
    OWNER_TOKEN,
    LOG_LEVEL: 'silent',
    ...env,
  });
}

export async function startWeb(
  config: Config = testConfig(),
  { logger, ...overrides }: AppOverrides & { logger?: Logger } = {},
): Promise<WebApp & { config: Config }> {
  const web = await createApp(createRuntime('web', config, { role: 'producer', ...(logger ? { logger } : {}) }), overrides);
  await web.listen(0, '127.0.0.1');
  return Object.assign(web, { config });
}

export const bearer = { authorization: `Bearer ${OWNER_TOKEN}` };
export const basic = { authorization: `Basic ${Buffer.from(`owner:${OWNER_TOKEN}`).toString('base64')}` };

/** Tags whose src/href make the browser fetch something (unlike <a href>, which is a link). */
const FETCHING_TAGS = /<(script|link|img|iframe|source|video|audio|embed|object|track|image|use|input)\b[^>]*>/gi;
const URL_ATTRS = /\b(src|href|srcset|data|poster|xlink:href)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi;

/** Every resource a page would load from another origin: off-site src/href on fetching tags, CSS url()/@import. */
export function offsiteResources(page: string): string[] {
  const found: string[] = [];
  for (const tag of page.match(FETCHING_TAGS) ?? []) {
    for (const attr of tag.matchAll(URL_ATTRS)) {
      const value = attr[3] ?? attr[4] ?? attr[5] ?? '';
      if (/^(https?:)?\/\//i.test(value.trim())) found.push(`${tag}`);
    }
  }
  for (const match of page.matchAll(/url\(\s*['"]?\s*((https?:)?\/\/[^'")]+)/gi)) found.push(match[1] ?? '');
  for (const match of page.matchAll(/@import\s+(url\()?\s*['"]?((https?:)?\/\/[^'")\s;]+)/gi)) found.push(match[2] ?? '');
  return found;
}

/** Visible text of a page, entities decoded and whitespace collapsed. */
export function textOf(page: string): string {
  return page
    .replace(/<script[\s\S]*?<\/script>/gi, ' ')
    .replace(/<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
