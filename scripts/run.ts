/**
 * `make run`: the whole product on this machine. With DISCORD_TOKEN in .env it runs for
 * real; without, it starts the discord-emulator, seeds a demo guild, configures it through
 * the real slash commands, opens a ticket as a demo member, prints what happened and
 * keeps running until Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort, reachable, spawnRedis } from './stack/redis-server.js';
import { Stack, type ServiceName } from './stack/stack.js';
import { command, seedDemoGuild, openDemoTicket, configureDemoGuild } from './stack/demo.js';
import { describeOverwrite, resolveMentions } from './plain-text.js';

/** The application flag the developer portal sets for Message Content under 100 servers. */
const MESSAGE_CONTENT_LIMITED = 1 << 19;

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

console.log(
  realToken ? '▶ Starting PROMTON-TICKETS against Discord…' : '▶ No DISCORD_TOKEN in .env: starting PROMTON-TICKETS against the local discord-emulator…',
);
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
    // The log gets an HTML transcript of every closed ticket (off by default, as for a new server). Transcripts
    // need the Message Content intent, which a bot under 100 servers switches on in the developer portal.
    await stack.emulator.setApplicationFlags(MESSAGE_CONTENT_LIMITED);
    const transcripts = await command(stack.emulator, demo, ['config', 'transcripts', 'on']);
    if (!transcripts.startsWith('✅')) throw new Error(`/config transcripts on answered: ${transcripts}`);
    const opened = await openDemoTicket(stack.emulator, demo);
    const directory = await stack.emulator.guild(demo.guild.id);
    const plain = (text: string) => resolveMentions(text, directory);
    const playground = `${stack.emulatorUrl}/playground/`;
    console.log('\n▶ Open the playground and play a ticket by clicking:');
    console.log(`\n    ${playground}\n`);
    console.log('  It is a Discord-like page of the local emulator. Pick who you act as (the owner, an admin,');
    console.log('  staff, two members or a stranger); every click goes to the bot as it would on Discord.');
    console.log(`\n✔ What already happened in the demo server "${directory.name}":`);
    console.log(`  1. The admin ${demo.admin.username} set the bot up with slash commands: a ticket type "Support"`);
    console.log(
      `     (staff role ${demo.staffRole.name}), events logged in #${demo.logChannel.name} with transcripts, and a panel in #${demo.panelChannel.name}.`,
    );
    console.log(`  2. The member ${demo.member.username} clicked "Support" on the panel. The bot answered (only they see it):`);
    console.log(`       ${plain(opened.answer)}`);
    console.log(`  3. The bot created #${opened.channel.name} in the category ${demo.category.name}. Who may do what there:`);
    const width = Math.max(...opened.channel.permission_overwrites.map((o) => o.label.length));
    for (const overwrite of opened.channel.permission_overwrites)
      console.log(`       ${overwrite.label.padEnd(width)}  ${describeOverwrite(overwrite.allow, overwrite.deny)}`);
    console.log(`  4. It logged the opening in #${demo.logChannel.name}: ${plain(opened.logLine)}`);
  }
  console.log(`\n▶ The site (landing page, commands, privacy policy): ${web}/`);
  console.log(`▶ The owner's dashboard: ${web}/dashboard (password: ${ownerToken})`);
  console.log(`▶ Each service writes its log to ${stack.dir}. Ctrl-C stops everything.`);
} catch (error) {
  console.error('✖ Demo failed:', error);
  await stack.close();
  await redis.stop();
  process.exit(1);
}
