import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, logger: createLogger({ service: 'test', level: 'info', destination: { write: (line: string) => void lines.push(line) } }) };
}

describe('createLogger', () => {
  it('blanks tokens wherever the services carry them, and keeps the rest of the record', () => {
    const { lines, logger } = capture();
    const secret = 'aW50ZXJhY3Rpb246c2VjcmV0';
    logger.info({ token: secret, guildId: '200000000000000001' }, 'top level');
    logger.info({ ctx: { token: secret, interactionId: '700000000000000001' } }, 'a job context');
    logger.info({ data: { ctx: { token: secret } } }, 'a job');
    logger.info({ job: { data: { token: secret } } }, 'two levels down');
    logger.info({ headers: { authorization: `Bot ${secret}` } }, 'a request');
    logger.info({ config: { discordToken: secret, ownerToken: secret } }, 'a configuration');
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).not.toContain(secret);
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records[0]).toMatchObject({ service: 'test', token: '[redacted]', guildId: '200000000000000001', msg: 'top level' });
    expect(records[1]).toMatchObject({ ctx: { token: '[redacted]', interactionId: '700000000000000001' } });
    expect(records[4]).toMatchObject({ headers: { authorization: '[redacted]' } });
    expect(records[5]).toMatchObject({ config: { discordToken: '[redacted]', ownerToken: '[redacted]' } });
  });
});
