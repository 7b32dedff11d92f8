/**
 * `make run`: the whole product on this machine. With DISCORD_TOKEN in .env it runs for
 * real; without, it starts the discord-emulator, seeds a demo guild, configures it through
 * the real slash commands, opens a ticket as a demo member, prints what happened and
 * keeps running until Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort, reachable, spawnRedis } from '../tests/support/redis-server.js';
import { Stack, type ServiceName } from '../tests/support/stack.js';
import { seedDemoGuild, openDemoTicket, configureDemoGuild } from '../tests/support/demo.js';

if (existsSync('.env')) process.loadEnvFile('.env');
const realToken = Boolean(process.env.DISCORD_TOKEN);

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = (await reachable(redisUrl)) ? { url: redisUrl, stop: async () => undefined } : await spawnRedis();
const ownerToken = process.env.OWNER_TOKEN ?? randomBytes(24).toString('base64url');
const services: ServiceName[] = ['config-service', 'ticket-worker', 'log-worker', 'gateway', 'web'];

/** The usual port when it is free, else any free one. */
async function portOr(preferred: number): Promise<string> {
  const server = createServer();
  const free = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(preferred, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  return String(free ? preferred : await freePort());
}

console.log(realToken ? '▶ Starting PROMTON-TICKETS against Discord…' : '▶ No DISCORD_TOKEN in .env: starting PROMTON-TICKETS against the local discord-emulator…');
const stack = await Stack.start({
  redisUrl: redis.url,
  services: [],
  prefix: process.env.QUEUE_PREFIX ?? 'promton',
  env: { OWNER_TOKEN: ownerToken, OPEN_COOLDOWN_SECONDS: process.env.OPEN_COOLDOWN_SECONDS ?? '10', WEB_PORT: process.env.WEB_PORT ?? (await portOr(3000)) },
  emulatorEnv: { EMULATOR_PORT: process.env.EMULATOR_PORT ?? (await portOr(8787)) },
  skipEmulator: realToken,
  persistentDir: 'data',
  // As compose does with cpu_shares: channel work yields the CPU to the gateway's first responses.
  niceness: { 'config-service': 10, 'ticket-worker': 10, 'log-worker': 10 },
});

async function shutdown(): Promise<void> {
  console.log('\n▶ Stopping…');
  await stack.close();
  await redis.stop();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());

try {
  let demo: Awaited<ReturnType<typeof seedDemoGuild>> | undefined;
  if (!realToken) demo = await seedDemoGuild(stack.emulator);
  for (const name of services) await stack.startService(name);
  const web = `http://127.0.0.1:${stack.portOf('web')}`;
  if (demo) {
    await configureDemoGuild(stack.emulator, demo);
    const opened = await openDemoTicket(stack.emulator, demo);
    console.log(`\n✔ Demo member ${demo.member.username} clicked "Open a ticket" on the panel.`);
    console.log(`  Answer they saw:  ${opened.answer}`);
    console.log(`  Channel:          #${opened.channel.name} (${opened.channel.id}) in category ${demo.category.name}`);
    console.log('  Overwrites:');
    for (const overwrite of opened.channel.permission_overwrites) console.log(`    ${overwrite.label.padEnd(22)} allow ${overwrite.allow.padStart(12)}  deny ${overwrite.deny}`);
    console.log(`  Log channel:      ${opened.logLine}`);
  }
  console.log(`\n▶ Site:       ${web}/`);
  console.log(`▶ Dashboard:  ${web}/dashboard  (owner token: ${ownerToken})`);
  if (!realToken) console.log(`▶ Emulator:   ${stack.emulatorUrl}/_emulator/guilds/${demo!.guild.id}`);
  console.log(`▶ Logs of each service in ${stack.dir}. Ctrl-C stops everything.`);
} catch (error) {
  console.error('✖ Demo failed:', error);
  await stack.close();
  await redis.stop();
  process.exit(1);
}
