import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChangeFeed } from '../core/change-feed';
import { CardTable } from './card-table';

/** A card as a check needs it. */
export interface CardEntry {
  flag: 0 | 1;
  lineIds: readonly string[];
}

interface ChangedRow {
  card_no: string;
  flag: number;
  line_ids: string[];
  removed: boolean;
  version: string;
}

const LOAD_BATCH = 50_000;
const POLL_MS = 2000;

/**
 * This replica's copy of the whitelist, for card_check and the heartbeat's versions: a CardTable
 * (typed arrays, out of the collector's way) from card number to a small integer (flag + an
 * index into the distinct line sets), so a million cards cost tens of MB and no GC work. The
 * database is the truth: the copy is loaded in the background at start (checks read the
 * database until it is ready), then brought forward by version (rows with version > what it
 * holds) whenever the change feed announces a whitelist change, and every 2 s in case an
 * announcement was missed.
 */
@Injectable()
export class WhitelistCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('whitelist-cache');
  private cards = new CardTable();
  private readonly lineSets: string[][] = [[]];
  private readonly lineSetIds = new Map<string, number>([['', 0]]);
  private readonly lineVersions = new Map<string, number>();
  /** Highest whitelist version seen in the database. */
  private current = 0;
  private lineMark = 0;
  /** Version (and card) up to which `cards` is current; undefined while loading. */
  private mapMark?: { version: number; cardNo: string | null };
  private refreshing?: Promise<void>;
  private again = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly db: DataSource, feed: ChangeFeed) {
    feed.on('whitelist', () => this.refreshSoon());
  }

  async onModuleInit(): Promise<void> {
    await this.refresh();
    void this.load();
    this.timer = setInterval(() => this.refreshSoon(), POLL_MS);
    this.timer.unref();
  }

  get version(): number {
    return this.current;
  }

  get loaded(): boolean {
    return this.mapMark !== undefined;
  }

  get size(): number {
    return this.cards.size;
  }

  lineVersion(lineId: string): number {
    return this.lineVersions.get(lineId) ?? 0;
  }

  /** The card's current state, from memory once loaded, from the database until then. */
  async lookup(cardNo: string): Promise<CardEntry | undefined> {
    if (this.mapMark) {
      const packed = this.cards.get(cardNo);
      return packed === undefined ? undefined : { flag: (packed & 1) as 0 | 1, lineIds: this.lineSets[packed >>> 1] };
    }
    const [row] = await this.db.query(`SELECT flag, line_ids FROM whitelist_card WHERE card_no = $1 AND NOT removed`, [cardNo]);
    return row ? { flag: row.flag, lineIds: row.line_ids } : undefined;
  }

  /** Brings the copy forward (coalesced: one refresh at a time, one more if asked meanwhile). */
  refreshSoon(): void {
    if (this.stopped) return;
    if (this.refreshing) {
      this.again = true;
      return;
    }
    void this.refresh().catch((error) => this.logger.warn(`refresh failed: ${(error as Error).message}`));
  }

  async refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        await this.refreshOnce();
      } while (this.again && !this.stopped);
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refreshOnce(): Promise<void> {
    if (this.mapMark) {
      // The version is announced (heartbeats) only once every row up to it is in the map.
      let reached = this.current;
      for (;;) {
        const { version, cardNo } = this.mapMark;
        const rows: ChangedRow[] = await this.db.query(
          `SELECT card_no, flag, line_ids, removed, version FROM whitelist_card
            WHERE ${cardNo === null ? 'version > $1' : '(version, card_no) > ($1, $2)'} ORDER BY version, card_no LIMIT ${LOAD_BATCH}`,
          cardNo === null ? [version] : [version, cardNo],
        );
        for (const r of rows) this.put(r);
        if (rows.length > 0) {
          const last = rows[rows.length - 1];
          this.mapMark = { version: Number(last.version), cardNo: last.card_no };
          reached = Math.max(reached, this.mapMark.version);
        }
        if (rows.length < LOAD_BATCH) break;
      }
      this.current = reached;
    } else {
      const [{ v }] = await this.db.query(`SELECT coalesce(max(version), 0) AS v FROM whitelist_card`);
      this.current = Math.max(this.current, Number(v));
    }
    const lines: Array<{ line_id: string; version: string }> = await this.db.query(`SELECT line_id, version FROM line_version WHERE version > $1`, [this.lineMark]);
    for (const l of lines) {
      const v = Number(l.version);
      this.lineVersions.set(l.line_id, v);
      this.lineMark = Math.max(this.lineMark, v);
    }
  }

  private put(r: ChangedRow): void {
    if (r.removed) {
      this.cards.delete(r.card_no);
      return;
    }
    this.cards.set(r.card_no, (this.lineSetId(r.line_ids) << 1) | (r.flag ? 1 : 0));
  }

  private lineSetId(lineIds: string[]): number {
    if (lineIds.length === 0) return 0;
    const key = [...lineIds].sort().join('\u0000');
    let id = this.lineSetIds.get(key);
    if (id === undefined) {
      id = this.lineSets.length;
      this.lineSets.push([...lineIds].sort());
      this.lineSetIds.set(key, id);
    }
    return id;
  }

  /**
   * Loads every card by key ranges, then catches up from the version it started at: rows that
   * changed while it loaded are read again in their latest state.
   */
  private async load(): Promise<void> {
    const started = Date.now();
    try {
      const [{ v }] = await this.db.query(`SELECT coalesce(max(version), 0) AS v FROM whitelist_card`);
      const startVersion = Number(v);
      const cards = new CardTable(LOAD_BATCH);
      let after = '';
      for (;;) {
        if (this.stopped) return;
        const rows: Array<{ card_no: string; flag: number; line_ids: string[] }> = await this.db.query(
          `SELECT card_no, flag, line_ids FROM whitelist_card WHERE NOT removed AND card_no > $1 ORDER BY card_no LIMIT ${LOAD_BATCH}`,
          [after],
        );
        for (const r of rows) cards.set(r.card_no, (this.lineSetId(r.line_ids) << 1) | (r.flag ? 1 : 0));
        if (rows.length < LOAD_BATCH) break;
        after = rows[rows.length - 1].card_no;
      }
      // Wait for a running pre-load refresh, then switch to the map and catch up.
      await this.refreshing?.catch(() => undefined);
      this.cards = cards;
      this.mapMark = { version: startVersion, cardNo: null };
      await this.refresh();
      this.logger.log(`whitelist loaded: ${cards.size} cards at version ${this.current} in ${Date.now() - started} ms`);
    } catch (error) {
      if (this.stopped) return;
      this.logger.warn(`whitelist load failed (${(error as Error).message}); retrying in 5 s, checks read the database meanwhile`);
      setTimeout(() => void this.load(), 5000).unref();
    }
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }
}
