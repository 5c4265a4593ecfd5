import { parseCardCsv, splitCsvLine } from './csv';
import { normaliseCardNo } from './whitelist.service';

describe('card CSV import', () => {
  it('splits quoted fields', () => {
    expect(splitCsvLine('a,"b,c",d')).toEqual(['a', 'b,c', 'd']);
    expect(splitCsvLine('"say ""hi""",1')).toEqual(['say "hi"', '1']);
    expect(splitCsvLine('a,')).toEqual(['a', '']);
    expect(splitCsvLine('"open,1')).toBeUndefined();
  });

  it('reads rows with or without a header, normalising card numbers and line ids', () => {
    const result = parseCardCsv('\uFEFFcard_no,flag,line_ids\r\n04 a1 b2 c3,1,L1|L2;L1\n\n00065537,0\n"0A0B0C0D",1,""\n', normaliseCardNo);
    expect(result).toEqual({
      ok: true,
      cards: [
        { line: 2, cardNo: '04A1B2C3', flag: 1, lineIds: ['L1', 'L2'] },
        { line: 4, cardNo: '00065537', flag: 0, lineIds: undefined },
        { line: 5, cardNo: '0A0B0C0D', flag: 1, lineIds: [] },
      ],
    });
  });

  it('refuses the whole file at the first bad row, naming its line', () => {
    expect(parseCardCsv('04A1B2C3,1\n04A1B2C4,2\n', normaliseCardNo)).toEqual({ ok: false, line: 2, message: 'line 2: flag must be 0 or 1' });
    expect(parseCardCsv('04-A1,1\n', normaliseCardNo)).toMatchObject({ ok: false, message: 'line 1: card_no must be 1–32 letters or digits' });
    expect(parseCardCsv('04A1,1,"L 1,L/2"\n', normaliseCardNo)).toMatchObject({ ok: false, message: 'line 1: line_ids: "L/2" is not a line id' });
    expect(parseCardCsv('card_no,flag\n', normaliseCardNo)).toMatchObject({ ok: false });
    expect(parseCardCsv('1,1\n2,1\n3,1\n', normaliseCardNo, 2)).toMatchObject({ ok: false, message: 'more than 2 rows: split the import' });
  });
});
