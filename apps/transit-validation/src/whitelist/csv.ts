/** One row of an operator's card import. */
export interface CsvCard {
  line: number;
  cardNo: string;
  flag: 0 | 1;
  /** Undefined when the row has no line_ids column (the card keeps its lines). */
  lineIds?: string[];
}

/** A row that refuses the whole import: its line number (0: the file as a whole) and why. */
export class CsvRefusal extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Splits one CSV record (RFC 4180 quoting: "a,b" and "" for a quote). */
export function splitCsvLine(text: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) return undefined;
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      if (i < text.length && text[i] !== ',') return undefined;
    } else {
      const next = text.indexOf(',', i);
      field = next < 0 ? text.slice(i) : text.slice(i, next);
      i = next < 0 ? text.length : next;
    }
    fields.push(field.trim());
    if (i >= text.length) return fields;
    i++; // the comma
  }
}

/**
 * `card_no,flag,line_ids` rows, an optional header row, line ids separated by `|`, `;` or
 * spaces (or by commas inside quotes), read one line of the file at a time (lines numbered from
 * 1, blank ones counted and skipped). Any bad row refuses the whole import, naming its line.
 * `normaliseCardNo` decides what a card number is.
 */
export class CardCsvReader {
  private lines = 0;
  private cards = 0;

  constructor(private readonly normaliseCardNo: (raw: string) => string | undefined) {}

  /** Card rows read so far. */
  get count(): number {
    return this.cards;
  }

  /** The file's next line, without its line break: its card, or undefined for a blank or header line; throws CsvRefusal. */
  read(raw: string): CsvCard | undefined {
    const line = ++this.lines;
    if (raw.trim() === '') return undefined;
    const fields = splitCsvLine(raw);
    if (!fields) throw new CsvRefusal(line, `line ${line}: unbalanced quotes`);
    if (this.cards === 0 && fields[0].toLowerCase() === 'card_no') return undefined;
    if (fields.length < 2 || fields.length > 3) throw new CsvRefusal(line, `line ${line}: expected card_no,flag,line_ids`);
    const cardNo = this.normaliseCardNo(fields[0]);
    if (!cardNo) throw new CsvRefusal(line, `line ${line}: card_no must be 1–32 letters or digits`);
    if (fields[1] !== '0' && fields[1] !== '1') throw new CsvRefusal(line, `line ${line}: flag must be 0 or 1`);
    let lineIds: string[] | undefined;
    if (fields.length === 3) {
      lineIds = fields[2].split(/[|;,\s]+/).filter((s) => s !== '');
      const bad = lineIds.find((id) => !ID.test(id));
      if (bad !== undefined) throw new CsvRefusal(line, `line ${line}: line_ids: "${bad.slice(0, 64)}" is not a line id`);
      lineIds = [...new Set(lineIds)];
    }
    this.cards++;
    return { line, cardNo, flag: fields[1] === '1' ? 1 : 0, lineIds };
  }

  /** At the end of the file: throws when it had no card row. */
  end(): void {
    if (this.cards === 0) throw new CsvRefusal(0, 'body: no card rows (text/csv card_no,flag,line_ids)');
  }
}
