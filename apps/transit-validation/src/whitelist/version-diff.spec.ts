import { answerVersionAll, incrementalSince, parseVersion } from './version-diff';

describe('whitelist versions', () => {
  it('parses reported versions, ignoring what is not one', () => {
    expect(parseVersion('52604317')).toBe(52604317);
    expect(parseVersion(' 12 ')).toBe(12);
    expect(parseVersion('')).toBeUndefined();
    expect(parseVersion('-3')).toBeUndefined();
    expect(parseVersion('v1')).toBeUndefined();
    expect(parseVersion(undefined)).toBeUndefined();
  });

  it("echoes a device's full-list version while it can be brought up to date, else asks for a full list", () => {
    expect(answerVersionAll('40', 57)).toBe('40');
    expect(answerVersionAll('57', 57)).toBe('57');
    expect(answerVersionAll('', 57)).toBe('57');
    expect(answerVersionAll('0', 57)).toBe('57');
    expect(answerVersionAll('90', 57)).toBe('57');
    expect(answerVersionAll('30', 57, 35)).toBe('57');
    expect(answerVersionAll('', 0)).toBe('0');
  });

  it('diffs from the newer of the reported versions', () => {
    expect(incrementalSince({ versionAll: '40', versionAdd: '55' }, 57)).toEqual({ since: 55 });
    expect(incrementalSince({ versionAll: '40', versionAdd: '' }, 57)).toEqual({ since: 40 });
    expect(incrementalSince({ versionAll: null, versionAdd: null }, 57)).toEqual({ since: 0 });
    expect(incrementalSince(undefined, 57)).toEqual({ since: 0 });
  });

  it('refuses to diff from a version the server cannot have produced or no longer can diff from', () => {
    expect(incrementalSince({ versionAll: '40', versionAdd: '90' }, 57)).toEqual({ fullListRequired: expect.stringContaining('ahead') });
    expect(incrementalSince({ versionAll: '10', versionAdd: '20' }, 57, 30)).toEqual({ fullListRequired: expect.stringContaining('too old') });
  });
});
