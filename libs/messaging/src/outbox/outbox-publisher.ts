import { Logger } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { NatsConnectionService } from '../nats/nats-connection.service';
import { publishPipelined } from './jetstream-pipeline';

/** One event waiting in the outbox: a row of its own, or one of a batch row's events. */
interface PendingEvent {
  seq: string;
  /** Its place in the row (1-based; 1 for a row of one event). */
  n: number;
  subject: string;
  /** The message's JSON text, published as stored. */
  message: string;
  /** Nats-Msg-Id: the event's id (a row of one event is keyed by it too). */
  msg_id: string;
}

/**
 * Events per round (whole rows: a round takes rows until it reaches this, at least one); with
 * pipelined publishing a round costs about one ack round trip, so it can be large.
 */
const BATCH = 1000;
const ACK_TIMEOUT_MS = 5000;
/**
 * After a round that published, the next waits this long even when woken, so under a stream of
 * small commits (a busy app wakes the relay at each) the events queued meanwhile go out together:
 * a round costs five statements and an ack round trip however few events it carries. An idle
 * relay woken by a commit still starts at once.
 */
const GATHER_MS = 10;
/** The longest pause after a refused publish. */
const MAX_BACKOFF_MS = 2000;

// The rows at the head, claimed (FOR UPDATE SKIP LOCKED), then as many of them as make BATCH events,
// each expanded into its events still to publish, in publishing order. The element text is the
// stored text (json keeps it as written).
const CLAIM_EVENTS = `
  WITH claimed AS (
    SELECT seq, coalesce(batch_size, 1) - published_count AS waiting FROM outbox
     WHERE published_at IS NULL ORDER BY seq LIMIT ${BATCH} FOR UPDATE SKIP LOCKED
  ), chosen AS (
    SELECT seq FROM (SELECT seq, waiting, sum(waiting) OVER (ORDER BY seq) AS upto FROM claimed) c WHERE upto - waiting < ${BATCH}
  )
  SELECT o.seq, e.n::int AS n, o.subject, e.m::text AS message,
         CASE WHEN o.batch_size IS NULL THEN o.id::text ELSE e.m->>'eventId' END AS msg_id
    FROM chosen JOIN outbox o USING (seq)
   CROSS JOIN LATERAL (
     SELECT o.message AS m, 1::bigint AS n WHERE o.batch_size IS NULL
     UNION ALL
     SELECT t.m, t.n FROM json_array_elements(CASE WHEN o.batch_size IS NOT NULL THEN o.message END) WITH ORDINALITY AS t(m, n)
   ) e
   WHERE e.n > o.published_count
   ORDER BY o.seq, e.n`;

// One relay round at a time per schema, whichever replica runs it: rounds of two replicas would
// interleave in the stream, an event of one overtaking an earlier one of the other. Taken for the
// round's transaction only; a replica that finds it taken tries again shortly.
const ROUND_LOCK = `SELECT pg_try_advisory_xact_lock(hashtextextended(current_schema() || ':outbox-relay', 0)) AS mine`;
const BUSY_RETRY_MS = 25;

// Progress per row: how many of its events the stream has; a row is published once it has all.
const MARK_PUBLISHED = `
  UPDATE outbox o SET published_count = u.done, attempts = o.attempts + 1,
         published_at = CASE WHEN u.done >= coalesce(o.batch_size, 1) THEN now() END
    FROM unnest($1::bigint[], $2::int[]) AS u(seq, done) WHERE o.seq = u.seq`;

/** [seq[], done[]] for MARK_PUBLISHED: each row's last published event (events are in row order). */
function progress(published: readonly PendingEvent[]): [string[], number[]] {
  const seqs: string[] = [];
  const done: number[] = [];
  for (const event of published) {
    if (seqs[seqs.length - 1] === event.seq) done[done.length - 1] = event.n;
    else {
      seqs.push(event.seq);
      done.push(event.n);
    }
  }
  return [seqs, done];
}

export interface OutboxPublisherOptions {
  /** Polling interval while nothing wakes it (OUTBOX_POLL_MS). */
  pollMs: number;
  /** Told after each round how many events the stream acknowledged. */
  onPublished(count: number): void;
}

/**
 * Publishes committed outbox events to JetStream in commit order, each as its own message with its
 * event id (a single-event row's outbox id) as Nats-Msg-Id, so a retried publish is deduplicated
 * by the stream; a batch row's events go one message each, in the row's order. Safe in every replica:
 * one round runs at a time per schema (ROUND_LOCK), so replicas never interleave their rounds in
 * the stream. While NATS is away it backs off and rows wait.
 * A batch is published pipelined (see publishInOrder): when JetStream refuses one message of a
 * batch but stores later ones, those later ones precede it in the stream (each still once, within
 * the duplicate window); one the client refuses to send stops the batch there (publishPipelined).
 *
 * It runs on the relay thread (see OutboxRelay), with a pool and NATS connection of its own.
 */
export class OutboxPublisher {
  private readonly logger = new Logger('outbox');
  private running = false;
  /** The round under way, awaited at stop so it never meets a closed pool. */
  private inFlight?: Promise<void>;
  private stopped = false;
  private wakeRequested = false;
  /** Waiting GATHER_MS after a round that published (wakes are noted, not acted on). */
  private gathering = false;
  private timer?: NodeJS.Timeout;
  private backoffMs = 0;
  /** The previous round stopped at a failed publish (see publishInOrder). */
  private lastRoundFailed = false;

  constructor(
    /** A pool of its own, search_path pinned to the app's schema (no ORM: nothing here maps rows). */
    private readonly pool: Pool,
    private readonly nats: NatsConnectionService,
    private readonly options: OutboxPublisherOptions,
  ) {}

  start(): void {
    // Back on NATS (another node of a cluster, say): try at once rather than at the end of a pause.
    this.nats.onConnected(() => {
      if (this.backoffMs > 0 && !this.running) {
        this.backoffMs = 0;
        this.schedule(0);
      } else this.wake();
    });
    this.schedule(0);
  }

  /** Something was committed to the outbox: publish now rather than at the next poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.running || this.gathering) {
      this.wakeRequested = true;
      return;
    }
    if (this.backoffMs === 0) this.schedule(0);
  }

  /** Stops scheduling and lets the round under way finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.inFlight;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.inFlight = this.tick();
    }, ms);
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    let more = false;
    let busy = false;
    let published = false;
    try {
      if (this.nats.isConnected) {
        await this.nats.ensureStream();
        ({ more, busy, published } = await this.publishBatch());
      }
      this.backoffMs = 0;
    } catch (error) {
      // Capped at 2 s: connected but refused is mostly a JetStream leader election (seconds), and
      // a longer pause would hold events back well after the stream is answering again.
      this.backoffMs = Math.min(Math.max(this.backoffMs * 2, 200), MAX_BACKOFF_MS);
      this.logger.warn(`publishing paused for ${this.backoffMs} ms: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
    if (!this.backoffMs && !busy && !more && published) {
      // Gather: the round after this one waits GATHER_MS; a wake meanwhile is kept for it.
      this.gathering = true;
      this.timer = setTimeout(() => {
        this.gathering = false;
        const woken = this.wakeRequested;
        this.wakeRequested = false;
        this.schedule(woken ? 0 : this.options.pollMs);
      }, GATHER_MS);
      return;
    }
    const next = this.backoffMs || (busy ? BUSY_RETRY_MS : more || this.wakeRequested ? 0 : this.options.pollMs);
    this.wakeRequested = false;
    this.schedule(next);
  }

  /** One batch in one transaction; stops at the first failure so order is kept. `more`: more wait; `busy`: another replica's round runs. */
  private async publishBatch(): Promise<{ more: boolean; busy: boolean; published: boolean }> {
    const outcome = await inTransaction(this.pool, async (client): Promise<{ more: boolean; busy?: boolean; published?: boolean; failure?: Error }> => {
      const { rows: [lock] } = await client.query<{ mine: boolean }>(ROUND_LOCK);
      if (!lock.mine) return { more: false, busy: true };
      const { rows: events } = await client.query<PendingEvent>(CLAIM_EVENTS);
      if (events.length === 0) return { more: false };
      const { published, failure } = await this.publishInOrder(events);
      if (published > 0) {
        await client.query(MARK_PUBLISHED, progress(events.slice(0, published)));
        this.options.onPublished(published);
      }
      if (failure) {
        await client.query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = $1`, [failure.event.seq, failure.error.message.slice(0, 500)]);
      }
      return { more: events.length >= BATCH, published: published > 0, failure: failure?.error };
    });
    // Thrown after commit, so events published before the failure stay marked.
    if (outcome.failure) throw outcome.failure;
    if (outcome.busy) return { more: false, busy: true, published: false };
    await this.prunePublished();
    return { more: outcome.more, busy: false, published: outcome.published ?? false };
  }

  /**
   * Publishes the events pipelined (all written, in order, before any ack is awaited) and counts
   * as published only the run of consecutive acks from the first. Events after the first failure
   * stay unpublished even if acknowledged; the next round sends them again and the stream drops
   * the copies (Nats-Msg-Id, within its duplicate window).
   *
   * After a failed round the first event goes alone before the rest are pipelined: an event that
   * keeps failing must not have the events behind it re-sent every round, or they would outlast
   * the duplicate window and be stored twice.
   */
  private async publishInOrder(events: PendingEvent[]): Promise<{ published: number; failure?: { event: PendingEvent; error: Error } }> {
    const nc = this.nats.connection;
    if (!nc) throw new Error('NATS is not connected');
    const publish = (batch: PendingEvent[]) =>
      publishPipelined(nc, batch, (event) => ({ subject: this.nats.subject(event.subject), data: event.message, msgId: event.msg_id }), ACK_TIMEOUT_MS);
    let from = 0;
    if (this.lastRoundFailed) {
      const [error] = await publish(events.slice(0, 1));
      if (error) return { published: 0, failure: { event: events[0], error } };
      from = 1;
    }
    const acks = from < events.length ? await publish(events.slice(from)) : [];
    for (let i = 0; i < acks.length; i++) {
      const error = acks[i];
      if (error) {
        this.lastRoundFailed = true;
        return { published: from + i, failure: { event: events[from + i], error } };
      }
    }
    this.lastRoundFailed = false;
    return { published: events.length };
  }

  private lastPrune = 0;

  /** Published rows are kept a day for operators, then dropped (at most hourly). */
  private async prunePublished(): Promise<void> {
    if (Date.now() - this.lastPrune < 3_600_000) return;
    this.lastPrune = Date.now();
    await this.pool.query(`DELETE FROM outbox WHERE published_at < now() - interval '1 day'`);
  }
}

/** Runs `work` in one transaction on one connection; a connection that failed mid-way is dropped, not reused. */
async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
