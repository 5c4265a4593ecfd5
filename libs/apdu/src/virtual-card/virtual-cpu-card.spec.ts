import { CommandApdu } from '../apdu/command-apdu';
import { createBinaryEf, createDf, createKeyFile, eraseDf, externalAuthenticate, readBinary, selectByAid, selectByFid, updateBinary } from '../card/commands';
import { APP_AID, CARDHOLDER_EF_FID } from '../card/profile';
import { authCryptogram, withMac } from '../card/secure-messaging';
import { CardAlgorithm } from '../crypto/diversification';
import { PersonalisationInputError } from '../errors';
import { authenticateMf, blankFixture, createApplication, keyCommand, personaliseKeys } from './test-helpers';
import { VirtualCpuCard } from './virtual-cpu-card';

describe.each<CardAlgorithm>(['3DES', 'SM4'])('VirtualCpuCard (%s)', (alg) => {
  it('ships blank with only the MF master key', () => {
    const f = blankFixture(alg);
    expect(f.card.listKeyIds()).toEqual({ MF: [0] });
    expect(f.tx(selectByFid(0x3f00)).swHex).toBe('9000');
    expect(f.tx(selectByAid(APP_AID)).swHex).toBe('6A82');
  });

  it('serves single-use challenges of 4 or 8 bytes', () => {
    const f = blankFixture(alg);
    expect(f.tx('0084000004').data).toHaveLength(4);
    expect(f.tx('0084000008').data).toHaveLength(8);
    expect(f.tx('0084000005').swHex).toBe('6700');
    expect(f.tx('0084010008').swHex).toBe('6A86');
  });

  it('authenticates with the card master key', () => {
    const f = blankFixture(alg);
    expect(authenticateMf(f).swHex).toBe('9000');
  });

  it('rejects a wrong cryptogram with a decreasing 63Cx counter, then blocks', () => {
    const f = blankFixture(alg);
    const wrongKey = Buffer.alloc(16, 0x5a);
    const attempt = () => f.tx(externalAuthenticate(0, authCryptogram(alg, wrongKey, f.challenge(8)))).swHex;
    expect([attempt(), attempt(), attempt(), attempt(), attempt()]).toEqual(['63C4', '63C3', '63C2', '63C1', '63C0']);
    expect(attempt()).toBe('6983');
    expect(authenticateMf(f).swHex).toBe('6983'); // even the right key is refused once blocked
  });

  it('resets the counter after a success', () => {
    const f = blankFixture(alg);
    f.tx(externalAuthenticate(0, authCryptogram(alg, Buffer.alloc(16, 1), f.challenge(8))));
    expect(authenticateMf(f).swHex).toBe('9000');
    expect(f.tx(externalAuthenticate(0, authCryptogram(alg, Buffer.alloc(16, 1), f.challenge(8)))).swHex).toBe('63C4');
  });

  it('refuses EXTERNAL AUTHENTICATE without a fresh challenge, with a bad length or unknown key', () => {
    const f = blankFixture(alg);
    const challenge = f.challenge(8);
    const good = externalAuthenticate(0, authCryptogram(alg, f.keys.cardMasterKey, challenge));
    expect(f.tx(good).swHex).toBe('9000');
    expect(f.tx(good).swHex).toBe('6984'); // challenge already consumed
    expect(f.tx(externalAuthenticate(0, Buffer.alloc(4))).swHex).toBe('6700');
    expect(f.tx(externalAuthenticate(7, Buffer.alloc(alg === 'SM4' ? 16 : 8))).swHex).toBe('6A88');
  });

  it('refuses to create files before EXTERNAL AUTHENTICATE (6985) and EFs before the key file', () => {
    const f = blankFixture(alg);
    expect(f.tx(createDf(0x1001, 0x800, APP_AID)).swHex).toBe('6985');
    authenticateMf(f);
    expect(f.tx(createDf(0x1001, 0x800, APP_AID)).swHex).toBe('9000');
    expect(f.tx(createBinaryEf(0x16, 0x200, true)).swHex).toBe('6985');
    expect(f.tx(createKeyFile(0x100)).swHex).toBe('9000');
    expect(f.tx(createKeyFile(0x100)).swHex).toBe('6A89');
    expect(f.tx(createBinaryEf(0x16, 0x200, true)).swHex).toBe('9000');
    expect(f.tx(createBinaryEf(0x16, 0x200, true)).swHex).toBe('6A89');
    expect(f.tx('80E0001702').swHex).toBe('6700');
    expect(f.tx('80E0001707110100F0F0FFFF').swHex).toBe('6A80');
  });

  it('installs application keys under SM and lists ids only', () => {
    const f = blankFixture(alg);
    personaliseKeys(f);
    expect(f.card.listKeyIds()).toEqual({ MF: [0], F04F4E4543415244: [0, 1, 2, 3] });
    expect(JSON.stringify(f.card.listKeyIds())).not.toContain(f.keys.appMasterKey.toString('hex'));
  });

  it('rejects WRITE KEY in plain (6982) and a MAC over a stale, reused or tampered challenge (6988)', () => {
    const f = blankFixture(alg);
    authenticateMf(f);
    createApplication(f);
    const plain = keyCommand(f, 0, f.keys.cardMasterKey, f.challenge(4)).with({ cla: 0x80 });
    expect(f.tx(plain).swHex).toBe('6982');

    const stale = f.challenge(4);
    f.challenge(4); // a newer challenge replaces it
    expect(f.tx(keyCommand(f, 0, f.keys.cardMasterKey, stale)).swHex).toBe('6988');

    const cmd = keyCommand(f, 0, f.keys.cardMasterKey, f.challenge(4));
    const data = Buffer.from(cmd.data);
    data[data.length - 1] ^= 0x01;
    expect(f.tx(cmd.with({ data })).swHex).toBe('6988');
    expect(f.tx(cmd).swHex).toBe('6988'); // its challenge was consumed by the tampered attempt

    const good = keyCommand(f, 0, f.keys.cardMasterKey, f.challenge(4));
    expect(f.tx(good).swHex).toBe('9000');
    expect(f.tx(good).swHex).toBe('6988'); // replay: challenges are single-use
  });

  it('rejects a key write before authentication after a power cycle (6982)', () => {
    const f = blankFixture(alg);
    authenticateMf(f);
    createApplication(f);
    f.card.reset();
    f.tx(selectByAid(APP_AID));
    expect(f.tx(keyCommand(f, 0, f.keys.cardMasterKey, f.challenge(4))).swHex).toBe('6982');
  });

  it('insists on the master key first and the right protecting key', () => {
    const f = blankFixture(alg);
    authenticateMf(f);
    createApplication(f);
    expect(f.tx(keyCommand(f, 1, f.keys.cardMasterKey, f.challenge(4))).swHex).toBe('6985');
    expect(f.tx(keyCommand(f, 0, f.keys.cardMasterKey, f.challenge(4))).swHex).toBe('9000');
    // Once the DF has its master key, the card master key no longer protects writes there.
    expect(f.tx(keyCommand(f, 1, f.keys.cardMasterKey, f.challenge(4))).swHex).toBe('6988');
    expect(f.tx(keyCommand(f, 1, f.keys.appMasterKey, f.challenge(4))).swHex).toBe('9000');
    expect(f.tx(keyCommand(f, 1, f.keys.appMasterKey, f.challenge(4))).swHex).toBe('6A89');
  });

  it('protects the cardholder EF: plain write 6982, MAC with maintenance key 9000, plain and SM reads', () => {
    const f = blankFixture(alg);
    personaliseKeys(f);
    expect(f.tx(updateBinary(0, Buffer.from('AA', 'hex'))).swHex).toBe('6986'); // no current EF
    f.tx(selectByFid(CARDHOLDER_EF_FID));
    expect(f.tx(updateBinary(0, Buffer.from('AABB', 'hex'))).swHex).toBe('6982');
    expect(f.tx(withMac(updateBinary(0, Buffer.from('AABB', 'hex')), alg, f.keys.appPurchaseKey, f.challenge(4))).swHex).toBe('6988');
    expect(f.tx(withMac(updateBinary(0, Buffer.from('AABB', 'hex')), alg, f.keys.appMaintenanceKey, f.challenge(4))).swHex).toBe('9000');
    expect(f.tx(readBinary(0, 3)).toHex()).toBe('AABB009000');
    expect(f.tx(withMac(readBinary(0, 2), alg, f.keys.appMaintenanceKey, f.challenge(4))).toHex()).toBe('AABB9000');
    expect(f.tx(withMac(readBinary(0, 2), alg, f.keys.appMaintenanceKey, Buffer.alloc(4))).swHex).toBe('6988');
  });

  it('checks offsets and lengths on binary access', () => {
    const f = blankFixture(alg);
    personaliseKeys(f);
    f.tx(selectByFid(CARDHOLDER_EF_FID));
    const mac = (c: CommandApdu) => withMac(c, alg, f.keys.appMaintenanceKey, f.challenge(4));
    expect(f.tx(mac(updateBinary(0x200, Buffer.from('01', 'hex')))).swHex).toBe('6B00');
    expect(f.tx(mac(updateBinary(0x1ff, Buffer.from('0102', 'hex')))).swHex).toBe('6A84');
    expect(f.tx(readBinary(0x200, 1)).swHex).toBe('6B00');
    expect(f.tx(readBinary(0x1f0, 32)).swHex).toBe('6282');
    expect(f.tx(readBinary(0x1f0, 256)).data).toHaveLength(16);
    expect(f.tx('00B0000001AA01').swHex).toBe('6700'); // plain READ BINARY with data
    expect(f.tx('00B0800001').swHex).toBe('6A86'); // SFI addressing not supported
  });

  it('ERASE DF empties the application in an issuer session and leaves the DF to be filled again', () => {
    const f = blankFixture(alg);
    personaliseKeys(f);
    f.tx(selectByFid(CARDHOLDER_EF_FID));
    expect(f.tx(withMac(updateBinary(0, Buffer.from('AABB', 'hex')), alg, f.keys.appMaintenanceKey, f.challenge(4))).swHex).toBe('9000');

    authenticateMf(f);
    expect(f.tx(selectByAid(APP_AID)).swHex).toBe('9000');
    expect(f.tx(eraseDf()).swHex).toBe('9000');
    expect(f.card.listKeyIds()).toEqual({ MF: [0] }); // the key file went too
    expect(f.tx(selectByFid(CARDHOLDER_EF_FID)).swHex).toBe('6A82');
    expect(f.tx(selectByAid(APP_AID)).swHex).toBe('9000'); // the DF and its name stay
    expect(f.tx(eraseDf()).swHex).toBe('9000'); // an empty DF erases too
    // Filled again as on a blank card: files, then key 00 under the card master key (the DF has no key of its own any more).
    expect(f.tx(createKeyFile(0x100)).swHex).toBe('9000');
    expect(f.tx(createBinaryEf(CARDHOLDER_EF_FID, 0x200, true)).swHex).toBe('9000');
    expect(f.tx(keyCommand(f, 0, f.keys.cardMasterKey, f.challenge(4))).swHex).toBe('9000');
    f.tx(selectByFid(CARDHOLDER_EF_FID));
    expect(f.tx(readBinary(0, 2)).toHex()).toBe('00009000');
  });

  it('refuses ERASE DF outside an issuer session (6982), on the MF (6985), and malformed', () => {
    const f = blankFixture(alg);
    personaliseKeys(f);
    const full = f.card.snapshot();

    f.card.reset(); // power cycle: the issuer session is gone
    expect(f.tx(selectByAid(APP_AID)).swHex).toBe('9000');
    expect(f.tx(eraseDf()).swHex).toBe('6982');
    // Proving the application's own master key is not the issuer's right to wipe it.
    f.tx(selectByAid(APP_AID));
    expect(f.tx(externalAuthenticate(0, authCryptogram(alg, f.keys.appMasterKey, f.challenge(8)))).swHex).toBe('9000');
    expect(f.tx(eraseDf()).swHex).toBe('6982');
    expect(f.card.snapshot()).toEqual(full);

    authenticateMf(f);
    expect(f.tx(eraseDf()).swHex).toBe('6985'); // the MF: its key file is the factory's
    f.tx(selectByAid(APP_AID));
    expect(f.tx('800E010000').swHex).toBe('6A86');
    expect(f.tx('800E000001AA').swHex).toBe('6700');
    expect(f.tx('000E000000').swHex).toBe('6E00');
    expect(f.card.snapshot()).toEqual(full);
  });

  it('snapshots files, contents and retry counters, with key fingerprints instead of key values', () => {
    const f = blankFixture(alg);
    expect(f.card.snapshot()).toEqual({ dfs: [{ name: 'MF', fid: '3F00', keys: [expect.objectContaining({ id: 0, triesLeft: 5 })], efs: [] }] });
    personaliseKeys(f);
    const snap = f.card.snapshot();
    expect(snap.dfs[1].keys?.map((k) => k.id)).toEqual([0, 1, 2, 3]);
    const text = JSON.stringify(snap).toUpperCase();
    for (const k of Object.values(f.keys)) expect(text).not.toContain(k.toString('hex').toUpperCase());
    f.tx(selectByFid(0x3f00));
    f.tx(externalAuthenticate(0, authCryptogram(alg, Buffer.alloc(16, 1), f.challenge(8))));
    expect(f.card.snapshot()).not.toEqual(snap); // a try spent on the MF key shows
  });

  it('answers unknown instructions, classes and malformed APDUs', () => {
    const f = blankFixture(alg);
    expect(f.tx('00CA9F7F00').swHex).toBe('6D00');
    expect(f.tx('80A40000023F00').swHex).toBe('6E00');
    expect(f.tx('00A4').swHex).toBe('6700');
    expect(f.tx('00A40000053F00').swHex).toBe('6700');
    expect(f.tx('00A40000033F0000').swHex).toBe('6700');
    expect(f.card.transcript.at(-1)).toEqual({ capdu: '00A40000033F0000', rapdu: '6700' });
  });
});

describe('VirtualCpuCard.blank', () => {
  it('validates uid and key', () => {
    expect(() => VirtualCpuCard.blank({ uid: '01', cardMasterKey: Buffer.alloc(16), algorithm: 'SM4' })).toThrow(PersonalisationInputError);
    expect(() => VirtualCpuCard.blank({ uid: '01020304', cardMasterKey: Buffer.alloc(8), algorithm: 'SM4' })).toThrow(/16 bytes/);
  });
});
