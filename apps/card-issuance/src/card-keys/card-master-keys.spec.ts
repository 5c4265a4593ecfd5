import { parseCardMasterKeys } from './card-master-keys';

const K1 = '00112233445566778899aabbccddeeff';
const K2 = 'ffeeddccbbaa99887766554433221100';

describe('parseCardMasterKeys', () => {
  it('reads projectId:hex pairs and a JSON object alike', () => {
    const a = parseCardMasterKeys(`P1:${K1}, P2:${K2}`, '3DES');
    const b = parseCardMasterKeys(JSON.stringify({ P1: K1, P2: K2 }), 'SM4');
    expect([...a.keys()]).toEqual(['P1', 'P2']);
    expect(a.get('P2')).toEqual(Buffer.from(K2, 'hex'));
    expect(b.get('P1')).toEqual(Buffer.from(K1, 'hex'));
  });

  it('allows 24-byte keys for 3DES only', () => {
    const k24 = K1 + '0011223344556677';
    expect(parseCardMasterKeys(`P:${k24}`, '3DES').get('P')).toHaveLength(24);
    expect(() => parseCardMasterKeys(`P:${k24}`, 'SM4')).toThrow(/32 hex digits for SM4/);
  });

  it('names the project at fault and never the key', () => {
    const attempts = [`P1:${K1.slice(2)}`, `P1:${K1.replace('0', 'g')}`, `P1:${K1},P1:${K2}`, 'nocolon', '{"P1": 3}', '{bad', '', `bad id:${K1}`];
    for (const text of attempts) {
      let message = '';
      try {
        parseCardMasterKeys(text, '3DES');
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toBe('');
      expect(message).not.toContain(K1.slice(4));
    }
  });
});
