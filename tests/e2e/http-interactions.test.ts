import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Stack } from '../../scripts/stack/stack.js';

/**
 * The HTTP interactions receiver as Discord meets it: the emulator saved it as the
 * Interactions Endpoint URL only after a signed PING got a PONG and a forged PING got
 * 401 (Stack.start does that through PATCH /applications/@me). The open and close
 * end-to-end files run in this mode too (the `http-interactions` vitest project).
 */
describe('HTTP interactions receiver', () => {
  let stack: Stack;
  const ping = JSON.stringify({ id: '1', application_id: '1100000000000000001', type: 1, token: 'x', version: 1 });
  const post = (headers: Record<string, string>, body = ping) =>
    fetch(stack.interactionsUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  beforeAll(async () => {
    stack = await Stack.start({ redisUrl: inject('redisUrl'), services: [], interactions: 'http' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("is the application's endpoint, checked by Discord with a real signature", async () => {
    const saved = await stack.emulator.setInteractionsEndpoint(stack.interactionsUrl);
    expect(saved.interactions_endpoint_url).toBe(stack.interactionsUrl);
  });

  it('answers 401 to a missing, malformed or foreign signature', async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    expect((await post({})).status).toBe(401);
    expect((await post({ 'x-signature-timestamp': timestamp })).status).toBe(401);
    expect((await post({ 'x-signature-ed25519': 'ab'.repeat(64), 'x-signature-timestamp': timestamp })).status).toBe(401);
    expect((await post({ 'x-signature-ed25519': 'not hex', 'x-signature-timestamp': timestamp })).status).toBe(401);
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const foreign = sign(null, Buffer.from(timestamp + ping), stranger).toString('hex');
    const response = await post({ 'x-signature-ed25519': foreign, 'x-signature-timestamp': timestamp });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid request signature' });
  });

  it('serves only POST /interactions', async () => {
    expect((await fetch(stack.interactionsUrl)).status).toBe(405);
    expect((await fetch(stack.interactionsUrl.replace(/\/interactions$/, '/other'), { method: 'POST', body: ping })).status).toBe(404);
  });
});
