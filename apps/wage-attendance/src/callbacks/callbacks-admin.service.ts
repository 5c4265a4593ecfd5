import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, ErrorKind, redact } from '@onecard/kernel';
import { AdminKeysetPage, BacklogSources, keysetPage, keysetWindow } from '@onecard/platform';
import { CALLBACK_PATHS, CallbackKind } from './callback-forms';
import { CallbackDispatcher } from './callback-dispatcher';
import { CallbackErrorCode } from './callback.errors';
import { CallbackListQuery } from './dto/callback-admin.dto';

interface CallbackRow {
  id: string;
  device_key: string;
  kind: CallbackKind;
  form: Record<string, string>;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/**
 * Operators' view of the callback queue, and replay of dead letters. On /admin/backlog:
 * `callbacks` (waiting to be delivered, with the devices they wait for) and `callback_dead_letters`.
 */
@Injectable()
export class CallbacksAdminService {
  constructor(
    private readonly db: DataSource,
    private readonly dispatcher: CallbackDispatcher,
    backlog: BacklogSources,
  ) {
    backlog.register('callbacks', async () => {
      const [row] = await db.query(`SELECT count(*)::int AS n, count(DISTINCT device_key)::int AS devices, min(created_at) AS oldest FROM callback WHERE status = 'pending'`);
      return { pending: row.n, oldestAt: row.oldest, detail: { devices: row.devices } };
    });
    backlog.register('callback_dead_letters', async () => {
      // A dead letter died at its last attempt.
      const [row] = await db.query(`SELECT count(*)::int AS n, min(last_attempt_at) AS oldest FROM callback WHERE status = 'dead'`);
      return { pending: row.n, oldestAt: row.oldest };
    });
  }

  /** Newest first, a keyset page by id. */
  async list(query: CallbackListQuery): Promise<AdminKeysetPage<object>> {
    const window = keysetWindow(query);
    const params: unknown[] = [];
    const where: string[] = [];
    // Only the filters given, so the partial indexes (callback_dead, callback_pending) apply.
    const add = (sql: string, value: unknown) => where.push(sql.replace('?', `$${params.push(value)}`));
    if (query.status) add('status = ?', query.status);
    if (query.deviceKey) add('device_key = ?', query.deviceKey);
    if (window.cursor) add('id < ?', window.cursor);
    const rows: CallbackRow[] = await this.db.query(
      `SELECT id::text, device_key, kind, form, status, attempts, last_error, created_at, last_attempt_at, delivered_at
         FROM callback ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY callback.id DESC LIMIT $${params.push(window.fetch)}`,
      params,
    );
    const page = keysetPage(window, rows, (r) => r.id);
    return { items: page.items.map((r) => this.view(r)), limit: page.limit, next: page.next };
  }

  /** A dead letter goes back to the head of its device's queue (the oldest pending goes first). */
  async replay(id: string): Promise<object> {
    const [row]: CallbackRow[] = await this.db.query(`SELECT id::text, status FROM callback WHERE id = $1`, [id]);
    if (!row) throw new AppError(ErrorKind.NOT_FOUND, CallbackErrorCode.CALLBACK_NOT_FOUND, `id: no callback ${id}`, 'id');
    if (row.status !== 'dead') throw new AppError(ErrorKind.CONFLICT, CallbackErrorCode.CALLBACK_NOT_DEAD, `id: callback ${id} is ${row.status}, not dead`, 'id');
    const replayed = await this.replayWhere(`id = $1`, [id]);
    return { replayed };
  }

  /** Every dead letter (of one device), in their original order. */
  async replayAll(deviceKey?: string): Promise<{ replayed: number }> {
    return { replayed: await this.replayWhere(deviceKey ? `device_key = $1` : 'true', deviceKey ? [deviceKey] : []) };
  }

  private async replayWhere(condition: string, params: unknown[]): Promise<number> {
    const rows: Array<{ device_key: string }> = await this.db.transaction(async (m) => {
      // An UPDATE answers [rows, count].
      const [changed]: [Array<{ device_key: string }>, number] = await m.query(
        `UPDATE callback SET status = 'pending', attempts = 0, last_error = NULL WHERE status = 'dead' AND ${condition} RETURNING device_key`,
        params,
      );
      const devices = [...new Set(changed.map((r) => r.device_key))];
      await m.query(`UPDATE callback_lane SET due_at = now() WHERE device_key = ANY($1::text[])`, [devices]);
      return changed;
    });
    this.dispatcher.wake();
    return rows.length;
  }

  private view(r: CallbackRow): object {
    // The identify form may carry an ID card's details: shown masked, as logs would show them.
    const form = { ...r.form } as Record<string, unknown>;
    if (typeof form.idCardInfo === 'string') {
      try {
        form.idCardInfo = redact(JSON.parse(form.idCardInfo));
      } catch {
        form.idCardInfo = '[unreadable]';
      }
    }
    return {
      id: r.id,
      deviceKey: r.device_key,
      kind: r.kind,
      path: CALLBACK_PATHS[r.kind],
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: iso(r.created_at),
      lastAttemptAt: iso(r.last_attempt_at),
      deliveredAt: iso(r.delivered_at),
      form,
    };
  }
}
