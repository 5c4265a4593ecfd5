import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** `v2.<key fingerprint>.<iv>.<tag>.<body>`: says which key sealed it. */
const FORMAT = 'v2';
/** `v1.<iv>.<tag>.<body>`, sealed before values named their key: opened by trying each key. */
const LEGACY_FORMAT = 'v1';
const HEX_KEY = /^[0-9a-fA-F]{64}$/;

/**
 * A short public name of a sealing key: 8 hex digits of SHA-256 over a domain tag and the key.
 * Stored in every value the key seals and in the app's `sealing_key` table; safe to log (it
 * says nothing usable about a 256-bit key).
 */
export function sealingKeyFingerprint(hexKey: string): string {
  return createHash('sha256').update('onecard sealing key\0').update(Buffer.from(hexKey, 'hex')).digest('hex').slice(0, 8);
}

/** The fingerprint a sealed value names; undefined for the legacy format or anything else. */
export function sealedWithFingerprint(sealed: string): string | undefined {
  const parts = sealed.split('.');
  return parts.length === 5 && parts[0] === FORMAT ? parts[1] : undefined;
}

/** A sealed value none of the configured keys can open. */
export class SealedWithOtherKeyError extends Error {
  constructor(
    /** The key the value names; undefined for a legacy value none of the keys opened. */
    readonly fingerprint: string | undefined,
    configured: readonly string[],
  ) {
    super(
      fingerprint
        ? `sealed with key fp ${fingerprint}, which is not among the configured keys (fp ${configured.join(', ')})`
        : `sealed (legacy format) with none of the configured keys (fp ${configured.join(', ')})`,
    );
    this.name = 'SealedWithOtherKeyError';
  }
}

interface SealingKey {
  fingerprint: string;
  key: Buffer;
}

/**
 * Device secrets must be recoverable (the server recomputes HMACs), so they are stored
 * encrypted with AES-256-GCM under a key from configuration, never in clear. The setting is a
 * list, newest first: values are sealed with the newest key and opened with whichever key they
 * name, so keys rotate ("new,old" until nothing is sealed with old, then "new").
 */
export class SecretBox {
  private readonly keys: readonly SealingKey[];
  private readonly byFingerprint = new Map<string, Buffer>();

  /** `keys`: AES-256 keys as 64 hex digits, newest first; an array or the comma-separated setting. */
  constructor(keys: string | readonly string[]) {
    const list = typeof keys === 'string' ? keys.split(',') : keys;
    const unique: SealingKey[] = [];
    for (const hex of list) {
      if (!HEX_KEY.test(hex)) throw new Error('secret box key must be 32 bytes of hex (64 digits)');
      const fingerprint = sealingKeyFingerprint(hex);
      if (this.byFingerprint.has(fingerprint)) continue;
      const key = Buffer.from(hex, 'hex');
      this.byFingerprint.set(fingerprint, key);
      unique.push({ fingerprint, key });
    }
    if (unique.length === 0) throw new Error('secret box needs a key');
    this.keys = unique;
  }

  /** Fingerprints of the configured keys, newest (the sealing one) first. */
  get fingerprints(): string[] {
    return this.keys.map((k) => k.fingerprint);
  }

  /** Fingerprint of the key new values are sealed with. */
  get sealingFingerprint(): string {
    return this.keys[0].fingerprint;
  }

  /** Prefix of every value sealed with the newest key (SQL: `NOT LIKE prefix || '%'` finds the rest). */
  get currentPrefix(): string {
    return `${FORMAT}.${this.sealingFingerprint}.`;
  }

  seal(plain: string): string {
    const { fingerprint, key } = this.keys[0];
    const head = `${FORMAT}.${fingerprint}`;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    // The key name is authenticated with the body: altering it is refused like altering the body.
    cipher.setAAD(Buffer.from(head, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [head, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
  }

  /** The plain value; throws SealedWithOtherKeyError when no configured key sealed it. */
  open(sealed: string): string {
    const parts = sealed.split('.');
    if (parts.length === 5 && parts[0] === FORMAT) {
      const key = this.byFingerprint.get(parts[1]);
      if (!key) throw new SealedWithOtherKeyError(parts[1], this.fingerprints);
      return decrypt(key, parts[2], parts[3], parts[4], Buffer.from(`${FORMAT}.${parts[1]}`, 'utf8'));
    }
    if (parts.length === 4 && parts[0] === LEGACY_FORMAT) {
      for (const { key } of this.keys) {
        try {
          return decrypt(key, parts[1], parts[2], parts[3]);
        } catch {
          // another key's, or tampered: try the next
        }
      }
      throw new SealedWithOtherKeyError(undefined, this.fingerprints);
    }
    throw new Error('not a sealed value');
  }

  /** True when `sealed` is in today's format under the newest key: nothing to re-seal. */
  isCurrent(sealed: string): boolean {
    return sealed.startsWith(this.currentPrefix);
  }
}

function decrypt(key: Buffer, iv: string, tag: string, body: string, aad?: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'), { authTagLength: 16 });
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}

/** One-way hash for things only ever compared (passwords, pickup codes): scrypt, salted. */
export async function hashSecret(value: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(value, salt, 32);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifySecret(value: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(value, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}
