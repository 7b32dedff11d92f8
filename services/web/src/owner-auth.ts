import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '@promton/shared/runtime';

const REALM = 'PROMTON-TICKETS';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The secret a request presents: a Bearer token, or the password of HTTP Basic (any user name). */
export function presentedSecret(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const [scheme, ...rest] = authorization.trim().split(/\s+/);
  const value = rest.join(' ');
  if (!scheme || !value) return undefined;
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? undefined : decoded.slice(colon + 1);
  }
  return undefined;
}

/** Compares in constant time (over fixed-length digests, so the token's length does not leak either). */
export function secretMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Failed owner logins one address may make per window before it is refused outright. */
export const MAX_FAILED_LOGINS = 10;
export const FAILED_LOGIN_WINDOW_MS = 15 * 60_000;
/** Addresses remembered at most; the oldest window is forgotten first. */
export const MAX_TRACKED_ADDRESSES = 10_000;

export interface LoginLimiter {
  /** Milliseconds until `ip` may try again, or 0 when it may try now. */
  retryAfter(ip: string, now?: number): number;
  /** Records a failed attempt; returns how many failures `ip` has in its current window. */
  fail(ip: string, now?: number): number;
  /** A correct token clears the address's failures. */
  succeed(ip: string): void;
  readonly size: number;
}

/** Fixed window per address, in memory (one web process answers the owner pages). */
export function createLoginLimiter({ max = MAX_FAILED_LOGINS, windowMs = FAILED_LOGIN_WINDOW_MS, capacity = MAX_TRACKED_ADDRESSES } = {}): LoginLimiter {
  const failures = new Map<string, { count: number; resetAt: number }>();
  const current = (ip: string, now: number) => {
    const entry = failures.get(ip);
    if (entry && entry.resetAt <= now) {
      failures.delete(ip);
      return undefined;
    }
    return entry;
  };
  return {
    retryAfter(ip, now = Date.now()) {
      const entry = current(ip, now);
      return entry && entry.count >= max ? entry.resetAt - now : 0;
    },
    fail(ip, now = Date.now()) {
      const entry = current(ip, now);
      if (entry) return ++entry.count;
      if (failures.size >= capacity) {
        // Map iteration is insertion order: the first key holds the oldest window.
        const oldest = failures.keys().next().value;
        if (oldest !== undefined) failures.delete(oldest);
      }
      failures.set(ip, { count: 1, resetAt: now + windowMs });
      return 1;
    },
    succeed(ip) {
      failures.delete(ip);
    },
    get size() {
      return failures.size;
    },
  };
}

export interface OwnerOnlyOptions {
  logger?: Logger;
  limiter?: LoginLimiter;
}

/**
 * Guards the owner's pages with OWNER_TOKEN. Without a configured token they answer
 * 503: an unset token must never mean "open to everyone". Every failed login is
 * logged (address and path, never what was presented); after MAX_FAILED_LOGINS
 * failures in a window an address is answered 429 without its token being checked.
 */
export function ownerOnly(ownerToken: string | undefined, { logger, limiter = createLoginLimiter() }: OwnerOnlyOptions = {}): RequestHandler {
  return (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    if (ownerToken === undefined) {
      res.status(503).type('text/plain').send('Owner pages are not configured: set OWNER_TOKEN to enable them.\n');
      return;
    }
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const wait = limiter.retryAfter(ip);
    if (wait > 0) {
      logger?.warn({ ip, path: req.path }, 'owner login refused: too many failed attempts from this address');
      res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
      res.status(429).type('text/plain').send('Too many failed logins from this address; try again later.\n');
      return;
    }
    const presented = presentedSecret(req.headers.authorization);
    if (secretMatches(presented, ownerToken)) {
      limiter.succeed(ip);
      next();
      return;
    }
    // A bare request without credentials is how a browser asks for the login prompt: not an attempt.
    if (req.headers.authorization !== undefined) {
      const failures = limiter.fail(ip);
      logger?.warn({ ip, path: req.path, failures }, 'owner login failed');
    }
    res.setHeader('WWW-Authenticate', `Basic realm="${REALM}", charset="UTF-8"`);
    res.status(401).type('text/plain').send('Authentication required: the owner token as the Basic password or a Bearer token.\n');
  };
}
