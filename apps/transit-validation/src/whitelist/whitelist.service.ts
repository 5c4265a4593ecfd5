import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Events } from '@onecard/contracts';
import { AppError, ErrorKind } from '@onecard/kernel';
import { Outbox } from '@onecard/messaging';
import { ChangeFeed } from '../core/change-feed';
import { WhitelistErrorCode } from './whitelist-errors';

/** One card's new state; fields left out keep their current value (new cards: valid, no lines). */
export interface CardChange {
  cardNo: string;
  flag?: 0 | 1;
  lineIds?: string[];
  /** Take the card off the list (a tombstone incremental lists report with flag 0). */
  remove?: boolean;
  /** Campus card account number, when the source knows it (kept for operators). */
  accountNo?: string;
}

export interface ChangeResult {
  /** The version the changes took; 0 when nothing changed. */
  version: number;
  changed: number;
}

/** Physical card ids as the whitelist keeps them: no spaces, upper case, 1–32 letters/digits. */
export function normaliseCardNo(raw: string): string | undefined {
  const v = raw.replace(/\s+/g, '').toUpperCase();
  return /^[0-9A-Z]{1,32}$/.test(v) ? v : undefined;
}

/**
 * Every write to the whitelist. A change set is applied in the caller's transaction under a
 * transaction-scoped advisory lock, takes ONE new version from `whitelist_version_seq` for all
 * the cards it really changes, bumps the version of every line it touches, records
 * `whitelist.changed` in the outbox and announces itself to every replica's cache. A no-op
 * marks no card and announces nothing; the number it drew is skipped (versions increase but
 * are not contiguous).
 *
 * The lock makes versions commit in order: a reader that sees version v has seen everything
 * below v, so "changes since v" never misses a change that committed late.
 */
@Injectable()
export class WhitelistService {
  constructor(
    private readonly db: DataSource,
    private readonly outbox: Outbox,
    private readonly feed: ChangeFeed,
  ) {}

  /** In a new transaction. */
  applyNow(changes: CardChange[], source: string): Promise<ChangeResult> {
    return this.db.transaction((manager) => this.apply(manager, changes, source));
  }

  /**
   * In the caller's transaction. `changedAt` is when the change happened at its source: a
   * change older than the card's last one (an event delivered late) is ignored.
   */
  async apply(manager: EntityManager, changes: CardChange[], source: string, changedAt = new Date()): Promise<ChangeResult> {
    // The last change to a card in one set wins.
    const byCard = new Map<string, CardChange>();
    for (const c of changes) byCard.set(c.cardNo, c);
    if (byCard.size === 0) return { version: 0, changed: 0 };
    const input = [...byCard.values()].map((c) => ({
      card_no: c.cardNo,
      flag: c.flag ?? null,
      line_ids: c.lineIds ?? null,
      remove: c.remove ?? false,
      account_no: c.accountNo ?? null,
    }));

    const version = await this.takeVersion(manager);
    const [row] = await manager.query(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS i(card_no text, flag smallint, line_ids text[], remove boolean, account_no text)
       ), prev AS (
         SELECT w.card_no, w.flag, w.line_ids, w.removed, w.changed_at FROM whitelist_card w JOIN input i ON i.card_no = w.card_no FOR UPDATE OF w
       ), next AS (
         SELECT i.card_no,
                coalesce(i.flag, CASE WHEN p.removed THEN NULL ELSE p.flag END, 1)::smallint AS flag,
                coalesce(i.line_ids, CASE WHEN p.removed THEN NULL ELSE p.line_ids END, '{}'::text[]) AS line_ids,
                i.remove AS removed, i.account_no, p.card_no IS NOT NULL AS existed, p.flag AS p_flag, p.line_ids AS p_lines, p.removed AS p_removed
           FROM input i LEFT JOIN prev p ON p.card_no = i.card_no
          WHERE (p.card_no IS NOT NULL OR NOT i.remove)
            AND (p.card_no IS NULL OR p.changed_at <= $4)
       ), changed AS (
         SELECT * FROM next
          WHERE NOT existed
             OR removed IS DISTINCT FROM p_removed
             OR (NOT removed AND (flag IS DISTINCT FROM p_flag OR line_ids IS DISTINCT FROM p_lines))
       ), up AS (
         INSERT INTO whitelist_card (card_no, flag, line_ids, removed, version, account_no, source, changed_at)
         SELECT card_no, flag, line_ids, removed, $2, account_no, $3, $4 FROM changed
         ON CONFLICT (card_no) DO UPDATE SET flag = EXCLUDED.flag, line_ids = EXCLUDED.line_ids, removed = EXCLUDED.removed,
           version = EXCLUDED.version, account_no = coalesce(EXCLUDED.account_no, whitelist_card.account_no),
           source = EXCLUDED.source, changed_at = EXCLUDED.changed_at
         RETURNING card_no
       )
       SELECT (SELECT count(*) FROM up)::int AS changed,
              ARRAY(SELECT DISTINCT l FROM changed c, unnest(c.line_ids || coalesce(c.p_lines, '{}'::text[])) AS l) AS lines`,
      [JSON.stringify(input), version, source, changedAt],
    );
    const changed = Number(row.changed);
    if (changed === 0) return { version: 0, changed: 0 };
    await this.recordChange(manager, version, changed, row.lines ?? []);
    return { version, changed };
  }

  /**
   * What every change set does once its cards are written under `version`: the lines it touched
   * (old and new lines of the changed cards) take that version, `whitelist.changed` goes to the
   * outbox and every replica's cache is told, all on commit of `manager`'s transaction.
   */
  async recordChange(manager: EntityManager, version: number, changed: number, lines: string[]): Promise<void> {
    if (lines.length > 0) {
      await manager.query(
        `INSERT INTO line_version (line_id, version) SELECT unnest($1::text[]), $2
         ON CONFLICT (line_id) DO UPDATE SET version = EXCLUDED.version`,
        [lines, version],
      );
    }
    await this.outbox.add(manager, Events.WhitelistChanged, { version, changedCards: changed });
    await this.feed.notify(manager, 'whitelist', String(version));
  }

  /**
   * A new version of one line's list with no card changed. Lines touched by one change share a
   * version, so a device moved onto another line could already hold the number that line has;
   * a fresh one makes its next heartbeat's line_version_code_all differ, and it reloads.
   */
  async reversionLine(manager: EntityManager, lineId: string): Promise<number> {
    const version = await this.takeVersion(manager);
    await manager.query(
      `INSERT INTO line_version (line_id, version) VALUES ($1, $2) ON CONFLICT (line_id) DO UPDATE SET version = EXCLUDED.version`,
      [lineId, version],
    );
    await this.feed.notify(manager, 'whitelist', String(version));
    return version;
  }

  /**
   * The next version, for a change set about to be written in `manager`'s transaction. Versions
   * are taken one transaction at a time (every whitelist write holds this lock until it commits),
   * so they commit in the order they are taken.
   */
  async takeVersion(manager: EntityManager): Promise<number> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.whitelist_version'))`);
    const [{ v }] = await manager.query(`SELECT nextval('whitelist_version_seq')::bigint AS v`);
    return Number(v);
  }

  /** Takes a card off the list (admin); unknown cards are an error. */
  async remove(cardNo: string): Promise<ChangeResult> {
    return this.db.transaction(async (manager) => {
      const found = await manager.query(`SELECT 1 FROM whitelist_card WHERE card_no = $1 AND NOT removed`, [cardNo]);
      if (found.length === 0) throw new AppError(ErrorKind.NOT_FOUND, WhitelistErrorCode.CARD_NOT_FOUND, `card_no: ${cardNo} is not on the whitelist`, 'card_no');
      return this.apply(manager, [{ cardNo, remove: true }], 'admin');
    });
  }

  /** The fresh state of one card (rpc and admin). */
  async entry(cardNo: string): Promise<{ found: boolean; flag?: 0 | 1; lineIds?: string[]; version: number }> {
    const [row] = await this.db.query(
      `SELECT w.flag, w.line_ids, w.removed, w.version, (SELECT coalesce(max(version), 0) FROM whitelist_card) AS current
         FROM (SELECT 1) one LEFT JOIN whitelist_card w ON w.card_no = $1`,
      [cardNo],
    );
    if (row.flag === null || row.removed) return { found: false, version: Number(row.current) };
    return { found: true, flag: row.flag as 0 | 1, lineIds: row.line_ids, version: Number(row.version) };
  }
}
