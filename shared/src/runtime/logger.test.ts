import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture(level?: string): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, logger: createLogger({ service: 'test', ...(level ? { level } : {}), destination: { write: (line: string) => void lines.push(line) } }) };
}

const secret = 'aW50ZXJhY3Rpb246c2VjcmV0';

describe('createLogger', () => {
  it('blanks tokens wherever the services carry them, and keeps the rest of the record', () => {
    const { lines, logger } = capture('info');
    logger.info({ token: secret, guildId: '200000000000000001' }, 'top level');
    logger.info({ ctx: { token: secret, interactionId: '700000000000000001' } }, 'a job context');
    logger.info({ data: { ctx: { token: secret } } }, 'a job');
    logger.info({ job: { data: { token: secret } } }, 'two levels down');
    logger.info({ headers: { authorization: `Bot ${secret}` } }, 'a request');
    logger.info({ config: { discordToken: secret, ownerToken: secret } }, 'a configuration');
    logger.info({ authorization: `Bearer ${secret}`, discordToken: secret, ownerToken: secret }, 'top-level credentials');
    expect(lines).toHaveLength(7);
    for (const line of lines) expect(line).not.toContain(secret);
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records[0]).toMatchObject({ service: 'test', token: '[redacted]', guildId: '200000000000000001', msg: 'top level' });
    expect(records[1]).toMatchObject({ ctx: { token: '[redacted]', interactionId: '700000000000000001' } });
    expect(records[2]).toMatchObject({ data: { ctx: { token: '[redacted]' } } });
    expect(records[3]).toMatchObject({ job: { data: { token: '[redacted]' } } });
    expect(records[4]).toMatchObject({ headers: { authorization: '[redacted]' } });
    expect(records[5]).toMatchObject({ config: { discordToken: '[redacted]', ownerToken: '[redacted]' } });
    expect(records[6]).toMatchObject({ authorization: '[redacted]', discordToken: '[redacted]', ownerToken: '[redacted]' });
  });

  it('leaves fields that only resemble a credential as they are', () => {
    const { lines, logger } = capture('info');
    logger.info({ tokenCount: 3, user: { tokens: 2 }, reason: 'token expired' }, 'no credential here');
    expect(JSON.parse(lines[0]!)).toMatchObject({ tokenCount: 3, user: { tokens: 2 }, reason: 'token expired' });
  });

  it('writes info and above by default, with the service and an ISO time', () => {
    const { lines, logger } = capture();
    logger.debug('hidden');
    logger.info('shown');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(record).toMatchObject({ level: 30, service: 'test', msg: 'shown' });
    expect(record.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('takes another level', () => {
    const { lines, logger } = capture('warn');
    logger.info('hidden');
    logger.warn('shown');
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['shown']);
  });
});
