import { EventPayload, Events, TerminalChange } from '@onecard/contracts';

export type TerminalStatus = EventPayload<typeof Events.TerminalStatusChanged>;

/** What a device.status-changed event needs of a device row (never its secret). */
export interface DeviceStatusRow {
  device_key: string;
  /** After the change. */
  state: number;
  version_no: string | null;
}

/** The event of one change; `onlineState` after it, `at` when it happened. */
export function terminalStatus(row: DeviceStatusRow, change: TerminalChange, onlineState: 1 | 2, at: Date): TerminalStatus {
  const status: TerminalStatus = { deviceKey: row.device_key, change, state: Number(row.state) as 1 | 2 | 3, onlineState, at: new Date(at).toISOString() };
  if (row.version_no !== null) status.versionNo = row.version_no;
  return status;
}
