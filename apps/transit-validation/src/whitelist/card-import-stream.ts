import { StringDecoder } from 'node:string_decoder';
import { Transform, TransformCallback } from 'node:stream';
import { CardCsvReader, CsvRefusal } from './csv';

/**
 * An operator's card CSV, as it streams in, turned into rows for
 * `COPY card_import (card_no, flag, line_ids, line) FROM STDIN` (text format), each row checked
 * by CardCsvReader on the way: the first bad one, or more than `maxBytes` of body, fails the
 * stream with a CsvRefusal, which aborts the COPY. Memory holds one chunk whatever the file's size.
 *
 * Card numbers are [0-9A-Z] and line ids [A-Za-z0-9_.:-], so nothing needs COPY's backslash
 * escapes; line ids are quoted inside the array literal all the same (an id spelt "NULL" would
 * otherwise be read as a null element).
 */
export class CardCsvToCopy extends Transform {
  private readonly decoder = new StringDecoder('utf8');
  private readonly reader: CardCsvReader;
  private rest = '';
  private bytes = 0;
  private first = true;

  constructor(
    normaliseCardNo: (raw: string) => string | undefined,
    private readonly maxBytes: number,
  ) {
    super();
    this.reader = new CardCsvReader(normaliseCardNo);
  }

  /** Card rows passed on so far. */
  get rows(): number {
    return this.reader.count;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(new CsvRefusal(0, `body: more than ${this.maxBytes} bytes (TRANSIT_CARD_IMPORT_MAX_BYTES): split the import`));
      return;
    }
    let text = this.rest + this.decoder.write(chunk);
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      this.rest = text;
      callback();
      return;
    }
    this.rest = text.slice(end + 1);
    this.pass(text.slice(0, end).split('\n'), callback);
  }

  override _flush(callback: TransformCallback): void {
    const text = this.rest + this.decoder.end();
    this.rest = '';
    // A last line without a line break is a line; an empty remainder is not.
    const lines = text === '' ? [] : [this.first && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text];
    this.pass(lines, (error, out) => {
      if (error) return callback(error);
      try {
        this.reader.end();
      } catch (refusal) {
        return callback(refusal as Error);
      }
      callback(null, out);
    });
  }

  private pass(lines: string[], callback: TransformCallback): void {
    let out = '';
    try {
      for (const raw of lines) {
        const card = this.reader.read(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
        if (!card) continue;
        const lineIds = card.lineIds === undefined ? '\\N' : `{${card.lineIds.map((id) => `"${id}"`).join(',')}}`;
        out += `${card.cardNo}\t${card.flag}\t${lineIds}\t${card.line}\n`;
      }
    } catch (refusal) {
      callback(refusal as Error);
      return;
    }
    callback(null, out === '' ? undefined : out);
  }
}
