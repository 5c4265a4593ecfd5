import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { CardCsvToCopy } from './card-import-stream';
import { splitCsvLine } from './csv';
import { normaliseCardNo } from './whitelist.service';

/** The COPY rows a body becomes, fed in the given chunks (bytes split anywhere, as a socket would). */
async function copyRows(chunks: Array<string | Buffer>, maxBytes = 1 << 20): Promise<string> {
  const stream = new CardCsvToCopy(normaliseCardNo, maxBytes);
  let out = '';
  await pipeline(Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))), stream, async (rows: AsyncIterable<Buffer>) => {
    out = await text(rows);
  });
  return out;
}

describe('card CSV import', () => {
  it('splits quoted fields', () => {
    expect(splitCsvLine('a,"b,c",d')).toEqual(['a', 'b,c', 'd']);
    expect(splitCsvLine('"say ""hi""",1')).toEqual(['say "hi"', '1']);
    expect(splitCsvLine('a,')).toEqual(['a', '']);
    expect(splitCsvLine('"open,1')).toBeUndefined();
  });

  it('reads rows with or without a header, normalising card numbers and line ids, into COPY rows with their line numbers', async () => {
    const body = '\uFEFFcard_no,flag,line_ids\r\n04 a1 b2 c3,1,L1|L2;L1\n\n00065537,0\n"0A0B0C0D",1,""\nC0FFEE,1,NULL';
    expect(await copyRows([body])).toBe('04A1B2C3\t1\t{"L1","L2"}\t2\n00065537\t0\t\\N\t4\n0A0B0C0D\t1\t{}\t5\nC0FFEE\t1\t{"NULL"}\t6\n');
  });

  it('reads the same whatever the chunks: lines, a CRLF and a multi-byte character split across them', async () => {
    const body = Buffer.from('card_no,flag,line_ids\r\nAB01,1,L1\r\nAB02,0,"线路"\r\n');
    const whole = await copyRows([body]).catch((e: Error) => e.message);
    expect(whole).toBe('line 3: line_ids: "线路" is not a line id');
    for (let cut = 1; cut < body.length; cut++) {
      expect(await copyRows([body.subarray(0, cut), body.subarray(cut)]).catch((e: Error) => e.message)).toBe(whole);
    }
    expect(await copyRows(['card_no,flag\nAB', '01,1\r', '\nAB02,0'])).toBe('AB01\t1\t\\N\t2\nAB02\t0\t\\N\t3\n');
  });

  it('refuses the whole file at the first bad row, naming its line', async () => {
    const refusal = (body: string) => copyRows([body]).then(() => 'accepted', (e: Error & { line: number }) => [e.line, e.message]);
    expect(await refusal('04A1B2C3,1\n04A1B2C4,2\n')).toEqual([2, 'line 2: flag must be 0 or 1']);
    expect(await refusal('04-A1,1\n')).toEqual([1, 'line 1: card_no must be 1–32 letters or digits']);
    expect(await refusal('04A1,1,"L 1,L/2"\n')).toEqual([1, 'line 1: line_ids: "L/2" is not a line id']);
    expect(await refusal('04A1,1,L1,x\n')).toEqual([1, 'line 1: expected card_no,flag,line_ids']);
    expect(await refusal('04A1,"1\n')).toEqual([1, 'line 1: unbalanced quotes']);
    expect(await refusal('card_no,flag\n')).toEqual([0, 'body: no card rows (text/csv card_no,flag,line_ids)']);
    expect(await refusal('')).toEqual([0, 'body: no card rows (text/csv card_no,flag,line_ids)']);
  });

  it('refuses a body over its byte limit', async () => {
    await expect(copyRows(['AB01,1\n', 'AB02,1\n'], 10)).rejects.toMatchObject({ line: 0, message: 'body: more than 10 bytes (TRANSIT_CARD_IMPORT_MAX_BYTES): split the import' });
  });
});
