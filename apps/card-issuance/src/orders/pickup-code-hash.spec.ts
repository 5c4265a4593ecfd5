import { loadConfig } from '@onecard/kernel';
import { hashSecret } from '@onecard/platform';
import { CardIssuanceConfig } from '../config';
import { hashedWithFingerprint, PickupCodeHasher, pickupKeyFingerprint } from './pickup-code-hash';

const [NEW, OLD] = ['a1'.repeat(32), 'b2'.repeat(32)];
const hasher = (keys?: string) => new PickupCodeHasher(loadConfig(CardIssuanceConfig, { ADMIN_TOKEN: 'x'.repeat(20), ...(keys ? { PICKUP_CODE_KEY: keys } : {}) }));

describe('PickupCodeHasher', () => {
  it('hashes under the newest key, naming it, and matches only the right code for the right order', async () => {
    const h = hasher(`${NEW},${OLD}`);
    const stored = h.hash('202601010000000001', '012345');
    expect(stored).toMatch(/^hmac-sha256\$[0-9a-f]{8}\$[A-Za-z0-9+/]{43}=$/);
    expect(hashedWithFingerprint(stored)).toBe(pickupKeyFingerprint(Buffer.from(NEW, 'hex')));
    expect(stored).not.toContain('012345');
    expect(await h.match('202601010000000001', '012345', stored)).toBe('current');
    expect(await h.match('202601010000000001', '012346', stored)).toBe('wrong');
    // Bound to the order: the same code of another order hashes differently, and a copied hash does not match.
    expect(h.hash('202601010000000002', '012345')).not.toBe(stored);
    expect(await h.match('202601010000000002', '012345', stored)).toBe('wrong');
  });

  it('matches a code hashed under an older listed key as stale, and refuses one under a key not listed', async () => {
    const before = hasher(OLD).hash('O1', '654321');
    expect(await hasher(`${NEW},${OLD}`).match('O1', '654321', before)).toBe('stale');
    expect(await hasher(`${NEW},${OLD}`).match('O1', '654320', before)).toBe('wrong');
    expect(await hasher(NEW).match('O1', '654321', before)).toBe('wrong');
  });

  it("matches an order's scrypt hash from before PICKUP_CODE_KEY as stale", async () => {
    const legacy = await hashSecret('000123');
    expect(hashedWithFingerprint(legacy)).toBeUndefined();
    expect(await hasher(NEW).match('O1', '000123', legacy)).toBe('stale');
    expect(await hasher(NEW).match('O1', '000124', legacy)).toBe('wrong');
  });

  it('refuses anything else stored, and uses a stable development key when the variable is unset', async () => {
    const h = hasher();
    for (const junk of ['', 'garbage', 'hmac-sha256$', `hmac-sha256$${h.fingerprints[0]}$`, `hmac-sha256$${h.fingerprints[0]}$AAAA`]) expect(await h.match('O1', '123456', junk)).toBe('wrong');
    expect(hasher().hash('O1', '123456')).toBe(h.hash('O1', '123456'));
    expect(JSON.stringify(hasher(NEW))).not.toContain(NEW);
  });
});
