import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Events } from '@onecard/contracts';
import { isResidentIdNumber, MetricsRegistry } from '@onecard/kernel';
import { Outbox, outboxInsertFrom, OutboxRelay } from '@onecard/messaging';
import { BacklogSources, GroupCommit } from '@onecard/platform';
import { parsePassTimes, PassWindow } from '../authorisations/pass-times';
import { identifyForm } from '../callbacks/callback-forms';
import { CallbackQueue } from '../callbacks/callback-queue';
import { WageAttendanceConfig } from '../config';
import { Entitlement, judge, Judgement, readsCard } from './judgement';
import { secondOfDayIn } from './time-of-day';

/** A validated recognition record, as stored. */
export interface RecognitionRecord {
  guid: string;
  deviceKey: string;
  personGuid: string;
  photoUrl: string;
  showTimeMs: number;
  type: number;
  recMode: number;
  cardNo: string;
  /** cardNo as card_block keys it ('' when none). */
  cardKey: string;
  recType: number;
  personName: string;
  deviceType: string;
  idCardInfo: Record<string, unknown> | null;
}

export type StoredJudgement = Omit<Judgement, 'pass'> & { pass: boolean };

export type RecordOutcome = { ok: true; duplicate: boolean; judgement: StoredJudgement } | { ok: false; takenBy: string };

/**
 * One statement stores the group, and is its whole transaction: the records (a repeat of a stored
 * one is skipped), the identify callback of each record stored now (each form built beforehand,
 * in upload order) with its device's lane, their person.identified events (the outbox, in upload
 * order), and answers which records were stored now.
 */
const STORE_GROUP = `
  WITH input AS (
    SELECT * FROM json_to_recordset($1::json) AS t(n int, guid text, "showTimeMs" float8, "deviceKey" text, "personGuid" text, "photoUrl" text,
      type smallint, "recMode" smallint, "cardNo" text, "recType" smallint, "personName" text, "deviceType" text, "passTimeType" smallint,
      "permissionTimeType" smallint, "recModeType" text, "cardBlocked" boolean, "idCardInfo" jsonb, form json, event json)
  ), stored AS (
    INSERT INTO recognition (guid, show_time, device_key, person_guid, photo_url, type, rec_mode, card_no, rec_type, person_name, device_type,
                             pass_time_type, permission_time_type, rec_mode_type, card_blocked, id_card_info)
    SELECT guid, to_timestamp("showTimeMs" / 1000.0), "deviceKey", "personGuid", "photoUrl", type, "recMode", "cardNo", "recType", "personName",
           "deviceType", "passTimeType", "permissionTimeType", "recModeType", "cardBlocked", "idCardInfo"
      FROM input ORDER BY n
    ON CONFLICT DO NOTHING
    RETURNING guid, show_time
  ), fresh AS (
    -- A record twice in one group is stored once: its first upload.
    SELECT DISTINCT ON (i.guid, i."showTimeMs") i.* FROM input i JOIN stored s ON s.guid = i.guid AND s.show_time = to_timestamp(i."showTimeMs" / 1000.0)
     ORDER BY i.guid, i."showTimeMs", i.n
  ), called AS (
    INSERT INTO callback (device_key, kind, form) SELECT "deviceKey", 'identify', form FROM fresh ORDER BY n RETURNING device_key
  ), lanes AS (
    INSERT INTO callback_lane (device_key) SELECT DISTINCT device_key FROM called ON CONFLICT DO NOTHING
  ), published AS (
    ${outboxInsertFrom('(SELECT n, event AS message FROM fresh) f', '$2')}
  )
  SELECT n FROM fresh`;

/** The uploaders' authorisations (action add, person not deleted) for the persons recognised, and which of the cards read are blocked. */
const ENTITLEMENTS_AND_BLOCKS = `
  SELECT 'entitlement' AS what, a.device_key, a.person_guid, a.permission, a.pass_times, a.valid_from, a.valid_until
    FROM json_to_recordset($1::json) AS t(d text, p text)
    JOIN authorisation a ON a.device_key = t.d AND a.person_guid = t.p AND a.action = 'add'
    JOIN person p ON p.guid = a.person_guid AND p.deleted_at IS NULL
  UNION ALL
  SELECT 'blocked', card_key, NULL, NULL, NULL, NULL, NULL FROM card_block WHERE blocked AND card_key = ANY($2::text[])`;

const STORED = `
  SELECT r.guid, (extract(epoch FROM r.show_time) * 1000)::float8 AS "showTimeMs", r.device_key, r.type, r.pass_time_type, r.permission_time_type,
         r.rec_mode_type, r.card_blocked
    FROM recognition r JOIN json_to_recordset($1::json) AS t(guid text, "showTimeMs" float8)
      ON r.guid = t.guid AND r.show_time = to_timestamp(t."showTimeMs" / 1000.0)`;

type Query = (sql: string, params: unknown[]) => Promise<any[]>;

const keyOf = (guid: string, ms: number) => `${guid}\u0000${Math.round(ms)}`;

/**
 * Stores recognition records in groups (GroupCommit: each upload answered once durable). Per
 * group: one query reads the uploaders' authorisations and the blocked cards, each record is
 * judged, and one statement (its own transaction) stores the records with their identify
 * callbacks and their person.identified events (the outbox): two round trips and one commit per
 * group, however large (each round trip costs the request thread a system call or two). A record already stored (same guid and time)
 * is not stored, called back or published again; its first judgement is answered.
 */
@Injectable()
export class RecognitionRecorder {
  private readonly writer: GroupCommit<RecognitionRecord, RecordOutcome>;
  private readonly windows = new Map<string, PassWindow[]>();

  constructor(
    private readonly db: DataSource,
    private readonly callbacks: CallbackQueue,
    private readonly outbox: Outbox,
    private readonly relay: OutboxRelay,
    private readonly config: WageAttendanceConfig,
    metrics: MetricsRegistry,
    backlog: BacklogSources,
  ) {
    this.writer = new GroupCommit({
      name: 'recognition records',
      maxBatch: config.IDENTIFY_MAX_BATCH,
      maxPending: config.IDENTIFY_MAX_PENDING,
      writers: config.IDENTIFY_WRITERS,
      write: (records) => this.write(records),
    });
    const writer = this.writer;
    metrics.gauge('wage_identify_pending', 'Recognition records waiting for their group to be written', function () {
      this.set(writer.pending);
    });
    backlog.register('identify_records', () => ({ pending: writer.pending, oldestAt: writer.oldestQueuedAt === undefined ? null : new Date(writer.oldestQueuedAt) }), { scope: 'replica' });
  }

  record(record: RecognitionRecord): Promise<RecordOutcome> {
    return this.writer.submit(record);
  }

  private async write(records: RecognitionRecord[]): Promise<RecordOutcome[]> {
    const query = (sql: string, params: unknown[]) => this.db.query(sql, params);
    // Reads committed data as a statement of the store's transaction would (READ COMMITTED).
    const { entitlements, blocked } = await this.lookups(query, records);
    const zone = this.config.WIRE_TIME_ZONE;
    const judged = records.map((r) => {
      const at = new Date(r.showTimeMs);
      const j = judge({ type: r.type, recMode: r.recMode, at, secondOfDay: secondOfDayIn(at, zone), entitlement: entitlements.get(`${r.deviceKey}\u0000${r.personGuid}`), cardBlocked: blocked.has(r.cardKey) });
      return { ...r, ...j };
    });
    const events = this.outbox.messages(
      Events.PersonIdentified,
      judged.map((r) => ({
        guid: r.guid,
        deviceKey: r.deviceKey,
        personGuid: r.personGuid,
        // No ID numbers on the bus: a card number that is one is left out.
        ...(r.cardNo && !isResidentIdNumber(r.cardNo) ? { cardNo: r.cardNo } : {}),
        recMode: r.recMode as 1 | 2 | 3 | 4,
        type: r.type as 1 | 2,
        showTime: r.showTimeMs,
      })),
    );
    const rows = judged.map((r, n) => ({ ...r, n, form: identifyForm(r, zone), event: events[n] }));
    const fresh = new Set((await query(STORE_GROUP, [JSON.stringify(rows), Events.PersonIdentified])).map((row: { n: number }) => row.n));
    if (fresh.size > 0) {
      this.callbacks.committed();
      this.relay.wake();
    }
    const repeats = judged.filter((_, n) => !fresh.has(n));
    const stored = repeats.length > 0 ? await this.stored(query, repeats) : new Map<string, StoredRow>();
    return judged.map((r, n): RecordOutcome => {
      if (fresh.has(n)) return { ok: true, duplicate: false, judgement: pick(r) };
      const row = stored.get(keyOf(r.guid, r.showTimeMs));
      if (!row || row.device_key !== r.deviceKey) return { ok: false, takenBy: row?.device_key ?? 'another record' };
      const j = { type: Number(row.type) as 1 | 2, passTimeType: Number(row.pass_time_type) as 1 | 2 | 3, permissionTimeType: Number(row.permission_time_type) as 1 | 2 | 3, recModeType: row.rec_mode_type as '1' | '2', cardBlocked: row.card_blocked };
      return { ok: true, duplicate: true, judgement: { ...j, pass: j.type === 1 && j.recModeType === '1' && j.passTimeType !== 2 && j.permissionTimeType !== 2 } };
    });
  }

  /** One query: authorisations of the uploaders for the persons recognised, and the blocked cards among those read. */
  private async lookups(query: Query, records: RecognitionRecord[]): Promise<{ entitlements: Map<string, Entitlement>; blocked: Set<string> }> {
    const pairs = [...new Map(records.map((r) => [`${r.deviceKey}\u0000${r.personGuid}`, { d: r.deviceKey, p: r.personGuid }])).values()];
    const cards = [...new Set(records.filter((r) => r.cardKey !== '' && readsCard(r.recMode)).map((r) => r.cardKey))];
    const rows: Array<{ what: string; device_key: string; person_guid: string; permission: number; pass_times: string; valid_from: Date | null; valid_until: Date | null }> =
      await query(ENTITLEMENTS_AND_BLOCKS, [JSON.stringify(pairs), cards]);
    const entitlements = new Map<string, Entitlement>();
    const blocked = new Set<string>();
    for (const r of rows) {
      if (r.what === 'blocked') blocked.add(r.device_key);
      else {
        entitlements.set(`${r.device_key}\u0000${r.person_guid}`, {
          permission: Number(r.permission),
          windows: this.windowsOf(r.pass_times),
          validFrom: r.valid_from ? new Date(r.valid_from) : null,
          validUntil: r.valid_until ? new Date(r.valid_until) : null,
        });
      }
    }
    return { entitlements, blocked };
  }

  private async stored(query: Query, records: RecognitionRecord[]): Promise<Map<string, StoredRow>> {
    const rows = await query(STORED, [JSON.stringify(records.map((r) => ({ guid: r.guid, showTimeMs: r.showTimeMs })))]);
    return new Map(rows.map((r) => [keyOf(r.guid, r.showTimeMs), r]));
  }

  /** passTimes were checked when stored; parsed once per distinct text. */
  private windowsOf(passTimes: string): PassWindow[] {
    let windows = this.windows.get(passTimes);
    if (!windows) {
      const parsed = parsePassTimes(passTimes);
      windows = parsed.ok ? parsed.windows : [];
      if (this.windows.size > 10_000) this.windows.clear();
      this.windows.set(passTimes, windows);
    }
    return windows;
  }
}

interface StoredRow {
  guid: string;
  showTimeMs: number;
  device_key: string;
  type: number;
  pass_time_type: number;
  permission_time_type: number;
  rec_mode_type: string;
  card_blocked: boolean;
}

function pick(j: Judgement): StoredJudgement {
  return { type: j.type, passTimeType: j.passTimeType, permissionTimeType: j.permissionTimeType, recModeType: j.recModeType, cardBlocked: j.cardBlocked, pass: j.pass };
}
