import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

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

/**
 * Guards the owner's pages with OWNER_TOKEN. Without a configured token they answer
 * 503: an unset token must never mean "open to everyone".
 */
export function ownerOnly(ownerToken: string | undefined): RequestHandler {
  return (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    if (ownerToken === undefined) {
      res.status(503).type('text/plain').send('Owner pages are not configured: set OWNER_TOKEN to enable them.\n');
      return;
    }
    if (secretMatches(presentedSecret(req.headers.authorization), ownerToken)) {
      next();
      return;
    }
    res.setHeader('WWW-Authenticate', `Basic realm="${REALM}", charset="UTF-8"`);
    res.status(401).type('text/plain').send('Authentication required: the owner token as the Basic password or a Bearer token.\n');
  };
}
