import { Injectable, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { TransitValidationConfig } from '../config';
import { copyRowsAsJsonItems } from './copy-items';

/** Which list: the whole whitelist, the changes after a version, or the cards of one line. */
export type ListQuery = { kind: 'full' } | { kind: 'since'; since: number } | { kind: 'line'; lineId: string };

export interface ListHead {
  reqId?: string;
  enterpriseId: string;
  /** When handling began (for the document's `time`, ms spent by the server). */
  startedAt: number;
}

/** Rows per range of an incremental list. */
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
 * straight from Postgres into the HTTP response, in one REPEATABLE READ READ ONLY transaction (so
 * `version` and every row belong to one snapshot), with backpressure: memory holds about one
 * chunk whatever the list's size. Postgres writes each card's JSON text. Full and line lists come
 * from one `COPY … TO STDOUT` (2.5× faster than the ranges of 20,000 rows it replaced: no
 * per-range query, and the bytes go to the response as they arrive, never through a JS string);
 * incremental lists, small, are read in ranges of 20,000 rows. `time` (server milliseconds) comes
 * last, when it is known.
 *
 * Everything that can fail before the first byte (the connection, the snapshot, `accept`) fails
 * as a normal envelope error. A failure after it cuts the connection: the validator sees a
 * truncated body, never a short list that parses. A stream cut short (the validator hung up)
 * destroys its database connection, which may be in the middle of a COPY.
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
    let client: PoolClient | undefined;
    let released = false;
    const release = (broken?: Error) => {
      if (released) return;
      released = true;
      const c = client;
      void (async () => {
        if (c && !broken) await c.query('ROLLBACK').catch((error: Error) => (broken = error));
        c?.release(broken);
      })();
      this.releaseSlot();
    };
    try {
      client = await (this.db.driver as PostgresDriver).master.connect() as PoolClient;
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // A list goes out at the pace the validator reads it: DB_STATEMENT_TIMEOUT_MS would cut a long one off.
      await client.query('SET LOCAL statement_timeout = 0');
      const version = await this.snapshotVersion(client, typeof query === 'function' ? { kind: 'full' } : query);
      const planned = typeof query === 'function' ? query(version) : query;
      const stream = Readable.from(this.body(client, head, planned, version), { objectMode: false });
      stream.once('close', () => release(stream.readableEnded ? undefined : new Error('list stream cut short')));
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

  private async snapshotVersion(client: PoolClient, query: ListQuery): Promise<number> {
    if (query.kind === 'line') {
      const { rows: [row] } = await client.query(`SELECT version FROM line_version WHERE line_id = $1`, [query.lineId]);
      return row ? Number(row.version) : 0;
    }
    const { rows: [row] } = await client.query(`SELECT coalesce(max(version), 0) AS v FROM whitelist_card`);
    return Number(row.v);
  }

  private async *body(client: PoolClient, head: ListHead, query: ListQuery, version: number): AsyncGenerator<Buffer> {
    const opening: Record<string, unknown> = {};
    if (head.reqId !== undefined) opening.req_id = head.reqId;
    Object.assign(opening, { enterprise_id: head.enterpriseId, ret_code: 0, ret_msg: '成功', version: String(version) });
    yield Buffer.from(`${JSON.stringify(opening).slice(0, -1)},"list":[`);
    if (query.kind === 'since') yield* this.changesSince(client, query.since);
    else {
      // COPY takes no parameters: the line id goes in as a quoted literal.
      const where = query.kind === 'line' ? `NOT removed AND line_ids @> ARRAY[${client.escapeLiteral(query.lineId)}]::text[]` : 'NOT removed';
      yield* copyRowsAsJsonItems(client.query(copyTo(`COPY (SELECT ${ITEM} FROM whitelist_card WHERE ${where} ORDER BY card_no) TO STDOUT`)));
    }
    yield Buffer.from(`],"time":${Date.now() - head.startedAt}}`);
  }

  /** Every card changed after `since`, removals with flag 0, in (version, card) order, by ranges. */
  private async *changesSince(client: PoolClient, since: number): AsyncGenerator<Buffer> {
    let first = true;
    let lastCard = '';
    let lastVersion = since;
    for (;;) {
      const { rows: [row] } = await client.query<Chunk>(...this.rangeAfter(lastCard, lastVersion));
      if (row.n > 0 && row.chunk) {
        yield Buffer.from(first ? row.chunk : `,${row.chunk}`);
        first = false;
        lastCard = row.last_card ?? lastCard;
        if (row.last_version !== null) lastVersion = Number(row.last_version);
      }
      if (row.n < BATCH) break;
    }
  }

  private rangeAfter(lastCard: string, lastVersion: number): [string, unknown[]] {
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
      first ? [lastVersion] : [lastVersion, lastCard],
    ];
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
