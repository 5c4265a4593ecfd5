const NEWLINE = 0x0a;
const COMMA = 0x2c;
const COMMA_BUFFER = Buffer.from(',');

/**
 * The items of a JSON array from `COPY (SELECT <one JSON item per row>) TO STDOUT`: COPY's text
 * format ends every row with a newline, so turning each newline into a comma and dropping the
 * last one gives `item,item,…,item`. Chunks may end anywhere in a row; they are changed in place
 * (they are the caller's to give away) and passed on as they come, so memory holds one chunk.
 *
 * Only for rows COPY does not escape: no backslash, tab, newline or carriage return in an item
 * (whitelist items are built from `[0-9A-Z]` card numbers and integer flags).
 */
export async function* copyRowsAsJsonItems(rows: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  // A row ended at the end of the previous chunk: its comma is owed if another row follows.
  let commaOwed = false;
  for await (const chunk of rows) {
    if (chunk.length === 0) continue;
    for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1)) chunk[i] = COMMA;
    if (commaOwed) yield COMMA_BUFFER;
    commaOwed = chunk[chunk.length - 1] === COMMA;
    yield commaOwed ? chunk.subarray(0, chunk.length - 1) : chunk;
  }
}
