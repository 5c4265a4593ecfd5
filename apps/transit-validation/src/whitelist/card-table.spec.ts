import { CardTable } from './card-table';

describe('CardTable', () => {
  it('gets, sets, overwrites and deletes like a Map', () => {
    const table = new CardTable();
    expect(table.get('A1B2C3D4')).toBeUndefined();
    table.set('A1B2C3D4', 3);
    table.set('A1B2C3D5', 0);
    table.set('A1B2C3D4', 5);
    expect([table.get('A1B2C3D4'), table.get('A1B2C3D5'), table.size]).toEqual([5, 0, 2]);
    expect(table.delete('A1B2C3D4')).toBe(true);
    expect(table.delete('A1B2C3D4')).toBe(false);
    expect([table.get('A1B2C3D4'), table.get('A1B2C3D5'), table.size]).toEqual([undefined, 0, 1]);
  });

  it('tells apart keys of other lengths, prefixes, the empty key and non-ASCII keys', () => {
    const table = new CardTable();
    const keys = ['', 'A', 'AB', 'ABC', 'ABCD', 'ABCD0', '卡号123', 'ＡＢ'];
    keys.forEach((k, i) => table.set(k, i));
    expect(keys.map((k) => table.get(k))).toEqual(keys.map((_, i) => i));
    expect(table.get('ABCD00')).toBeUndefined();
  });

  it('agrees with a Map over 200,000 random operations, growing and rebuilding past tombstones', () => {
    const table = new CardTable(4);
    const map = new Map<string, number>();
    let seed = 42;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) | 0) >>> 0) / 2 ** 32;
    const mismatches: string[] = [];
    for (let op = 0; op < 200_000; op++) {
      const key = Math.floor(random() * 20_000).toString(16).toUpperCase().padStart(8, '0');
      const r = random();
      if (r < 0.55) {
        const value = Math.floor(random() * 1000);
        table.set(key, value);
        map.set(key, value);
      } else if (r < 0.8) {
        if (table.delete(key) !== map.delete(key)) mismatches.push(`delete ${key} at ${op}`);
      } else if (table.get(key) !== map.get(key)) {
        mismatches.push(`get ${key} at ${op}`);
      }
    }
    for (const [key, value] of map) if (table.get(key) !== value) mismatches.push(`final ${key}`);
    expect(mismatches).toEqual([]);
    expect(table.size).toBe(map.size);
  });

  it('holds a million cards', () => {
    const table = new CardTable();
    for (let i = 0; i < 1_000_000; i++) table.set(i.toString(16).toUpperCase().padStart(8, '0'), i & 1);
    expect(table.size).toBe(1_000_000);
    let wrong = 0;
    for (let i = 0; i < 1_000_000; i += 7) if (table.get(i.toString(16).toUpperCase().padStart(8, '0')) !== (i & 1)) wrong++;
    expect(wrong).toBe(0);
    expect(table.get('000F4240')).toBeUndefined();
    expect(table.get('000F423F')).toBe(1);
    expect(table.get('00000000')).toBe(0);
  });
});
