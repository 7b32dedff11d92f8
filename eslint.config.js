// Lint rules a machine checks (`npm run lint`, part of `make test`).
// Besides typescript-eslint's recommended rules, the import restrictions keep the house's
// seams: a service never imports another, shared never imports a service, `domain/`
// folders stay pure (no Discord client, Redis, BullMQ, Sequelize or shared's runtime),
// and the emulator (our stand-in for Discord) imports no product code. all-in-one, the one
// process for small servers, is no service of its own: it composes the bot's services
// through each one's `./app` entry (the createApp its main.ts runs) and nothing deeper,
// and no service imports it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const composer = 'all-in-one';
const composed = ['gateway', 'ticket-worker', 'log-worker', 'config-service', 'web'];
const services = [...composed, 'discord-emulator', composer];

/** Import patterns naming another service, by package name or by relative path. */
const otherServices = (self) =>
  services.filter((name) => name !== self).flatMap((name) => [`@promton/${name}`, `@promton/${name}/*`, `**/${name}/src/**`, `**/services/${name}/**`]);

const pureDomain = {
  paths: [
    { name: '@promton/shared/runtime', message: 'domain/ holds pure rules: shared runtime (Redis, BullMQ, REST) belongs in handlers.' },
    { name: '@promton/shared/commands', message: 'domain/ holds pure rules: command builders belong outside domain/.' },
  ],
  patterns: [
    { group: ['discord.js', '@discordjs/*'], message: 'domain/ holds pure rules: no Discord client.' },
    { group: ['ioredis', 'redis', 'bullmq', 'sequelize', 'sqlite3', 'pg', 'umzug'], message: 'domain/ holds pure rules: no Redis, BullMQ or database.' },
    { group: ['**/runtime/*', '**/runtime.js', '**/commands.js'], message: 'domain/ holds pure rules: no shared runtime.' },
  ],
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.tmp/**', 'data/**', 'services/web/assets/**', 'scripts/.probe-*', '**/*.tsbuildinfo'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-undef': 'off', // TypeScript checks names
      'no-useless-assignment': 'off', // flags `let x = default` before a switch that may reassign it
    },
  },
  ...services
    .filter((name) => name !== composer)
    .map((name) => ({
      files: [`services/${name}/**/*.{ts,tsx}`],
      ignores: [`services/${name}/src/domain/**`, `services/${name}/test/**`],
      rules: {
        'no-restricted-imports': ['error', { patterns: [{ group: otherServices(name), message: 'A service never imports another: talk through a queue.' }] }],
      },
    })),
  // A service's own tests may start the emulator in-process through its library entry,
  // `@promton/discord-emulator` (it is Discord's stand-in, not product code), and nothing else of another service.
  ...services.map((name) => ({
    files: [`services/${name}/test/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...otherServices(name), '!@promton/discord-emulator'],
              message: 'A service never imports another: talk through a queue (its tests may start the emulator).',
            },
          ],
        },
      ],
    },
  })),
  ...services.map((name) => ({
    files: [`services/${name}/src/domain/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: pureDomain.paths, patterns: [...pureDomain.patterns, { group: otherServices(name), message: 'A service never imports another.' }] },
      ],
    },
  })),
  {
    files: [`services/${composer}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^@promton/(?!shared/\\w+$|(${composed.join('|')})/app$)`,
              message: "all-in-one starts each service through its package's `./app` entry only (the createApp its own main.ts runs).",
            },
            {
              group: [...composed.flatMap((name) => [`**/${name}/src/**`, `**/services/${name}/**`]), '**/discord-emulator/**'],
              message: "all-in-one starts each service through its package's `./app` entry only (the createApp its own main.ts runs).",
            },
          ],
        },
      ],
      // no-restricted-imports sees only static imports; the site's, loaded on demand, is the one import().
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportExpression:not([source.value='@promton/web/app'])",
          message: 'all-in-one imports the services statically (the site alone on demand).',
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/src/domain/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['@promton/*', '**/services/**'], message: 'shared never imports a service.' }] }] },
  },
  {
    files: ['shared/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: pureDomain.paths,
          patterns: [...pureDomain.patterns, { group: ['@promton/*', '**/services/**'], message: 'shared never imports a service.' }],
        },
      ],
    },
  },
  {
    files: ['services/discord-emulator/src/**/*.{ts,tsx}', 'services/discord-emulator/playground/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@promton/*', '**/shared/**', ...otherServices('discord-emulator')],
              message: 'The emulator stands in for Discord: it imports no product code.',
            },
          ],
        },
      ],
    },
  },
);
