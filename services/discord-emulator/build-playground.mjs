// Bundles the playground (services/discord-emulator/playground, Preact) into
// dist/playground-client with esbuild: one script and one stylesheet, nothing external.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'dist', 'playground-client');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(here, 'playground', 'main.tsx')],
  outfile: join(out, 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(join(here, 'playground', 'app.css'), join(out, 'app.css'));
