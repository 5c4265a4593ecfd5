import { Injectable, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { DataSource, QueryRunner } from 'typeorm';
import { TransitValidationConfig } from '../config';

/** Which list: the whole whitelist, the changes after a version, or the cards of one line. */
export type ListQuery = { kind: 'full' } | { kind: 'since'; since: number } | { kind: 'line'; lineId: string };

export interface ListHead {
  reqId?: string;
  enterpriseId: string;
  /** When handling began (for the document's `time`, ms spent by the server). */
  startedAt: number;
}

const BATCH = 20_000;

interface Chunk {
  chunk: string | null;
  last_card: string | null;
  last_version: string | null;
  n: number;
}

/** Card numbers are [0-9A-Z] (a CHECK constraint), so rows become JSON by concatenation. */
const ITEM = `'{"card_no":"' || card_no || '","flag":' || flag || '}'`;

/**
 * Streams `{req_id, enterprise_id, ret_code, ret_msg, version, list: [{card_no, flag}…], time}`
 * straight from Postgres into the HTTP response: one REPEATABLE READ READ ONLY transaction (so
 * `version` and every row belong to one snapshot), read in key ranges of 20,000 rows, each
 * range turned into JSON text by Postgres and written as it comes, with backpressure. Memory
 * stays at about one range whatever the list's size. `time` (server milliseconds) comes last,
 * when it is known.
 *
 * Everything that can fail before the first byte (the connection, the snapshot, `accept`) fails
 * as a normal envelope error. A failure after it cuts the connection: the validator sees a
 * truncated body, never a short list that parses.
 */
@Injectable()
export class ListStreamer {
  private readonly logger = new Logger('lists');
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly db: DataSource, private readonly config: TransitValidationConfig) {}

  /**
   * `query` may be decided from the snapshot's whitelist version (incremental lists), before
   * anything is sent; it may throw (an AppError becomes the answer).
   */
  async send(reply: FastifyReply, head: ListHead, query: ListQuery | ((version: number) => ListQuery)): Promise<void> {
    await this.acquire();
    let runner: QueryRunner | undefined;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const r = runner;
      void (async () => {
        await r?.query('ROLLBACK').catch(() => undefined);
        await r?.release().catch(() => undefined);
      })();
      this.releaseSlot();
    };
    try {
      runner = this.db.createQueryRunner();
      await runner.connect();
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const version = await this.snapshotVersion(runner, typeof query === 'function' ? { kind: 'full' } : query);
      const planned = typeof query === 'function' ? query(version) : query;
      const stream = Readable.from(this.body(runner, head, planned, version), { objectMode: false });
      stream.once('close', release);
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) stream.destroy();
      });
      stream.on('error', (error) => this.logger.warn(`list stream aborted: ${error.message}`));
      void reply.status(200).header('content-type', 'application/json; charset=utf-8').send(stream);
    } catch (error) {
      release();
      throw error;
    }
  }

  private async snapshotVersion(runner: QueryRunner, query: ListQuery): Promise<number> {
    if (query.kind === 'line') {
      const [row] = await runner.query(`SELECT version FROM line_version WHERE line_id = $1`, [query.lineId]);
      return row ? Number(row.version) : 0;
    }
    const [row] = await runner.query(`SELECT coalesce(max(version), 0) AS v FROM whitelist_card`);
    return Number(row.v);
  }

  private async *body(runner: QueryRunner, head: ListHead, query: ListQuery, version: number): AsyncGenerator<Buffer> {
    const opening: Record<string, unknown> = {};
    if (head.reqId !== undefined) opening.req_id = head.reqId;
    Object.assign(opening, { enterprise_id: head.enterpriseId, ret_code: 0, ret_msg: '成功', version: String(version) });
    yield Buffer.from(`${JSON.stringify(opening).slice(0, -1)},"list":[`);
    let first = true;
    let lastCard = '';
    let lastVersion = query.kind === 'since' ? query.since : 0;
    for (;;) {
      const [row]: Chunk[] = await runner.query(...this.batchQuery(query, lastCard, lastVersion));
      if (row.n > 0 && row.chunk) {
        yield Buffer.from(first ? row.chunk : `,${row.chunk}`);
        first = false;
        lastCard = row.last_card ?? lastCard;
        if (row.last_version !== null) lastVersion = Number(row.last_version);
      }
      if (row.n < BATCH) break;
    }
    yield Buffer.from(`],"time":${Date.now() - head.startedAt}}`);
  }

  private batchQuery(query: ListQuery, lastCard: string, lastVersion: number): [string, unknown[]] {
    switch (query.kind) {
      case 'full':
        return [
          `WITH b AS (SELECT card_no, flag FROM whitelist_card WHERE NOT removed AND card_no > $1 ORDER BY card_no LIMIT ${BATCH})
           SELECT string_agg(${ITEM}, ',' ORDER BY card_no) AS chunk, max(card_no) AS last_card, NULL AS last_version, count(*)::int AS n FROM b`,
          [lastCard],
        ];
      case 'line':
        return [
          `WITH b AS (SELECT card_no, flag FROM whitelist_card WHERE NOT removed AND line_ids @> ARRAY[$2]::text[] AND card_no > $1 ORDER BY card_no LIMIT ${BATCH})
           SELECT string_agg(${ITEM}, ',' ORDER BY card_no) AS chunk, max(card_no) AS last_card, NULL AS last_version, count(*)::int AS n FROM b`,
          [lastCard, query.lineId],
        ];
      case 'since': {
        // First range: version > since. Later ones: after the last (version, card_no) sent. (Both
        // conditions at once would make Postgres start the index scan at `since` and walk every
        // row of that version.)
        const first = lastCard === '';
        return [
          `WITH b AS (SELECT card_no, CASE WHEN removed THEN 0 ELSE flag END AS flag, version FROM whitelist_card
                       WHERE ${first ? 'version > $1' : '(version, card_no) > ($1, $2)'} ORDER BY version, card_no LIMIT ${BATCH})
           SELECT string_agg(${ITEM}, ',' ORDER BY version, card_no) AS chunk,
                  (SELECT card_no FROM b ORDER BY version DESC, card_no DESC LIMIT 1) AS last_card,
                  max(version) AS last_version, count(*)::int AS n FROM b`,
          first ? [query.since] : [lastVersion, lastCard],
        ];
      }
    }
  }

  private async acquire(): Promise<void> {
    // Leave the pool room for everything else.
    const limit = Math.max(1, Math.min(this.config.TRANSIT_LIST_STREAMS, this.config.DB_POOL_SIZE - 2));
    if (this.active < limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private releaseSlot(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
