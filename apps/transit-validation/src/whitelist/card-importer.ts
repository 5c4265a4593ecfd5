import { Injectable, Logger } from '@nestjs/common';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, ErrorKind } from '@onecard/kernel';
import { unboundedQueryRunner } from '@onecard/platform';
import { TransitValidationConfig } from '../config';
import { CardCsvToCopy } from './card-import-stream';
import { CsvRefusal } from './csv';
import { normaliseCardNo, WhitelistService } from './whitelist.service';

export interface ImportResult {
  /** Card rows in the file. */
  rows: number;
  /** Distinct cards among them (the last row of a card wins). */
  cards: number;
  /** Cards whose state the import changed (new, back from removal, another flag or other lines). */
  changed: number;
  /** The whitelist version after the import: the one its changes took, or the current one when it changed nothing. */
  version: number;
}

/**
 * The merge of the staged rows, as WhitelistService.apply merges a change set (same rules: the
 * last row of a card wins, no line_ids column keeps the card's lines, a removed card comes back,
 * a card changed after `$2` by its source is left alone, only real changes take the version),
 * written as an UPDATE of the cards that exist and a plain INSERT of the new ones rather than
 * apply's locked read and upsert: every whitelist write takes the version lock first, so no other
 * writer can come between this read and this write, and a million row locks or speculative
 * inserts are a million extra heap and WAL writes.
 */
const MERGE = `
  WITH input AS (
    SELECT DISTINCT ON (card_no) card_no, flag, line_ids FROM card_import ORDER BY card_no, line DESC
  ), next AS (
    SELECT i.card_no, i.flag, coalesce(i.line_ids, CASE WHEN w.removed THEN NULL ELSE w.line_ids END, '{}'::text[]) AS line_ids,
           w.card_no IS NOT NULL AS existed, w.flag AS p_flag, w.line_ids AS p_lines, w.removed AS p_removed
      FROM input i LEFT JOIN whitelist_card w ON w.card_no = i.card_no
     WHERE w.card_no IS NULL OR w.changed_at <= $2
  ), changed AS (
    SELECT * FROM next WHERE NOT existed OR p_removed OR flag IS DISTINCT FROM p_flag OR line_ids IS DISTINCT FROM p_lines
  ), updated AS (
    UPDATE whitelist_card w SET flag = c.flag, line_ids = c.line_ids, removed = false, version = $1, source = 'admin-import', changed_at = $2
      FROM changed c WHERE c.existed AND w.card_no = c.card_no
    RETURNING 1
  ), inserted AS (
    INSERT INTO whitelist_card (card_no, flag, line_ids, removed, version, source, changed_at)
    SELECT card_no, flag, line_ids, false, $1, 'admin-import', $2 FROM changed WHERE NOT existed
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM input)::int AS cards, ((SELECT count(*) FROM updated) + (SELECT count(*) FROM inserted))::int AS changed,
         ARRAY(SELECT DISTINCT l FROM changed c, unnest(c.line_ids || coalesce(c.p_lines, '{}'::text[])) AS l
                 WHERE cardinality(c.line_ids) > 0 OR cardinality(c.p_lines) > 0) AS lines`;

/**
 * POST /admin/cards/import: a city's cards in one streamed request. The CSV is checked row by
 * row as it arrives (CardCsvToCopy) and copied into a temporary table with `COPY FROM STDIN`;
 * then, in the same transaction, the rows are merged into the whitelist under ONE new version,
 * with the lines touched, `whitelist.changed` and the caches' notice, as any change set. A bad row
 * or an oversized body aborts the COPY and rolls everything back: nothing changes, the answer
 * names the first bad line. The body is never held whole: memory holds a chunk, Postgres the rows.
 */
@Injectable()
export class CardImporter {
  private readonly logger = new Logger('card-import');

  constructor(
    private readonly db: DataSource,
    private readonly whitelist: WhitelistService,
    private readonly config: TransitValidationConfig,
  ) {}

  async import(request: Readable, declaredLength?: number): Promise<ImportResult> {
    const maxBytes = this.config.TRANSIT_CARD_IMPORT_MAX_BYTES;
    if (declaredLength !== undefined && declaredLength > maxBytes) throw refused(new CsvRefusal(0, `body: more than ${maxBytes} bytes (TRANSIT_CARD_IMPORT_MAX_BYTES): split the import`));
    // A city's file takes longer than any request statement may (DB_STATEMENT_TIMEOUT_MS).
    const runner = await unboundedQueryRunner(this.db);
    const client = (await runner.connect()) as PoolClient;
    const body = detachable(request);
    const rows = new CardCsvToCopy(normaliseCardNo, maxBytes);
    const started = Date.now();
    try {
      await runner.startTransaction();
      await runner.query(`CREATE TEMP TABLE card_import (card_no text COLLATE "C", flag smallint, line_ids text[], line integer) ON COMMIT DROP`);
      await pipeline(body, rows, client.query(copyFrom(`COPY card_import (card_no, flag, line_ids, line) FROM STDIN`)));
      const staged = Date.now();
      const merged = await this.merge(runner.manager);
      await runner.commitTransaction();
      const s = (ms: number) => (ms / 1000).toFixed(1);
      this.logger.log(`${rows.rows} rows read and staged in ${s(staged - started)} s, ${merged.changed} cards changed at version ${merged.version} in ${s(Date.now() - staged)} s`);
      return { rows: rows.rows, ...merged };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      // The answer still goes out on this request: stop reading it into the import, discard the rest.
      request.unpipe(body);
      request.resume();
      throw error instanceof CsvRefusal ? refused(error) : error;
    } finally {
      await runner.release();
    }
  }

  private async merge(manager: EntityManager): Promise<Omit<ImportResult, 'rows'>> {
    // A temporary table has no statistics until analysed: without them the join below is planned for a few rows.
    await manager.query(`ANALYZE card_import`);
    await manager.query(`SET LOCAL work_mem = '128MB'`);
    const version = await this.whitelist.takeVersion(manager);
    const [row]: Array<{ cards: number; changed: number; lines: string[] | null }> = await manager.query(MERGE, [version, new Date()]);
    if (row.changed === 0) {
      const [{ current }] = await manager.query(`SELECT coalesce(max(version), 0)::bigint AS current FROM whitelist_card`);
      return { cards: row.cards, changed: 0, version: Number(current) };
    }
    await this.whitelist.recordChange(manager, version, row.changed, row.lines ?? []);
    return { cards: row.cards, changed: row.changed, version };
  }
}

function refused(refusal: CsvRefusal): AppError {
  return new AppError(ErrorKind.INVALID_INPUT, 'INVALID_INPUT', refusal.message, 'body');
}

/**
 * The request body as a stream the import may abort without destroying the request itself (the
 * answer goes out on it): a failed pipeline destroys this pass-through only. The request ending
 * early (the operator's client gone) fails it.
 */
function detachable(request: Readable): PassThrough {
  const through = new PassThrough();
  request.pipe(through);
  request.once('error', (error) => through.destroy(error));
  request.once('close', () => {
    if (!request.readableEnded) through.destroy(new Error('the request closed before its body ended'));
  });
  return through;
}
