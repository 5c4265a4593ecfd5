import { copyRowsAsJsonItems } from './copy-items';

async function joined(chunks: string[]): Promise<string> {
  async function* source() {
    for (const c of chunks) yield Buffer.from(c);
  }
  const out: Buffer[] = [];
  for await (const b of copyRowsAsJsonItems(source())) out.push(b);
  return Buffer.concat(out).toString();
}

describe('copyRowsAsJsonItems', () => {
  const rows = ['{"card_no":"A1","flag":1}', '{"card_no":"B22","flag":0}', '{"card_no":"C333","flag":1}'];
  const copyText = rows.map((r) => `${r}\n`).join('');

  it('joins COPY rows into the items of one JSON array', async () => {
    expect(JSON.parse(`[${await joined([copyText])}]`)).toEqual(rows.map((r) => JSON.parse(r)));
  });

  it('gives the same text however the rows are cut into chunks', async () => {
    const expected = rows.join(',');
    for (let a = 0; a <= copyText.length; a++) {
      for (let b = a; b <= copyText.length; b++) {
        expect(await joined([copyText.slice(0, a), copyText.slice(a, b), copyText.slice(b)])).toBe(expected);
      }
    }
  });

  it('gives nothing for no rows, and one item for one row', async () => {
    expect(await joined([])).toBe('');
    expect(await joined(['', ''])).toBe('');
    expect(await joined([`${rows[0]}\n`])).toBe(rows[0]);
  });
});
