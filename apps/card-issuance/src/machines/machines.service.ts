import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Events, STOCK_ITEMS, StockItem } from '@onecard/contracts';
import { AppError, ErrorKind } from '@onecard/kernel';
import { Outbox } from '@onecard/messaging';
import { adminPage, AdminPage } from '@onecard/platform';
import { CardKeyring } from '../card-keys/card-keyring';
import { isUniqueViolation, wireTime } from '../common/wire-format';
import { CardIssuanceConfig } from '../config';
import { MachineCredentials } from '../kiosk-auth/machine-credentials';
import { MachineSecrets } from '../kiosk-auth/machine-secrets';
import { CreateMachineDto, UpdateMachineDto } from './dto/machine-admin.dto';
import { SaveMachineDto } from './dto/save-machine.dto';
import { MachineErrorCode } from './machine.errors';
import { machineStatus } from './machine-status-events';
import { stockLevel } from './stock-level';
import { judgeStock } from './stock-rule';

/** Stock item → its columns: numeric level, text as reported, alarm threshold, alarm raised. */
const COLUMNS: Record<StockItem, { count: string; reported: string; threshold: string; low: string }> = {
  cardCount: { count: 'card_count', reported: 'card_count_reported', threshold: 'card_count_threshold', low: 'card_count_low' },
  inkCount: { count: 'ink_count', reported: 'ink_count_reported', threshold: 'ink_count_threshold', low: 'ink_count_low' },
  cardRopeCover: { count: 'card_rope_cover', reported: 'card_rope_cover_reported', threshold: 'card_rope_cover_threshold', low: 'card_rope_cover_low' },
};

/** A signed call within KIOSK_OFFLINE_AFTER_S ($1); never heard from is offline. */
const ONLINE = `coalesce(last_seen_at > now() - make_interval(secs => $1), false)`;

/** `GET /admin/machines` filters and page. */
export interface MachineFilter {
  projectId?: string;
  status?: number;
  online?: boolean;
  lowStock?: boolean;
  limit: number;
  offset: number;
}

type MachineRow = Record<string, unknown> & { machine_no: string; project_id: string; address: string; status: number };

@Injectable()
export class MachinesService {
  constructor(
    private readonly db: DataSource,
    private readonly secrets: MachineSecrets,
    private readonly credentials: MachineCredentials,
    private readonly keyring: CardKeyring,
    private readonly outbox: Outbox,
    private readonly config: CardIssuanceConfig,
  ) {}

  async create(dto: CreateMachineDto): Promise<{ machineNo: string; secret: string }> {
    this.keyring.assertProject(dto.projectId);
    const { secret, sealed } = this.secrets.issue();
    const t = this.config.DEFAULT_STOCK_THRESHOLD;
    try {
      await this.db.query(
        `INSERT INTO machine (machine_no, project_id, address, secret_sealed, card_count_threshold, ink_count_threshold, card_rope_cover_threshold)
         VALUES ($1, $2, $3, $4, $5, $5, $5)`,
        [dto.machineNo, dto.projectId, dto.address, sealed, t],
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError(ErrorKind.CONFLICT, MachineErrorCode.MACHINE_EXISTS, `machineNo: machine ${dto.machineNo} already exists`, 'machineNo');
      throw error;
    }
    this.credentials.forget(dto.machineNo);
    return { machineNo: dto.machineNo, secret };
  }

  async rotateSecret(machineNo: string): Promise<{ machineNo: string; secret: string }> {
    const { secret, sealed } = this.secrets.issue();
    const rows = await this.db.query(`UPDATE machine SET secret_sealed = $2, updated_at = now() WHERE machine_no = $1 RETURNING 1`, [machineNo, sealed]);
    if (rows[1] === 0) throw this.notFound(machineNo);
    this.credentials.forget(machineNo);
    return { machineNo, secret };
  }

  async update(machineNo: string, dto: UpdateMachineDto): Promise<object> {
    const sets: string[] = [];
    const params: unknown[] = [machineNo];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (dto.status !== undefined) set('status', dto.status);
    if (dto.address !== undefined) set('address', dto.address);
    for (const item of STOCK_ITEMS) {
      const value = dto.lowStockThresholds?.[item];
      if (value !== undefined) set(COLUMNS[item].threshold, value);
    }
    if (sets.length > 0) {
      await this.db.transaction(async (manager) => {
        // Locked, so of two operators changing the status at once one publishes the change.
        const [before] = await manager.query(`SELECT status FROM machine WHERE machine_no = $1 FOR UPDATE`, [machineNo]);
        if (!before) throw this.notFound(machineNo);
        const [[after]] = await manager.query(`UPDATE machine SET ${sets.join(', ')}, updated_at = now() WHERE machine_no = $1 RETURNING machine_no, project_id, status, updated_at`, params);
        if (Number(after.status) !== Number(before.status)) {
          await this.outbox.add(manager, Events.MachineStatusChanged, machineStatus(after, Number(after.status) === 1 ? 'enabled' : 'disabled', after.updated_at));
        }
      });
      this.credentials.forget(machineNo);
    }
    return this.get(machineNo);
  }

  async get(machineNo: string): Promise<object> {
    const [row] = await this.db.query(`SELECT *, (${ONLINE}) AS online FROM machine WHERE machine_no = $2`, [this.config.KIOSK_OFFLINE_AFTER_S, machineNo]);
    if (!row) throw this.notFound(machineNo);
    return this.adminView(row);
  }

  /**
   * Machine no order; `total` counts all that match. `online`: a signed call within
   * KIOSK_OFFLINE_AFTER_S; `lowStock`: any consumable below its threshold.
   */
  async list(filter: MachineFilter): Promise<AdminPage<object>> {
    const params: unknown[] = [this.config.KIOSK_OFFLINE_AFTER_S];
    const where: string[] = [];
    const add = (sql: string, value: unknown) => where.push(sql.replace('?', `$${params.push(value)}`));
    if (filter.projectId) add('project_id = ?', filter.projectId);
    if (filter.status !== undefined) add('status = ?', filter.status);
    if (filter.online !== undefined) add(`(${ONLINE}) = ?`, filter.online);
    if (filter.lowStock !== undefined) add('(card_count_low OR ink_count_low OR card_rope_cover_low) = ?', filter.lowStock);
    const filters = ['$1::int IS NOT NULL', ...where].join(' AND ');
    const rows = await this.db.query(
      `SELECT *, (${ONLINE}) AS online, count(*) OVER () AS total FROM machine WHERE ${filters}
        ORDER BY machine_no LIMIT $${params.push(filter.limit)} OFFSET $${params.push(filter.offset)}`,
      params,
    );
    let total = rows.length > 0 ? Number(rows[0].total) : 0;
    if (rows.length === 0 && filter.offset > 0) {
      // A page past the end still says how many there are.
      [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM machine WHERE ${filters}`, params.slice(0, -2));
    }
    return adminPage(filter, total, rows.map((r: MachineRow) => this.adminView(r)));
  }

  /** machineDetail, as the document lists it: the consumables as strings, as the kiosk last reported them. */
  async detail(machineNo: string): Promise<object> {
    const [row] = await this.db.query(
      `SELECT machine_no, project_id, address, card_count_reported, ink_count_reported, card_rope_cover_reported, status FROM machine WHERE machine_no = $1`,
      [machineNo],
    );
    if (!row) throw this.notFound(machineNo);
    return {
      machineNo: row.machine_no,
      projectId: row.project_id,
      address: row.address,
      cardCount: row.card_count_reported,
      inkCount: row.ink_count_reported,
      cardRopeCover: row.card_rope_cover_reported,
      status: Number(row.status),
    };
  }

  /**
   * saveMachine: records each consumable as reported and its numeric level (the DTO has checked
   * that it has one); an item whose level is newly below its threshold emits machine.stock-low.
   */
  async saveStock(dto: SaveMachineDto): Promise<void> {
    await this.db.transaction(async (manager) => {
      const [row] = await manager.query(`SELECT * FROM machine WHERE machine_no = $1 FOR UPDATE`, [dto.machineNo]);
      if (!row) throw this.notFound(dto.machineNo);
      const verdicts = judgeStock(
        STOCK_ITEMS.map((item) => ({ item, remaining: stockLevel(dto[item])!, threshold: Number(row[COLUMNS[item].threshold]), wasLow: Boolean(row[COLUMNS[item].low]) })),
      );
      const params: unknown[] = [dto.machineNo];
      const set = (column: string, value: unknown) => `${column} = $${params.push(value)}`;
      const sets = verdicts.flatMap((v) => [set(COLUMNS[v.item].count, v.remaining), set(COLUMNS[v.item].reported, dto[v.item]), set(COLUMNS[v.item].low, v.low)]);
      await manager.query(`UPDATE machine SET ${sets.join(', ')}, stock_reported_at = now(), updated_at = now() WHERE machine_no = $1`, params);
      for (const v of verdicts.filter((x) => x.emit)) {
        // The event's remaining is a whole number (its contract); with whole thresholds, the
        // whole part of a level is below the threshold exactly when the level is.
        const remaining = Math.floor(v.remaining);
        await this.outbox.add(manager, Events.MachineStockLow, { machineNo: dto.machineNo, projectId: row.project_id, item: v.item, remaining, threshold: v.threshold });
      }
    });
  }

  private adminView(row: MachineRow): object {
    const zone = this.config.WIRE_TIME_ZONE;
    const per = (pick: (c: (typeof COLUMNS)[StockItem]) => string, as: (v: unknown) => unknown) =>
      Object.fromEntries(STOCK_ITEMS.map((item) => [item, as(row[pick(COLUMNS[item])])]));
    return {
      machineNo: row.machine_no,
      projectId: row.project_id,
      address: row.address,
      status: Number(row.status),
      stock: per((c) => c.count, Number),
      stockReported: per((c) => c.reported, String),
      lowStockThresholds: per((c) => c.threshold, Number),
      lowStock: per((c) => c.low, Boolean),
      stockReportedAt: wireTime(row.stock_reported_at as Date | null, zone),
      online: row.online === true,
      lastSeenAt: wireTime(row.last_seen_at as Date | null, zone),
      createdAt: wireTime(row.created_at as Date, zone),
      updatedAt: wireTime(row.updated_at as Date, zone),
    };
  }

  private notFound(machineNo: string): AppError {
    return new AppError(ErrorKind.NOT_FOUND, MachineErrorCode.MACHINE_NOT_FOUND, `machineNo: no machine ${machineNo}`, 'machineNo');
  }
}
