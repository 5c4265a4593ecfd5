import { describeStatusWord, formatStatusWord, statusCategory, SW } from './status-words';

describe('status words', () => {
  it.each([
    [0x9000, /^Success$/],
    [0x6581, /Memory failure/],
    [0x6700, /Wrong length/],
    [0x6881, /Logical channel/],
    [0x6882, /Secure messaging not supported/],
    [0x6982, /Security status not satisfied/],
    [0x6983, /blocked/],
    [0x6984, /invalidated/],
    [0x6985, /Conditions of use/],
    [0x6986, /Command not allowed/],
    [0x6987, /missing/],
    [0x6988, /MAC incorrect/],
    [0x6a80, /data field/],
    [0x6a81, /Function not supported/],
    [0x6a82, /not found/],
    [0x6a83, /Record not found/],
    [0x6a84, /memory space/],
    [0x6a86, /P1-P2/],
    [0x6a88, /Referenced data/],
    [0x6b00, /Wrong parameters/],
    [0x6d00, /Instruction/],
    [0x6e00, /Class/],
    [0x6f00, /No precise diagnosis/],
    [0x9302, /MAC invalid/],
    [0x9303, /permanently locked/],
  ])('describes %s', (sw, meaning) => {
    expect(describeStatusWord(sw)).toMatch(meaning);
  });

  it('describes parameterised families', () => {
    expect(describeStatusWord(0x6110)).toBe('Success: 16 more response bytes available (send GET RESPONSE)');
    expect(describeStatusWord('6C08')).toMatch(/Le=8/);
    expect(describeStatusWord('63C3')).toBe('Verification failed: 3 retries remaining');
    expect(describeStatusWord(0x6300)).toMatch(/verification failed/);
    expect(describeStatusWord(0x6281)).toMatch(/corrupted/);
    expect(describeStatusWord(0x6299)).toMatch(/Warning.*6299/);
    expect(describeStatusWord(0x63f1)).toMatch(/Warning.*63F1/);
    expect(describeStatusWord(0x1234)).toBe('Unknown status word 1234');
  });

  it('categorises and formats', () => {
    expect(statusCategory(SW.SUCCESS)).toBe('success');
    expect(statusCategory('6104')).toBe('success');
    expect(statusCategory('63C1')).toBe('warning');
    expect(statusCategory(0x6988)).toBe('error');
    expect(formatStatusWord('6a82')).toBe('6A82 (File or application not found)');
  });

  it('rejects malformed status words', () => {
    expect(() => describeStatusWord('900')).toThrow(RangeError);
    expect(() => describeStatusWord(0x10000)).toThrow(RangeError);
  });
});
