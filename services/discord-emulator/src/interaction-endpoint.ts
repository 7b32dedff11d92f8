import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { InteractionRecord } from './state.js';

/** How an interaction sent to the endpoint fared. */
export interface EndpointDelivery {
  /** HTTP status of the bot's reply; null when it never answered (refused, timed out). */
  status: number | null;
  /** Why Discord would show "This interaction failed", when it would. */
  error?: string;
}

export interface InteractionEndpointOptions {
  /** How long Discord waits for the HTTP reply (3 s). */
  windowMs: number;
  /** Applies a reply as the initial response (the callback endpoint's rules); throws what Discord would answer. */
  respond: (rec: InteractionRecord, body: unknown) => void;
}

/**
 * The application's Interactions Endpoint URL: when set, Discord POSTs each interaction
 * there (signed with the application's Ed25519 key) instead of sending INTERACTION_CREATE
 * over the gateway, and takes the HTTP reply as the initial response.
 */
export class InteractionEndpoint {
  readonly #privateKey: KeyObject;
  /** The application's public key, hex, as GET /applications/@me `verify_key` shows it. */
  readonly verifyKey: string;
  url: string | null = null;
  readonly #options: InteractionEndpointOptions;

  constructor(options: InteractionEndpointOptions) {
    this.#options = options;
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    this.#privateKey = privateKey;
    this.verifyKey = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  }

  sign(timestamp: string, body: string): string {
    return sign(null, Buffer.from(timestamp + body, 'utf8'), this.#privateKey).toString('hex');
  }

  /** One signed POST; `badSignature` signs something else, as Discord's security checks do. */
  async post(url: string, payload: unknown, badSignature = false): Promise<{ status: number; body: unknown }> {
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = this.sign(timestamp, badSignature ? `${body} ` : body);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)',
        'x-signature-ed25519': signature,
        'x-signature-timestamp': timestamp,
      },
      body,
      signal: AbortSignal.timeout(this.#options.windowMs),
    });
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: response.status, body: parsed };
  }

  /**
   * What Discord checks before it saves the URL: a signed PING must get a PONG, and a
   * PING with a wrong signature must be refused with 401. Returns the problem, or null.
   */
  async check(url: string, applicationId: string): Promise<string | null> {
    const ping = { id: '0', application_id: applicationId, type: 1, token: 'ping', version: 1 };
    try {
      const good = await this.post(url, ping);
      if (good.status !== 200 || (good.body as { type?: unknown } | null)?.type !== 1)
        return `a signed PING got ${good.status} ${JSON.stringify(good.body)}, not a PONG`;
      const bad = await this.post(url, ping, true);
      if (bad.status !== 401) return `a PING with a bad signature got ${bad.status}, not 401`;
      return null;
    } catch (error) {
      return `could not reach it: ${(error as Error).message}`;
    }
  }

  /** Delivers one interaction; the reply becomes its initial response. */
  async deliver(rec: InteractionRecord): Promise<EndpointDelivery> {
    const url = this.url;
    let delivery: EndpointDelivery;
    if (!url) {
      delivery = { status: null, error: 'no interactions endpoint URL' };
    } else {
      try {
        const { status, body } = await this.post(url, rec.payload);
        if (status === 200) {
          try {
            this.#options.respond(rec, body);
            delivery = { status };
          } catch (error) {
            delivery = { status, error: `the reply was refused: ${(error as Error).message}` };
          }
        } else if (status === 202) {
          // The bot answered through the callback endpoint instead.
          delivery = { status };
        } else {
          delivery = { status, error: `the endpoint answered ${status}` };
        }
      } catch (error) {
        delivery = { status: null, error: `no reply within the window: ${(error as Error).message}` };
      }
    }
    rec.delivery = delivery;
    return delivery;
  }

  reset(): void {
    this.url = null;
  }
}
