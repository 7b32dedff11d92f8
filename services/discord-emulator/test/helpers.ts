import { REST, type RESTOptions } from '@discordjs/rest';
import { WebSocketManager, type SessionInfo } from '@discordjs/ws';
import { EMULATOR_BOT_TOKEN } from '../src/config.js';
import { EmulatorClient } from '../src/client.js';
import { createEmulator, type Emulator, type EmulatorOptions } from '../src/emulator.js';

export interface Harness {
  emu: Emulator;
  rest: REST;
  client: EmulatorClient;
  close(): Promise<void>;
}

export async function startEmulator(options: Partial<EmulatorOptions> = {}, restOptions: Partial<RESTOptions> = {}): Promise<Harness> {
  const emu = await createEmulator({ port: 0, ...options });
  const rest = new REST({ api: emu.apiUrl, retries: 2, timeout: 5_000, ...restOptions }).setToken(EMULATOR_BOT_TOKEN);
  const client = new EmulatorClient(emu.url);
  return {
    emu,
    rest,
    client,
    close: async () => {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
      await emu.close();
    },
  };
}

/** A gateway client with its own session store, so tests do not resume each other's sessions. */
export function gatewayClient(rest: REST, options: { shardCount?: number; intents?: number } = {}): WebSocketManager {
  const sessions = new Map<number, SessionInfo>();
  return new WebSocketManager({
    token: EMULATOR_BOT_TOKEN,
    intents: options.intents ?? 1 | (1 << 9),
    rest,
    shardCount: options.shardCount ?? null,
    retrieveSessionInfo: (shardId) => sessions.get(shardId) ?? null,
    updateSessionInfo: (shardId, info) => {
      if (info) sessions.set(shardId, info);
      else sessions.delete(shardId);
    },
  });
}

export interface DispatchPayload {
  t: string;
  s: number;
  d: Record<string, unknown>;
}

/** Collects dispatches; `waitFor` resolves when a predicate over the collected list holds. */
export function collect(manager: WebSocketManager): {
  events: (DispatchPayload & { shardId: number })[];
  waitFor: (pred: (e: DispatchPayload[]) => boolean, timeoutMs?: number) => Promise<void>;
} {
  const events: (DispatchPayload & { shardId: number })[] = [];
  const waiters: (() => void)[] = [];
  manager.on(
    'dispatch' as never,
    ((payload: DispatchPayload, shardId: number) => {
      events.push({ ...payload, shardId });
      for (const w of [...waiters]) w();
    }) as never,
  );
  return {
    events,
    waitFor: (pred, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        if (pred(events)) return resolve();
        const timer = setTimeout(() => reject(new Error(`timed out; got ${events.map((e) => e.t).join(',')}`)), timeoutMs);
        const check = () => {
          if (pred(events)) {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(check), 1);
            resolve();
          }
        };
        waiters.push(check);
      }),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
