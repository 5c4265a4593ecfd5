import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Events } from '@onecard/contracts';
import { Outbox } from '@onecard/messaging';
import { WageAttendanceConfig } from '../config';
import { TerminalCredentials } from '../terminal-auth/terminal-credentials';
import { DeviceState } from './device.entity';
import { wentOfflineAt } from '@onecard/platform';
import { terminalStatus, TerminalStatus } from './device-events';

/**
 * A terminal already bound, online and heard from within the window: its call changes nothing an
 * integrator is told of. `$window` is TERMINAL_OFFLINE_AFTER_S. Callers UPDATE with this as the
 * condition (one statement, the usual case) and fall back to TerminalPresence.heard when no row matched.
 */
export const STEADY = (window: string) => `state = 2 AND online AND last_active_at >= now() - make_interval(secs => ${window})`;

interface Before {
  state: number;
  online: boolean;
  /** Online as published, but silent past the window: the sweep has not reported it yet. */
  lapsed: boolean;
  version_no: string | null;
  last_active_at: Date | null;
}

/**
 * A signed terminal call that is not the steady case: binds the device (state 1 → 2), brings it
 * back online, and publishes each transition through the outbox in the same transaction. The row
 * is locked first, so of concurrent calls (and the offline sweep) one sees the transition and
 * publishes it; the others find it done.
 */
@Injectable()
export class TerminalPresence {
  constructor(
    private readonly db: DataSource,
    private readonly outbox: Outbox,
    private readonly credentials: TerminalCredentials,
    private readonly config: WageAttendanceConfig,
  ) {}

  /** Records the call (and `versionNo` when given); false for an unknown device. */
  async heard(deviceKey: string, versionNo: string | null): Promise<boolean> {
    const window = this.config.TERMINAL_OFFLINE_AFTER_S;
    const found = await this.db.transaction(async (m) => {
      const [before]: Before[] = await m.query(
        `SELECT state, online, online AND last_active_at < now() - make_interval(secs => $2) AS lapsed, version_no, last_active_at
           FROM device WHERE device_key = $1 FOR UPDATE`,
        [deviceKey, window],
      );
      if (!before) return false;
      // A deleted terminal still let through by another replica's cache: noted, never online again.
      // now() is when this transaction began, before it waited for the row: a call that began
      // earlier but locked later must not move last_active_at back behind an `online` published.
      const [[after]]: [Array<{ device_key: string; state: number; version_no: string | null; last_active_at: Date }>, number] = await m.query(
        `UPDATE device SET last_active_at = greatest(last_active_at, now()), version_no = coalesce($2, version_no), state = CASE WHEN state = 1 THEN 2 ELSE state END, online = state <> 3
          WHERE device_key = $1 RETURNING device_key, state, version_no, last_active_at`,
        [deviceKey, versionNo],
      );
      await this.outbox.addMany(m, Events.TerminalStatusChanged, this.transitions(before, after, window));
      return true;
    });
    if (found) this.credentials.noteBound(deviceKey);
    return found;
  }

  private transitions(before: Before, after: { device_key: string; state: number; version_no: string | null; last_active_at: Date }, window: number): TerminalStatus[] {
    const state = Number(before.state);
    if (state === DeviceState.DISABLED) return [];
    // Bound by its first call, and online with it: one event says both.
    if (state === DeviceState.UNBOUND) return [terminalStatus(after, 'bound', 1, after.last_active_at)];
    const events: TerminalStatus[] = [];
    if (before.lapsed && before.last_active_at) {
      // It went offline before the sweep saw it: the offline the sweep would have published, first.
      events.push(terminalStatus({ ...after, version_no: before.version_no }, 'offline', 2, wentOfflineAt(before.last_active_at, window)));
    }
    if (!before.online || before.lapsed) events.push(terminalStatus(after, 'online', 1, after.last_active_at));
    return events;
  }
}
