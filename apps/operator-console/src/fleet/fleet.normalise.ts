import { AttendanceTerminal, FleetDevice, Kiosk, TransitDevice } from './fleet-device';

/** A bus validator (transit-validation `GET /admin/devices`). */
export function validatorDevice(d: TransitDevice): FleetDevice {
  return {
    app: 'transit-validation',
    kind: 'validator',
    id: d.device_id,
    name: null,
    group: d.line_id,
    online: d.online === true,
    status: d.disabled ? 'disabled' : 'enabled',
    lastSeen: d.last_seen_time ?? null,
    lng: finite(d.lng),
    lat: finite(d.lat),
    versions: { software: d.software_ver ?? null, whitelistAll: d.version_code_all ?? null, whitelistAdd: d.version_code_add ?? null, lineWhitelist: d.line_version_code_all ?? null },
    stock: null,
  };
}

/** A card-printing kiosk (card-issuance `GET /admin/machines`). */
export function kioskDevice(k: Kiosk): FleetDevice {
  return {
    app: 'card-issuance',
    kind: 'kiosk',
    id: k.machineNo,
    name: k.address ?? null,
    group: k.projectId,
    online: k.online === true,
    status: k.status === 2 ? 'disabled' : 'enabled',
    lastSeen: k.lastSeenAt ?? null,
    lng: null,
    lat: null,
    versions: null,
    stock: { levels: k.stock, low: k.lowStock, reportedAt: k.stockReportedAt ?? null },
  };
}

const TERMINAL_STATES: Record<number, string> = { 1: 'unbound', 2: 'bound', 3: 'deleted' };

/** An attendance terminal (wage-attendance `GET /admin/devices`). */
export function terminalDevice(t: AttendanceTerminal): FleetDevice {
  return {
    app: 'wage-attendance',
    kind: 'terminal',
    id: t.deviceKey,
    name: t.name ?? null,
    group: t.tag || null,
    online: t.onlineState === 1,
    status: TERMINAL_STATES[t.state] ?? `state ${t.state}`,
    lastSeen: t.lastActiveTime ?? null,
    lng: null,
    lat: null,
    versions: { software: t.versionNo ?? null },
    stock: null,
  };
}

/** A coordinate the map can plot: a finite number, else null (never sent, or not a number). */
function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
