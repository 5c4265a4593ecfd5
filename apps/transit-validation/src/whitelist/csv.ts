/** One row of an operator's card import. */
export interface CsvCard {
  line: number;
  cardNo: string;
  flag: 0 | 1;
  /** Undefined when the row has no line_ids column (the card keeps its lines). */
  lineIds?: string[];
}

export type CsvResult = { ok: true; cards: CsvCard[] } | { ok: false; line: number; message: string };

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
 * spaces (or by commas inside quotes). Any bad row refuses the whole import, naming its line.
 * `normaliseCardNo` decides what a card number is.
 */
export function parseCardCsv(body: string, normaliseCardNo: (raw: string) => string | undefined, maxRows = 100_000): CsvResult {
  const cards: CsvCard[] = [];
  const lines = body.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n];
    if (raw.trim() === '') continue;
    const line = n + 1;
    const fields = splitCsvLine(raw);
    if (!fields) return { ok: false, line, message: `line ${line}: unbalanced quotes` };
    if (cards.length === 0 && fields[0].toLowerCase() === 'card_no') continue;
    if (fields.length < 2 || fields.length > 3) return { ok: false, line, message: `line ${line}: expected card_no,flag,line_ids` };
    const cardNo = normaliseCardNo(fields[0]);
    if (!cardNo) return { ok: false, line, message: `line ${line}: card_no must be 1–32 letters or digits` };
    if (fields[1] !== '0' && fields[1] !== '1') return { ok: false, line, message: `line ${line}: flag must be 0 or 1` };
    let lineIds: string[] | undefined;
    if (fields.length === 3) {
      lineIds = fields[2].split(/[|;,\s]+/).filter((s) => s !== '');
      const bad = lineIds.find((id) => !ID.test(id));
      if (bad !== undefined) return { ok: false, line, message: `line ${line}: line_ids: "${bad.slice(0, 64)}" is not a line id` };
      lineIds = [...new Set(lineIds)];
    }
    cards.push({ line, cardNo, flag: fields[1] === '1' ? 1 : 0, lineIds });
    if (cards.length > maxRows) return { ok: false, line, message: `more than ${maxRows} rows: split the import` };
  }
  if (cards.length === 0) return { ok: false, line: 0, message: 'body: no card rows (text/csv card_no,flag,line_ids)' };
  return { ok: true, cards };
}
