// The peer of the memory figure: a discord.js Client with its default caches (what most
// ticket bots run), connected like our gateway (Guilds intent) to the same emulator.
// Plain JavaScript run by `node`, so no TypeScript loader sits in its memory.
// Prints one JSON line when every expected guild is cached; SIGTERM destroys the client.
import { Client, GatewayIntentBits } from 'discord.js';

const expected = Number(process.env.PEER_GUILDS ?? 0);
const started = performance.now();
// shards 'auto': as many as GET /gateway/bot recommends (Discord refuses one shard past 2,500 guilds, close code 4011).
const client = new Client({ intents: [GatewayIntentBits.Guilds], shards: 'auto', rest: { api: process.env.DISCORD_API_URL } });
client.on('error', (error) => console.error(JSON.stringify({ error: error.message })));

const timer = setInterval(() => {
  if (!client.isReady() || client.guilds.cache.size < expected) return;
  clearInterval(timer);
  const cache = client.guilds.cache;
  console.log(
    JSON.stringify({
      ready: true,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      guilds: cache.size,
      channels: client.channels.cache.size,
      roles: cache.reduce((n, guild) => n + guild.roles.cache.size, 0),
      members: cache.reduce((n, guild) => n + guild.members.cache.size, 0),
    }),
  );
}, 250);

process.once('SIGTERM', () => {
  clearInterval(timer);
  void client.destroy().then(() => process.exit(0));
});
await client.login(process.env.DISCORD_TOKEN);
