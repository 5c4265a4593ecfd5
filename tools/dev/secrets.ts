// Development values for every variable an app requires and has no default for. Generated
// once into .data/dev-secrets.json (git-ignored) and reused, so data encrypted or signed under
// a dev key stays readable across restarts. A value set in the environment always wins.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type RandomBytes = (size: number) => Buffer;

const hex = (bytes: number) => (random: RandomBytes) => random(bytes).toString('hex');
const token = (bytes: number) => (random: RandomBytes) => random(bytes).toString('base64url');

/**
 * One generator per required variable without a default in apps/<app>/src/config.ts (the
 * dev-env spec fails when an app adds one that is missing here). Only launcher-independent
 * secrets belong here (and the launcher's own, listed in LAUNCHER_ONLY_SECRETS); DATABASE_URL,
 * NATS_URL and PORT are resolved by the launcher itself.
 */
export const DEV_SECRET_GENERATORS: Record<string, (random: RandomBytes) => string> = {
  ADMIN_TOKEN: token(24),
  // card-issuance: AES-256 key sealing kiosk secrets at rest; without a stable one, kiosks
  // registered in one run cannot sign requests in the next.
  MACHINE_SECRET_KEY: hex(32),
  // card-issuance: HMAC key of pickup codes at rest; without a stable one, codes issued in one
  // run are refused in the next (start-up stops naming it while such a code is pending).
  PICKUP_CODE_KEY: hex(32),
  // card-issuance: one 16-byte master key (valid for 3DES and SM4) for the dev project `demo`.
  CARD_MASTER_KEYS: (random) => `demo:${hex(16)(random)}`,
  // transit-validation: AES-256 key sealing device secrets and QR private keys at rest.
  TRANSIT_SECRET_KEY: hex(32),
  // transit-validation: HMAC key for device tokens (32–256 characters).
  TRANSIT_TOKEN_KEY: token(32),
  // wage-attendance: the supervision platform's bearer token, the key of the callbacks'
  // X-Signature, and the AES-256 key sealing terminal secrets at rest.
  PLATFORM_TOKEN: token(24),
  CALLBACK_SECRET: token(32),
  TERMINAL_SECRET_KEY: hex(32),
  // campus-card: HMAC key of the payment system's notifications and of the bills signed for it
  // (the payment system must hold the same), and the key signing photo download links.
  PAYMENT_SECRET: token(32),
  PHOTO_LINK_KEY: token(32),
  // operator-console: what operators present (Bearer, or once on its login form).
  CONSOLE_TOKEN: token(24),
  // The launcher's own: each app's database role password is derived from it (roles.ts).
  DB_ROLE_KEY: hex(32),
};

/** Generated values no app reads: kept out of every app's environment. */
export const LAUNCHER_ONLY_SECRETS: readonly string[] = ['DB_ROLE_KEY'];

/** Adds a value for every generator missing from `existing`; keeps the ones already there. */
export function completeSecrets(
  existing: Record<string, string>,
  generators: Record<string, (random: RandomBytes) => string> = DEV_SECRET_GENERATORS,
  random: RandomBytes = randomBytes,
): { secrets: Record<string, string>; added: string[] } {
  const secrets = { ...existing };
  const added: string[] = [];
  for (const [name, generate] of Object.entries(generators)) {
    if (typeof secrets[name] === 'string' && secrets[name] !== '') continue;
    secrets[name] = generate(random);
    added.push(name);
  }
  return { secrets, added };
}

/** Reads the file, fills in what is missing and writes it back (owner-only) when it changed. */
export function loadDevSecrets(file: string): { secrets: Record<string, string>; added: string[] } {
  let existing: Record<string, string> = {};
  if (existsSync(file)) {
    try {
      existing = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch (error) {
      // Regenerating would silently change keys that existing dev data depends on.
      throw new Error(`${file} is not valid JSON (${(error as Error).message}); fix or delete it`);
    }
  }
  const result = completeSecrets(existing);
  if (result.added.length > 0) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(result.secrets, null, 2)}\n`, { mode: 0o600 });
  }
  return result;
}
