// The card import figure (issue 17 item 5): a city's CSV, 1,000,000 new cards, in ONE streamed
// POST /admin/cards/import, beside a bare COPY of the same file into a temporary table (no
// checks, no merge, no indexes) in the same run. Runs last: it adds its cards to the whitelist.
import { createReadStream, createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { wireTime } from '../../sim/validator/client';
import { fmt, log, Report, withClient } from '../common';
import type { Transit } from './fixtures';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

const ROWS = 1_000_000;
/** Imported card numbers: "I" + 7 hex digits, never one the seed made (8 hex digits). */
const importedCard = (i: number) => `I${i.toString(16).toUpperCase().padStart(7, '0')}`;

/** The file an operator would send: a header, every 50th card invalid, every 10th on two lines. */
async function writeCsv(path: string): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  await pipeline(
    (function* () {
      let chunk = 'card_no,flag,line_ids\n';
      for (let i = 0; i < ROWS; i++) {
        chunk += `${importedCard(i)},${i % 50 === 0 ? 0 : 1},${i % 10 === 0 ? 'L1|L3' : ''}\n`;
        if (chunk.length > 1 << 16) {
          bytes += chunk.length;
          yield chunk;
          chunk = '';
        }
      }
      bytes += chunk.length;
      yield chunk;
    })(),
    out,
  );
  return bytes;
}

/** POSTs the file as a stream (chunked, as a large upload goes), resolves with the answer. */
function postFile(url: string, adminToken: string, path: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/admin/cards/import`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'text/csv' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve(JSON.parse(text) as Record<string, unknown>));
      res.on('error', reject);
    });
    req.on('error', reject);
    createReadStream(path).pipe(req);
  });
}

export async function cardImportFigure(t: Transit, report: Report): Promise<void> {
  const path = join(tmpdir(), `transit-bench-import-${process.pid}.csv`);
  try {
    const bytes = await writeCsv(path);
    // Baseline: the same bytes through COPY into a bare temporary table, nothing checked or merged.
    const copies: number[] = [];
    await withClient(t.target.schemaUrl, async (client) => {
      for (let run = 0; run < 2; run++) {
        await client.query('BEGIN');
        await client.query(`CREATE TEMP TABLE bare_import (card_no text, flag smallint, line_ids text) ON COMMIT DROP`);
        copies.push((await timed(() => pipeline(createReadStream(path), client.query(copyFrom(`COPY bare_import FROM STDIN (FORMAT csv, HEADER true)`))))).ms);
        await client.query('ROLLBACK');
      }
    });

    const device = t.devices[3];
    const { ms, value: answer } = await timed(() => postFile(t.service.url, t.target.adminToken, path));
    if (answer.ret_code !== 0 || answer.rows !== ROWS || answer.changed !== ROWS) throw new Error(`card import wrong: ${JSON.stringify(answer)}`);
    const version = String(answer.version);
    // The service's copy of the whitelist is current once the heartbeat announces the version.
    const started = Date.now();
    for (;;) {
      const hb = await device.call('/location_report', device.heartbeatBody());
      if (hb.version_code_add === version) break;
      if (Date.now() - started > 120_000) throw new Error(`the service never announced version ${version}`);
      await sleep(100);
    }
    const cacheMs = Date.now() - started;
    const check = await device.call('/card_check', { check_mode: 0, card_id: importedCard(ROWS - 1), time: wireTime() });
    if (check.ret_code !== 0) throw new Error(`an imported card is not valid: ${JSON.stringify(check)}`);
    const baseline = Math.min(...copies);
    log(`card import: ${fmt(ROWS)} rows (${fmt(bytes / 1e6, 1)} MB) in ${fmt(ms / 1000, 1)} s, version ${version}; cache current ${fmt(cacheMs / 1000, 1)} s later; bare COPY ${copies.map((c) => fmt(c / 1000, 1)).join(', ')} s`);
    report.add({
      figure: `card import, ${fmt(ROWS)} rows`,
      service: `${fmt(ms / 1000, 1)} s to the answer (${fmt(ROWS / (ms / 1000))} rows/s), cache current ${fmt(cacheMs / 1000, 1)} s later`,
      baseline: `bare COPY into a temp table ${fmt(baseline / 1000, 1)} s`,
      target: '< 15 s',
      ok: ms < 15_000,
    });
  } finally {
    await unlink(path).catch(() => undefined);
  }
}
