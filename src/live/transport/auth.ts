/**
 * The shared secret: an HMAC-SHA256 challenge on the WebSocket handshake (the
 * master sends a random nonce, the client answers with HMAC(secret, nonce +
 * node)), and HTTP Basic with the secret as the password for the HTTP API
 * (any user name, as a principal is not modelled). Compared in constant time.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh nonce for a challenge. */
export function newNonce(): string {
  return randomBytes(24).toString('hex');
}

/** The proof a client with `secret` sends for `nonce`. */
export function proofOf(secret: string, nonce: string, node: string): string {
  return createHmac('sha256', secret).update(`${nonce}\u0000${node}`).digest('hex');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether `proof` answers the challenge. */
export function proofHolds(secret: string, nonce: string, node: string, proof: string | undefined): boolean {
  return proof !== undefined && sameText(proof, proofOf(secret, nonce, node));
}

/** The Authorization header value for HTTP Basic with the secret. */
export function basicAuthHeader(secret: string, user = 'faultline'): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}

/** Whether an Authorization header carries the secret as its Basic password. */
export function basicAuthHolds(secret: string, header: string | undefined): boolean {
  if (header === undefined || !header.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && sameText(decoded.slice(colon + 1), secret);
}
