import { createHash } from 'node:crypto';

/**
 * Access and refresh tokens and authorization codes are 256 random bits, so a plain SHA-256 is
 * enough to store them (nothing to brute-force, unlike a password), and it lets a request's
 * token be found by its hash with one index lookup.
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
