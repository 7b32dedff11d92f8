import { describe, expect, it } from 'vitest';
import { ConfigError, EMULATOR_APPLICATION_ID, EMULATOR_BOT_TOKEN, loadConfig } from './config.js';

const real = { DISCORD_TOKEN: 'real.token.value', DISCORD_APPLICATION_ID: '123456789012345678' };
const demo = { DISCORD_API_URL: 'http://127.0.0.1:8787/api' };

function errorOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('loadConfig did not throw');
}

describe('loadConfig', () => {
  it('takes a Redis Cluster URL only with a hash-tagged prefix', () => {
    const cluster = { ...demo, REDIS_URL: 'redis-cluster://127.0.0.1:7000,127.0.0.1:7001' };
    expect(errorOf(cluster).message).toContain('QUEUE_PREFIX must be a hash tag such as {promton}');
    expect(loadConfig({ ...cluster, QUEUE_PREFIX: '{promton}' })).toMatchObject({ redisUrl: cluster.REDIS_URL, queuePrefix: '{promton}' });
    expect(errorOf({ ...demo, QUEUE_PREFIX: '{pro}mton' }).message).toContain('QUEUE_PREFIX');
  });

  it('applies the documented defaults', () => {
    const config = loadConfig(real);
    expect(config).toMatchObject({
      discordToken: 'real.token.value',
      applicationId: '123456789012345678',
      discordApiUrl: 'https://discord.com/api',
      demo: false,
      redisUrl: 'redis://127.0.0.1:6379',
      queuePrefix: 'promton',
      databaseUrl: 'sqlite:./data/promton-tickets.sqlite',
      ownerId: undefined,
      shardIds: undefined,
      shardCount: undefined,
      healthPort: undefined,
      webPort: 3000,
      logLevel: 'info',
    });
  });

  it("runs in demo mode with the emulator's token when no token is set and the API is the emulator", () => {
    const config = loadConfig(demo);
    expect(config.demo).toBe(true);
    expect(config.discordToken).toBe(EMULATOR_BOT_TOKEN);
    expect(config.applicationId).toBe(EMULATOR_APPLICATION_ID);
    expect(config.discordApiUrl).toBe('http://127.0.0.1:8787/api');
  });

  it('treats an empty DISCORD_TOKEN as unset', () => {
    expect(loadConfig({ ...demo, DISCORD_TOKEN: '' }).demo).toBe(true);
  });

  it('strips trailing slashes of the API URL', () => {
    expect(loadConfig({ DISCORD_API_URL: 'http://localhost:8787/api//' }).discordApiUrl).toBe('http://localhost:8787/api');
  });

  it('refuses a missing token against discord.com, naming DISCORD_TOKEN', () => {
    expect(errorOf({}).message).toContain('DISCORD_TOKEN');
    expect(errorOf({ DISCORD_API_URL: 'https://discord.com/api' }).message).toContain('DISCORD_TOKEN');
  });

  it('requires DISCORD_APPLICATION_ID with a token', () => {
    expect(errorOf({ DISCORD_TOKEN: 'x' }).message).toContain('DISCORD_APPLICATION_ID');
  });

  it('names a bad REDIS_URL', () => {
    expect(errorOf({ ...real, REDIS_URL: 'http://localhost:6379' }).message).toContain('REDIS_URL');
    expect(loadConfig({ ...real, REDIS_URL: 'rediss://cache:6380' }).redisUrl).toBe('rediss://cache:6380');
  });

  it('names a bad snowflake', () => {
    expect(errorOf({ ...real, OWNER_ID: '12345' }).message).toContain('OWNER_ID');
    expect(errorOf({ ...real, DISCORD_APPLICATION_ID: 'abc' }).message).toContain('DISCORD_APPLICATION_ID');
  });

  it('names every bad variable at once', () => {
    const message = errorOf({ ...real, OWNER_ID: '1', REDIS_URL: 'nope' }).message;
    expect(message).toContain('OWNER_ID');
    expect(message).toContain('REDIS_URL');
  });

  it('parses SHARD_IDS and SHARD_COUNT', () => {
    expect(loadConfig({ ...real, SHARD_IDS: '0,2,5', SHARD_COUNT: '6' })).toMatchObject({ shardIds: [0, 2, 5], shardCount: 6 });
    expect(loadConfig({ ...real, SHARD_IDS: '3', SHARD_COUNT: '4' }).shardIds).toEqual([3]);
    expect(loadConfig({ ...real, SHARD_IDS: '' }).shardIds).toBeUndefined();
  });

  it('refuses SHARD_IDS without SHARD_COUNT, beyond it, or listing a shard twice', () => {
    expect(errorOf({ ...real, SHARD_IDS: '0,1' }).message).toContain('SHARD_IDS requires SHARD_COUNT');
    expect(errorOf({ ...real, SHARD_IDS: '0,4', SHARD_COUNT: '4' }).message).toContain('SHARD_IDS must be below SHARD_COUNT (4)');
    expect(errorOf({ ...real, SHARD_IDS: '1,1', SHARD_COUNT: '4' }).message).toContain('SHARD_IDS lists a shard twice');
    expect(loadConfig({ ...real, SHARD_COUNT: '4' })).toMatchObject({ shardIds: undefined, shardCount: 4 });
  });

  it('reads the HTTP interactions settings', () => {
    expect(loadConfig(real)).toMatchObject({ interactionsPort: 8080, discordPublicKey: undefined });
    const key = 'AB'.repeat(32);
    expect(loadConfig({ ...real, INTERACTIONS_PORT: '9000', DISCORD_PUBLIC_KEY: key })).toMatchObject({
      interactionsPort: 9000,
      discordPublicKey: key.toLowerCase(),
    });
    expect(errorOf({ ...real, DISCORD_PUBLIC_KEY: 'abc' }).message).toContain('DISCORD_PUBLIC_KEY');
  });

  it.each(['a,b', '1,,2', '1, 2', '-1'])('refuses SHARD_IDS %j', (value) => {
    expect(errorOf({ ...real, SHARD_IDS: value }).message).toContain('SHARD_IDS');
  });

  it('converts ports and the purge grace', () => {
    expect(loadConfig({ ...real, HEALTH_PORT: '9100', GUILD_PURGE_GRACE_HOURS: '2' })).toMatchObject({ healthPort: 9100, guildPurgeGraceMs: 7_200_000 });
    expect(errorOf({ ...real, WEB_PORT: '70000' }).message).toContain('WEB_PORT');
  });

  it('web (botToken: false) runs against Discord with only an application id, and keeps no token even when given one', () => {
    const web = loadConfig({ DISCORD_APPLICATION_ID: '123456789012345678' }, { botToken: false });
    expect(web).toMatchObject({ discordToken: '', applicationId: '123456789012345678', demo: false });
    expect(loadConfig({ ...real }, { botToken: false }).discordToken).toBe('');
    expect(loadConfig({ ...demo }, { botToken: false })).toMatchObject({ discordToken: '', applicationId: EMULATOR_APPLICATION_ID, demo: true });
    expect(() => loadConfig({}, { botToken: false })).toThrow(/DISCORD_APPLICATION_ID is required/);
    // The bot services still need their token.
    expect(() => loadConfig({ DISCORD_APPLICATION_ID: '123456789012345678' })).toThrow(/DISCORD_TOKEN is required/);
  });
});
