import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { knownEnvVars } from '@promton/shared/contracts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COMPOSE_FILE = fileURLToPath(new URL('../compose.yaml', import.meta.url));
const EMULATOR_API = 'http://discord-emulator:8787/api';

interface Service {
  image?: string;
  user?: string;
  read_only?: boolean;
  security_opt?: string[];
  cap_drop?: string[];
  restart?: string;
  tmpfs?: string[] | string;
  logging?: { driver?: string; options?: Record<string, string> };
  networks?: Record<string, unknown> | string[];
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | number | null>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
  ports?: (string | { published?: string | number; target?: string | number })[];
  volumes?: (string | { source?: string; target?: string; type?: string })[];
  profiles?: string[];
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, { internal?: boolean }>;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 600_000 });
  return { status: result.error ? null : result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? result.error?.message ?? '' };
}

/**
 * A real compose validator: the v2 plugin (`docker compose`) when present, else
 * Debian's `docker-compose`, installed here when missing (as root with apt). Neither
 * needs a running engine for `config`.
 */
function composeValidator(): string[] {
  if (run('docker', ['compose', 'version']).status === 0) return ['docker', 'compose'];
  if (run('docker-compose', ['version']).status === 0) return ['docker-compose'];
  const root = process.getuid?.() === 0;
  if (root && run('apt-get', ['--version']).status === 0) {
    const update = run('apt-get', ['update']);
    const install = run('apt-get', ['install', '-y', '--no-install-recommends', 'docker-compose'], { DEBIAN_FRONTEND: 'noninteractive' });
    if (run('docker-compose', ['version']).status === 0) return ['docker-compose'];
    throw new Error(`could not install docker-compose with apt-get:\n${update.stderr}\n${install.stderr}`);
  }
  throw new Error(
    'compose.yaml cannot be validated: neither `docker compose` nor `docker-compose` is installed, and this run cannot install it ' +
      '(needs root and apt-get). Install it with `apt-get install -y docker-compose` and run the tests again.',
  );
}

let validator: string[];
let emptyEnvFile: string;

function compose(args: string[], env: NodeJS.ProcessEnv = {}) {
  const [command, ...prefix] = validator;
  // An empty env file: a developer's .env must not change what is checked.
  return run(command!, [...prefix, '--env-file', emptyEnvFile, '-f', COMPOSE_FILE, ...args], env);
}

/** The configuration as compose resolves it (anchors merged, ${...} substituted). */
function resolved(env: NodeJS.ProcessEnv = {}, profiles: string[] = []): ComposeFile {
  const result = compose([...profiles.flatMap((p) => ['--profile', p]), 'config'], env);
  expect(result.status, result.stderr).toBe(0);
  return parse(result.stdout) as ComposeFile;
}

function healthUrl(service: Service): URL | undefined {
  const test = service.healthcheck?.test;
  const text = Array.isArray(test) ? test.join(' ') : (test ?? '');
  // A bash probe: exec 3<>/dev/tcp/HOST/PORT, then GET PATH; 200 means healthy.
  const match = /\/dev\/tcp\/([\d.]+)\/(\d+)\b.*GET (\/\S*) HTTP\/1\.[01].*' 200 '/.exec(text);
  return match ? new URL(`http://${match[1]}:${match[2]}${match[3]}`) : undefined;
}

/** The service's published ports as host address, host port and container port. */
function publishedPorts(service: Service): { host: string; published: number; target: number }[] {
  return (service.ports ?? []).map((p) => {
    if (typeof p !== 'string') return { host: (p as { host_ip?: string }).host_ip ?? '', published: Number(p.published), target: Number(p.target) };
    const parts = p.replace(/\/(tcp|udp)$/, '').split(':');
    const target = Number(parts.pop());
    const published = Number(parts.pop());
    return { host: parts.join(':'), published, target };
  });
}

function networksOf(service: Service): string[] {
  return Array.isArray(service.networks) ? service.networks : Object.keys(service.networks ?? {});
}

function volumeTargets(service: Service): { source: string; target: string }[] {
  return (service.volumes ?? []).map((v) => {
    if (typeof v === 'string') {
      const [source = '', target = ''] = v.split(':');
      return { source, target };
    }
    return { source: v.source ?? '', target: v.target ?? '' };
  });
}

// Test environments (CI, a developer's shell) may carry product variables; the file's defaults are what is checked.
// The Redis passwords compose requires (.env) are given.
const REDIS_PASSWORDS = { REDIS_PASSWORD: 'bot0123456789abcdef', REDIS_WEB_PASSWORD: 'web0123456789abcdef' };
const cleanEnv = { ...Object.fromEntries(knownEnvVars.map((name) => [name, undefined])), ...REDIS_PASSWORDS } as NodeJS.ProcessEnv;

beforeAll(() => {
  validator = composeValidator();
  emptyEnvFile = join(mkdtempSync(join(tmpdir(), 'promton-compose-')), 'empty.env');
  writeFileSync(emptyEnvFile, '');
}, 600_000);

afterAll(() => {
  rmSync(dirname(emptyEnvFile), { recursive: true, force: true });
});

describe('compose.yaml', () => {
  const raw = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as ComposeFile;

  it('is valid for a real compose validator, with and without the demo profile', () => {
    const plain = compose(['config', '-q'], cleanEnv);
    expect(plain.status, plain.stderr).toBe(0);
    const demo = compose(['--profile', 'demo', 'config', '-q'], { ...cleanEnv, DISCORD_API_URL: EMULATOR_API });
    expect(demo.status, demo.stderr).toBe(0);
  });

  it('has an entry for every folder in services/, each running its own build output', () => {
    const config = resolved(cleanEnv);
    const folders = readdirSync(new URL('../services/', import.meta.url), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(folders.length).toBeGreaterThan(0);
    for (const name of folders) {
      const service = raw.services[name];
      expect(service, `compose.yaml has no service ${name}`).toBeDefined();
      expect(service?.build).toBeDefined();
      const command = Array.isArray(service?.command) ? service.command.join(' ') : (service?.command ?? '');
      expect(command).toMatch(new RegExp(`(services/${name}/dist/main\\.js|npm start -w services/${name})`));
      // The package's own start command runs the same file (the emulator's `main` is its library entry, dist/index.js).
      const start = (JSON.parse(readFileSync(new URL(`../services/${name}/package.json`, import.meta.url), 'utf8')) as { scripts?: { start?: string } }).scripts
        ?.start;
      expect(start).toBe('node dist/main.js');
      // Resolved config lists it too (profiles do not hide a service from `config`).
      expect(Object.keys(config.services)).toContain(name);
    }
  });

  it('sets only environment variables the product knows', () => {
    const known = new Set<string>(knownEnvVars);
    for (const config of [resolved(cleanEnv), raw]) {
      for (const [name, service] of Object.entries(config.services)) {
        // The database servers read their own image's variables.
        if (name === 'redis' || name === 'postgres') continue;
        for (const variable of Object.keys(service.environment ?? {})) {
          expect(known.has(variable), `${name} sets ${variable}, which shared/src/config.ts does not know`).toBe(true);
        }
      }
    }
  });

  it('runs Redis with AOF persistence and noeviction, unpublished, on a volume', () => {
    const redis = raw.services.redis!;
    const command = Array.isArray(redis.command) ? redis.command.join(' ') : (redis.command ?? '');
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
    expect(redis.ports).toBeUndefined();
    expect(volumeTargets(redis).map((v) => v.target)).toContain('/data');
    const test = redis.healthcheck?.test;
    expect(Array.isArray(test) ? test.join(' ') : test).toMatch(/redis-cli ping/);
  });

  it('gives every service a healthcheck on its /healthz, and starts the bot after a healthy Redis', () => {
    const config = resolved(cleanEnv);
    for (const [name, service] of Object.entries(config.services)) {
      expect(service.healthcheck?.test, `${name} has no healthcheck`).toBeDefined();
      expect(service.healthcheck?.disable).not.toBe(true);
      if (name === 'redis') continue;
      if (name === 'postgres') {
        // Over TCP, so the first-start server (no address) does not count as ready.
        expect((service.healthcheck?.test as string[]).join(' ')).toMatch(/pg_isready -h 127\.0\.0\.1 -U promton -d promton/);
        continue;
      }
      const url = healthUrl(service);
      expect(url, `${name}'s healthcheck requests no URL`).toBeDefined();
      const env = service.environment ?? {};
      if (name === 'discord-emulator') {
        // The emulator's health lives on its control API, on its own port.
        expect(url?.pathname).toBe('/_emulator/health');
        expect(url?.port).toBe(String(env.EMULATOR_PORT));
        continue;
      }
      expect(url?.pathname).toBe('/healthz');
      const port = name === 'web' ? env.WEB_PORT : env.HEALTH_PORT;
      expect(port, `${name} sets no ${name === 'web' ? 'WEB_PORT' : 'HEALTH_PORT'}`).toBeDefined();
      expect(url?.port).toBe(String(port));
      expect(env.REDIS_URL).toBe(
        name === 'web' ? `redis://web:${REDIS_PASSWORDS.REDIS_WEB_PASSWORD}@redis:6379` : `redis://:${REDIS_PASSWORDS.REDIS_PASSWORD}@redis:6379`,
      );
      const dependsOn = service.depends_on;
      expect(Array.isArray(dependsOn) ? undefined : dependsOn?.redis?.condition).toBe('service_healthy');
    }
  });

  it('keeps the database on a volume where DATABASE_URL points', () => {
    const config = resolved(cleanEnv);
    const service = config.services['config-service']!;
    const url = String(service.environment?.DATABASE_URL ?? '');
    expect(url).toMatch(/^sqlite:\//);
    const dir = url.replace(/^sqlite:/, '').replace(/\/[^/]+$/, '');
    const volume = volumeTargets(service).find((v) => v.target === dir);
    expect(volume, `no volume mounted at ${dir}`).toBeDefined();
    expect(Object.keys(raw.volumes ?? {})).toContain(volume?.source);
    // Only config-service opens the database (and all-in-one, which runs it, on the same volume).
    const single = resolved(cleanEnv, ['single']).services['all-in-one']!;
    expect(single.environment?.DATABASE_URL).toBe(url);
    expect(volumeTargets(single)).toContainEqual(volume);
    for (const [name, other] of Object.entries(config.services)) {
      if (name !== 'config-service' && name !== 'all-in-one') expect(other.environment?.DATABASE_URL, name).toBeUndefined();
    }
  });

  it('publishes only the site, on 127.0.0.1 unless WEB_BIND says otherwise (and the emulator’s port in the demo); the site gets no bot token', () => {
    const config = resolved(cleanEnv, ['demo']);
    expect(publishedPorts(config.services.web!)).toEqual([{ host: '127.0.0.1', published: 3000, target: 3000 }]);
    expect(publishedPorts(config.services['discord-emulator']!)).toEqual([{ host: '127.0.0.1', published: 8787, target: 8787 }]);
    for (const [name, service] of Object.entries(config.services)) {
      if (name !== 'web' && name !== 'discord-emulator' && name !== 'interactions') expect(service.ports, name).toBeUndefined();
    }
    // The HTTP interactions receiver (its profile) is published for the TLS proxy, on 127.0.0.1 too.
    expect(publishedPorts(resolved(cleanEnv, ['http-interactions']).services.interactions!)).toEqual([{ host: '127.0.0.1', published: 8081, target: 8081 }]);
    // The public site gets no bot token.
    expect(Object.keys(config.services.web!.environment ?? {})).not.toContain('DISCORD_TOKEN');
    const moved = resolved({ ...cleanEnv, WEB_BIND: '0.0.0.0', WEB_PUBLISHED_PORT: '8080' });
    expect(publishedPorts(moved.services.web!)).toEqual([{ host: '0.0.0.0', published: 8080, target: 3000 }]);
  });

  it('keeps Redis on an internal network only, and hardens every container', () => {
    const config = resolved(cleanEnv, ['demo']);
    expect(config.networks?.internal?.internal).toBe(true);
    expect(networksOf(config.services.redis!)).toEqual(['internal']);
    for (const [name, service] of Object.entries(config.services)) {
      expect(service.user, name).toBeTruthy();
      expect(service.user, name).not.toMatch(/^(0|root)(:|$)/);
      expect(service.read_only, name).toBe(true);
      expect(service.security_opt, name).toContain('no-new-privileges:true');
      expect(service.cap_drop, name).toContain('ALL');
      expect(service.restart, name).toBe('unless-stopped');
      expect(service.logging?.driver, name).toBe('json-file');
      expect(service.logging?.options?.['max-size'], name).toMatch(/^\d+[kmg]$/);
      expect(Number(service.logging?.options?.['max-file']), name).toBeGreaterThan(0);
      if (name !== 'redis') {
        expect(service.tmpfs, name).toContain('/tmp');
        if (name !== 'discord-emulator') expect(networksOf(service), name).toContain('internal');
      }
    }
  });

  it('lists every variable the product reads in .env.example, each with a comment', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8').split('\n');
    for (const name of knownEnvVars) {
      const index = example.findIndex((line) => new RegExp(`^#?${name}=`).test(line));
      expect(index, `.env.example lacks ${name}`).toBeGreaterThan(0);
      expect(example[index - 1], `${name} has no comment above it`).toMatch(/^# \S/);
    }
    // Copied as it is, it changes nothing: every setting is commented out.
    expect(example.filter((line) => /^[A-Z_]+=/.test(line))).toEqual([]);
  });

  it('runs the emulator only in the demo profile and all-in-one only in the single profile, and the demo points the bot at it', () => {
    for (const [name, service] of Object.entries(raw.services)) {
      if (name === 'discord-emulator') expect(service.profiles).toEqual(['demo']);
      else if (name === 'all-in-one') expect(service.profiles).toEqual(['single']);
      else if (name === 'postgres') expect(service.profiles).toEqual(['postgres']);
      else if (name === 'interactions') expect(service.profiles).toEqual(['http-interactions']);
      else expect(service.profiles, name).toBeUndefined();
    }
    // all-in-one runs the four bot services with the bot's environment (not the site: it keeps its own container).
    const single = resolved(cleanEnv, ['single']).services['all-in-one']!;
    expect(single.environment?.ALL_IN_ONE_SERVICES).toBe('config-service,ticket-worker,log-worker,gateway');
    for (const variable of Object.keys(resolved(cleanEnv).services['config-service']!.environment ?? {}))
      expect(Object.keys(single.environment ?? {}), variable).toContain(variable);
    const production = resolved(cleanEnv);
    const demo = resolved({ ...cleanEnv, DISCORD_API_URL: EMULATOR_API }, ['demo']);
    for (const name of ['gateway', 'ticket-worker', 'log-worker', 'config-service', 'web']) {
      expect(production.services[name]?.environment?.DISCORD_API_URL).toBe('https://discord.com/api');
      expect(demo.services[name]?.environment?.DISCORD_API_URL).toBe(EMULATOR_API);
    }
    expect(demo.services['discord-emulator']?.environment?.EMULATOR_PORT).toBe('8787');
    expect(new URL(EMULATOR_API).port).toBe('8787');
  });

  it('builds every service from the one Dockerfile', () => {
    expect(existsSync(new URL('../Dockerfile', import.meta.url))).toBe(true);
    const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim AS build$/m);
    expect(dockerfile).toMatch(/npm ci/);
    expect(dockerfile).toMatch(/npm run build/);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    for (const name of Object.keys(raw.services)) {
      // Redis and Postgres are their own images; the interactions receiver is the gateway package's.
      if (name !== 'redis' && name !== 'postgres' && name !== 'interactions')
        expect(dockerfile, `Dockerfile does not copy services/${name}/package.json`).toContain(`services/${name}/package.json`);
    }
  });

  it('the postgres profile: Postgres on the internal network and its own volume, config-service pointed at it by DATABASE_URL', () => {
    const url = 'postgres://promton:pg0123456789abcdef@postgres:5432/promton';
    const config = resolved({ ...cleanEnv, POSTGRES_PASSWORD: 'pg0123456789abcdef', DATABASE_URL: url }, ['postgres']);
    const postgres = config.services.postgres!;
    expect(networksOf(postgres)).toEqual(['internal']);
    expect(postgres.ports).toBeUndefined();
    expect(postgres.image).toBe('postgres:15');
    expect(volumeTargets(postgres)).toContainEqual({ source: 'pg-data', target: '/var/lib/postgresql/data' });
    expect(postgres.environment).toMatchObject({ POSTGRES_USER: 'promton', POSTGRES_DB: 'promton', POSTGRES_PASSWORD: 'pg0123456789abcdef' });
    expect(config.services['config-service']!.environment?.DATABASE_URL).toBe(url);
    // The interactions receiver runs the gateway package's second entry point with the bot's environment.
    const interactions = resolved(cleanEnv, ['http-interactions']).services.interactions!;
    expect(interactions.command).toEqual(['node', 'services/gateway/dist/interactions-main.js']);
    expect(interactions.environment).toMatchObject({ HEALTH_PORT: '8080', INTERACTIONS_PORT: '8081' });
  });

  it('refuses to start Redis without its passwords', () => {
    for (const missing of Object.keys(REDIS_PASSWORDS)) {
      const result = compose(['config', '-q'], { ...cleanEnv, [missing]: undefined });
      expect(result.status, missing).not.toBe(0);
      expect(result.stderr).toContain(missing);
    }
  });

  it('least privilege: the site gets no bot token and reads Redis as its own user; /stats’s OWNER_ID reaches config-service, which answers it', () => {
    const config = resolved({ ...cleanEnv, DISCORD_TOKEN: 'a-real-token', OWNER_ID: '123456789012345678' });
    const web = config.services.web!.environment ?? {};
    expect(web.DISCORD_TOKEN).toBeUndefined();
    expect(String(web.REDIS_URL)).toMatch(/^redis:\/\/web:/);
    expect(config.services.gateway!.environment?.DISCORD_TOKEN).toBe('a-real-token');
    expect(config.services['config-service']!.environment?.OWNER_ID).toBe('123456789012345678');
    // config-service's /stats handler is the only reader of ownerId.
    const readers = readdirSync(new URL('../services/', import.meta.url), { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'discord-emulator')
      .filter((d) => grepDir(new URL(`../services/${d.name}/src/`, import.meta.url), /config\.ownerId/))
      .map((d) => d.name);
    expect(readers.length).toBeGreaterThan(0);
    for (const name of readers) expect(config.services[name]?.environment?.OWNER_ID, name).toBe('123456789012345678');
  });
});

function grepDir(dir: URL, pattern: RegExp): boolean {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).some(
    (entry) =>
      entry.isFile() &&
      entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.test.ts') &&
      pattern.test(readFileSync(join(entry.parentPath, entry.name), 'utf8')),
  );
}
