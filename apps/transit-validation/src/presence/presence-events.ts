import { EventPayload, Events } from '@onecard/contracts';

export type ValidatorStatus = EventPayload<typeof Events.DeviceStatusChanged>;

/** What an online or offline event needs of a validator. */
export interface PresenceRow {
  device_id: string;
  enterprise_id: string;
  line_id: string;
  /** Position of the heartbeat the event is about; null when none was sent as a number (or unknown). */
  lng: number | null;
  lat: number | null;
}

/** The `online` or `offline` event of a validator, `at` when it happened. */
export function presenceEvent(row: PresenceRow, status: 'online' | 'offline', at: Date): ValidatorStatus {
  const event: ValidatorStatus = { deviceId: row.device_id, enterpriseId: row.enterprise_id, lineId: row.line_id, status, at: new Date(at).toISOString() };
  if (row.lng !== null && row.lat !== null) {
    event.lng = row.lng;
    event.lat = row.lat;
  }
  return event;
}
