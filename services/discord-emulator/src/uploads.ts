import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DiscordApiError } from './errors.js';
import type { UploadedFile } from './http-util.js';
import type { EmulatorState, Guild } from './state.js';

const MiB = 1024 * 1024;

/**
 * The per-file upload limit by Server Boost level (`premium_tier` 0–3). Discord's
 * developer docs state only the default (10 MiB, the `attachment_size_limit` a bot in an
 * unboosted server receives) and a 25 MiB request; the boosted figures are the ones
 * Discord's help centre gives for boost levels 2 and 3 (level 1 adds none).
 */
export const UPLOAD_LIMIT_BY_TIER = [10 * MiB, 10 * MiB, 50 * MiB, 100 * MiB] as const;
/** Discord: "The maximum request size when sending a message is 25 MiB" (a boosted server's larger files excepted). */
export const MAX_REQUEST_FILES_BYTES = 25 * MiB;
/** Discord's CDN signs attachment URLs for about a day. */
export const DEFAULT_ATTACHMENT_URL_TTL_MS = 24 * 60 * 60_000;

/** Discord 40005 with HTTP 413. */
export function entityTooLarge(): DiscordApiError {
  return new DiscordApiError(413, 40005, 'Request entity too large');
}

/**
 * Upload sizes and attachment URLs as Discord's CDN has them: a per-guild limit from
 * the boost tier, and URLs signed with `ex` (expiry, hex seconds), `is` (issued, hex
 * seconds) and `hm` (an HMAC of both and the path) that the emulator checks when
 * serving the file.
 */
export class Uploads {
  private readonly secret = randomBytes(32);
  private readonly tiers = new Map<string, { tier: number; limitBytes?: number }>();

  /** How long a signed URL is served (default 24 h); `PUT /_emulator/attachments/settings` changes it until the next reset. */
  ttlMs: number;
  /** The clock the signatures use (a test may move it forward). */
  now: () => number = Date.now;

  constructor(private defaultTtlMs: number = DEFAULT_ATTACHMENT_URL_TTL_MS) {
    this.ttlMs = defaultTtlMs;
  }

  /** The emulator option `attachmentUrlTtlMs`: the lifetime after every reset. */
  configure(ttlMs: number): void {
    this.defaultTtlMs = ttlMs;
    this.ttlMs = ttlMs;
  }

  premiumTier(guildId: string): number {
    return this.tiers.get(guildId)?.tier ?? 0;
  }

  /** `limitBytes` lowers (or raises) the guild's limit below its tier's: for a test of a bot's 40005 path. */
  setPremiumTier(guildId: string, tier: number, limitBytes?: number): void {
    this.tiers.set(guildId, limitBytes === undefined ? { tier } : { tier, limitBytes });
  }

  /** The guild's per-file limit in bytes (`attachment_size_limit`); outside a guild the default. */
  limitFor(guild: Pick<Guild, 'id'> | undefined): number {
    if (!guild) return UPLOAD_LIMIT_BY_TIER[0];
    const entry = this.tiers.get(guild.id);
    return entry?.limitBytes ?? UPLOAD_LIMIT_BY_TIER[entry?.tier ?? 0] ?? UPLOAD_LIMIT_BY_TIER[0];
  }

  /** Throws 413/40005 when a file is over the guild's limit, or the files together are over the request limit. */
  check(guild: Pick<Guild, 'id'> | undefined, files: readonly UploadedFile[]): void {
    if (files.length === 0) return;
    const limit = this.limitFor(guild);
    let total = 0;
    for (const file of files) {
      if (file.data.length > limit) throw entityTooLarge();
      total += file.data.length;
    }
    if (total > Math.max(MAX_REQUEST_FILES_BYTES, limit)) throw entityTooLarge();
  }

  /** `?ex=…&is=…&hm=…&` for an attachment path such as `/attachments/1/2/a.txt`, as Discord's CDN writes it. */
  sign(path: string): string {
    const issued = Math.floor(this.now() / 1000);
    const expires = Math.floor((this.now() + this.ttlMs) / 1000);
    const ex = expires.toString(16);
    const is = issued.toString(16);
    return `?ex=${ex}&is=${is}&hm=${this.mac(path, ex, is)}&`;
  }

  /** True when the URL's signature matches its path and times and it has not expired. */
  verify(path: string, query: URLSearchParams): boolean {
    const ex = query.get('ex');
    const is = query.get('is');
    const hm = query.get('hm');
    if (!ex || !is || !hm || !/^[0-9a-f]+$/.test(ex) || !/^[0-9a-f]+$/.test(is) || !/^[0-9a-f]{64}$/.test(hm)) return false;
    const expected = Buffer.from(this.mac(path, ex, is), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(hm, 'hex'))) return false;
    return parseInt(ex, 16) * 1000 > this.now();
  }

  reset(): void {
    this.tiers.clear();
    this.ttlMs = this.defaultTtlMs;
  }

  private mac(path: string, ex: string, is: string): string {
    return createHmac('sha256', this.secret).update(`${path}\n${ex}\n${is}`).digest('hex');
  }
}

type ControlHandler = (ctx: { params: Record<string, string>; query: URLSearchParams; body: Record<string, unknown> }) => {
  status: number;
  body?: unknown;
};

class UploadInputError extends RangeError {}

/**
 * Control routes: a guild's boost tier (`PUT /guilds/:id/premium-tier { tier, limitBytes? }`),
 * the signed URLs' lifetime (`GET|PUT /attachments/settings { ttlMs }`), and many messages
 * at once (`POST /channels/:id/messages/bulk { userId, count, content }`) for a long ticket.
 */
export function uploadControlRoutes(state: EmulatorState): { method: string; pattern: string; handler: ControlHandler }[] {
  const uploads = state.uploads;
  return [
    {
      method: 'PUT',
      pattern: '/guilds/:id/premium-tier',
      handler: ({ params, body }) => {
        const guild = state.guilds.get(params.id ?? '');
        if (!guild) return { status: 404, body: { error: 'unknown guild' } };
        const tier = body.tier;
        if (typeof tier !== 'number' || !Number.isInteger(tier) || tier < 0 || tier > 3) throw new UploadInputError('tier must be 0, 1, 2 or 3');
        const limit = body.limitBytes;
        if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1))
          throw new UploadInputError('limitBytes must be a positive integer');
        uploads.setPremiumTier(guild.id, tier, limit as number | undefined);
        state.dispatch(guild.id, 'GUILD_UPDATE', state.guildObject(guild));
        return { status: 200, body: { id: guild.id, premium_tier: tier, attachment_size_limit: uploads.limitFor(guild) } };
      },
    },
    { method: 'GET', pattern: '/attachments/settings', handler: () => ({ status: 200, body: { ttlMs: uploads.ttlMs } }) },
    {
      method: 'PUT',
      pattern: '/attachments/settings',
      handler: ({ body }) => {
        const ttl = body.ttlMs;
        if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0) throw new UploadInputError('ttlMs must be a non-negative integer');
        uploads.ttlMs = ttl;
        return { status: 200, body: { ttlMs: uploads.ttlMs } };
      },
    },
  ];
}
