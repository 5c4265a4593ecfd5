import { pbocDiversify } from '../crypto/diversification';
import { PersonalisationInputError } from '../errors';
import { CARD_KEY_CONSTANTS, deriveCardKeys, keyCheckValue, parseUid } from './card-keys';

const pmk = Buffer.from('00112233445566778899AABBCCDDEEFF', 'hex');

describe('deriveCardKeys', () => {
  it.each(['3DES', 'SM4'] as const)('%s: five distinct 16-byte keys', (alg) => {
    const keys = deriveCardKeys(pmk, parseUid('04A1B2C3'), alg);
    const values = Object.values(keys).map((k) => k.toString('hex'));
    expect(values).toHaveLength(5);
    expect(new Set(values).size).toBe(5);
    values.forEach((v) => expect(v).toHaveLength(32));
  });

  it('is the documented two-level diversification', () => {
    const uid = parseUid('04A1B2C3D4E5F6'); // 7-byte UID, right-aligned
    const roleMaster = pbocDiversify(pmk, CARD_KEY_CONSTANTS.appMaintenanceKey, 'SM4');
    const expected = pbocDiversify(roleMaster, Buffer.from('0004A1B2C3D4E5F6', 'hex'), 'SM4');
    expect(deriveCardKeys(pmk, uid, 'SM4').appMaintenanceKey).toEqual(expected);
  });

  it('differs per card, per algorithm and per project key', () => {
    const a = deriveCardKeys(pmk, parseUid('04A1B2C3'), '3DES');
    expect(deriveCardKeys(pmk, parseUid('04A1B2C4'), '3DES').cardMasterKey).not.toEqual(a.cardMasterKey);
    expect(deriveCardKeys(pmk, parseUid('04A1B2C3'), 'SM4').cardMasterKey).not.toEqual(a.cardMasterKey);
    const other = Buffer.from(pmk);
    other[0] ^= 0x02; // bit 1: flipping bit 0 would only touch a DES parity bit, which DES ignores
    expect(deriveCardKeys(other, parseUid('04A1B2C3'), '3DES').cardMasterKey).not.toEqual(a.cardMasterKey);
  });

  it('is deterministic and case-insensitive in the uid', () => {
    const k1 = deriveCardKeys(pmk, parseUid('04A1B2C3'), '3DES');
    const k2 = deriveCardKeys(pmk, parseUid('04a1b2c3'), '3DES');
    expect(k1).toEqual(k2);
    expect(keyCheckValue(k1.cardMasterKey, '3DES')).toMatch(/^[0-9A-F]{6}$/);
  });

  it('validates uid', () => {
    expect(() => parseUid('04A1B2')).toThrow(PersonalisationInputError);
    expect(() => parseUid('0102030405060708090A0B')).toThrow(/4-10 bytes/);
    expect(() => parseUid('04A1B2C')).toThrow(/hex/);
    expect(() => deriveCardKeys(pmk, Buffer.alloc(3), '3DES')).toThrow(PersonalisationInputError);
    expect(parseUid('0102030405060708090A')).toHaveLength(10);
  });
});
