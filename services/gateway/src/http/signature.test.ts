import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { publicKeyFromHex, verifyInteractionSignature } from './signature.js';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
const key = publicKeyFromHex(publicHex);
const body = Buffer.from('{"type":1}');
const timestamp = '1767225600';
const signature = sign(null, Buffer.concat([Buffer.from(timestamp), body]), privateKey).toString('hex');

describe('verifyInteractionSignature', () => {
  it('accepts the signature of timestamp + body', () => {
    expect(verifyInteractionSignature(key, signature, timestamp, body)).toBe(true);
    expect(verifyInteractionSignature(key, signature.toUpperCase(), timestamp, body)).toBe(true);
  });

  it('refuses a changed body, a changed timestamp or another key', () => {
    expect(verifyInteractionSignature(key, signature, timestamp, Buffer.from('{"type":2}'))).toBe(false);
    expect(verifyInteractionSignature(key, signature, '1767225601', body)).toBe(false);
    const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
    expect(verifyInteractionSignature(publicKeyFromHex(other), signature, timestamp, body)).toBe(false);
  });

  it('refuses missing or malformed headers', () => {
    expect(verifyInteractionSignature(key, undefined, timestamp, body)).toBe(false);
    expect(verifyInteractionSignature(key, signature, undefined, body)).toBe(false);
    expect(verifyInteractionSignature(key, signature.slice(2), timestamp, body)).toBe(false);
    expect(verifyInteractionSignature(key, 'zz'.repeat(64), timestamp, body)).toBe(false);
  });

  it('refuses a public key that is not 64 hex digits', () => {
    expect(() => publicKeyFromHex('abcd')).toThrow(RangeError);
  });
});
