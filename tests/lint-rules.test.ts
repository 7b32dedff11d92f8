import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The house's import rules (eslint.config.js) bite: each forbidden import, linted as if it
 * were written in that file, is refused by no-restricted-imports; an allowed one is not.
 */
const eslint = new ESLint();

async function restricted(file: string, source: string): Promise<boolean> {
  const [result] = await eslint.lintText(source, { filePath: file });
  return (result?.messages ?? []).some((message) => message.ruleId === 'no-restricted-imports' || message.ruleId === 'no-restricted-syntax');
}

describe('import rules', () => {
  it.each([
    ['a service importing another', 'services/ticket-worker/src/handlers/x.ts', "import { createApp } from '@promton/config-service/app';"],
    ['a service importing another by path', 'services/gateway/src/x.ts', "import { x } from '../../log-worker/src/app.js';"],
    ['shared importing a service', 'shared/src/runtime/x.ts', "import { createApp } from '@promton/web/app';"],
    ["a domain/ folder importing shared's runtime", 'services/ticket-worker/src/domain/x.ts', "import { createRedis } from '@promton/shared/runtime';"],
    ['a domain/ folder importing a Discord client', 'services/log-worker/src/domain/x.ts', "import { REST } from '@discordjs/rest';"],
    ['a domain/ folder importing BullMQ', 'services/config-service/src/domain/x.ts', "import { Queue } from 'bullmq';"],
    ['a domain/ folder importing Sequelize', 'services/config-service/src/domain/x.ts', "import { Sequelize } from 'sequelize';"],
    ["shared's domain importing the runtime", 'shared/src/domain/x.ts', "import { createRedis } from '../runtime/redis.js';"],
    ['the emulator importing product code', 'services/discord-emulator/src/x.ts', "import { formatTicketNumber } from '@promton/shared/domain';"],
    ['all-in-one importing a service past its ./app entry', 'services/all-in-one/src/x.ts', "import { x } from '@promton/gateway/src/app.js';"],
  ])('refuses %s', async (_what, file, source) => {
    expect(await restricted(file, source)).toBe(true);
  });

  it.each([
    [
      'a domain/ folder importing the domain and contracts entries',
      'services/ticket-worker/src/domain/x.ts',
      "import { t } from '@promton/shared/domain';\nimport { QueueName } from '@promton/shared/contracts';\nexport { t, QueueName };",
    ],
    [
      "a service importing shared's runtime",
      'services/ticket-worker/src/x.ts',
      "import { createRedis } from '@promton/shared/runtime';\nexport { createRedis };",
    ],
    [
      "all-in-one importing a service's ./app entry",
      'services/all-in-one/src/x.ts',
      "import { createApp } from '@promton/gateway/app';\nexport { createApp };",
    ],
  ])('allows %s', async (_what, file, source) => {
    expect(await restricted(file, source)).toBe(false);
  });
});
