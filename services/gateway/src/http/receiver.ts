import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InteractionResponseType, InteractionType, Routes, type APIApplication, type APIInteraction } from 'discord-api-types/v10';
import type { Runtime } from '@promton/shared/runtime';
import { createInteractionHandler } from '../interaction-handler.js';
import { interactionLocale, unavailablePlan, type InteractionPlan } from '../interactions/plan-interaction.js';
import { publicKeyFromHex, verifyInteractionSignature } from './signature.js';

export interface InteractionsReceiver {
  /** The port `POST /interactions` listens on. */
  port: number;
  /** Closes the runtime it was started in (once). */
  close(): Promise<void>;
}

/** Discord's interaction payloads stay far below this; anything bigger is not from Discord. */
const MAX_BODY_BYTES = 1024 * 1024;
export const INTERACTIONS_PATH = '/interactions';

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown, onSent?: () => void): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text, onSent);
}

/**
 * Receives Discord's interactions as signed HTTP POSTs (the application's Interactions
 * Endpoint URL) instead of over the gateway: verifies the Ed25519 signature, sends the
 * initial response as the HTTP reply, then publishes the same job the gateway would.
 * Stateless, so any number of replicas can run behind a load balancer.
 */
export function startInteractionsReceiver(runtime: Runtime): Promise<InteractionsReceiver> {
  return runtime.start(() => start(runtime));
}

async function start(runtime: Runtime): Promise<InteractionsReceiver> {
  const { config, logger } = runtime;
  const handler = await createInteractionHandler(runtime);
  let publicKeyHex = config.discordPublicKey;
  if (!publicKeyHex) {
    const application = (await handler.discord.rest.get(Routes.currentApplication())) as APIApplication;
    publicKeyHex = application.verify_key;
  }
  const key = publicKeyFromHex(publicKeyHex);
  await handler.ready();
  const pending = new Set<Promise<void>>();

  async function answer(interaction: APIInteraction, res: ServerResponse, receivedAt: number): Promise<void> {
    if (interaction.type === InteractionType.Ping) return reply(res, 200, { type: InteractionResponseType.Pong });
    let planned: InteractionPlan;
    try {
      const screened = await handler.plan(interaction);
      if (!screened) return reply(res, 400, { error: 'not an answerable interaction (id, token or type missing or invalid)' });
      planned = screened;
    } catch (error) {
      logger.error({ interactionId: interaction.id, err: (error as Error).message }, 'could not plan the interaction');
      planned = unavailablePlan(interactionLocale(interaction));
    }
    // The job goes out only once the initial response is on its way: a worker must not
    // edit a reply Discord has not seen yet.
    reply(res, 200, planned.response, () => {
      handler.metrics.interactionAckLatency.observe({ type: String(interaction.type) }, (Date.now() - receivedAt) / 1000);
      const publishing = handler.publish(interaction, planned).finally(() => pending.delete(publishing));
      pending.add(publishing);
    });
  }

  const server = createServer((req, res) => {
    const receivedAt = Date.now();
    const path = (req.url ?? '/').split('?')[0];
    if (path !== INTERACTIONS_PATH) return reply(res, 404, { error: 'not found' });
    if (req.method !== 'POST') return reply(res, 405, { error: 'only POST' });
    readBody(req)
      .then(async (body) => {
        const signature = req.headers['x-signature-ed25519'];
        const timestamp = req.headers['x-signature-timestamp'];
        if (
          !verifyInteractionSignature(key, typeof signature === 'string' ? signature : undefined, typeof timestamp === 'string' ? timestamp : undefined, body)
        ) {
          return reply(res, 401, { error: 'invalid request signature' });
        }
        let interaction: APIInteraction;
        try {
          interaction = JSON.parse(body.toString('utf8')) as APIInteraction;
        } catch {
          return reply(res, 400, { error: 'body is not JSON' });
        }
        if (typeof interaction !== 'object' || interaction === null || typeof interaction.type !== 'number')
          return reply(res, 400, { error: 'not an interaction' });
        await answer(interaction, res, receivedAt);
      })
      .catch((error: unknown) => {
        if (error instanceof BodyTooLarge) return reply(res, 413, { error: 'body too large' });
        logger.error({ err: (error as Error).message }, 'interaction request failed');
        if (!res.headersSent) reply(res, 500, { error: 'internal error' });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.interactionsPort, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, path: INTERACTIONS_PATH }, 'interactions receiver listening');

  // Requests in flight finish (their jobs published) before the handler's queues close.
  runtime.own('interactions server', server, async (s) => {
    await new Promise<void>((resolve) => s.close(() => resolve()));
    await Promise.allSettled([...pending]);
  });
  await runtime.health({ redis: async () => (await handler.redis.ping()) === 'PONG' });
  return { port, close: () => runtime.close() };
}
