import { AppName } from '@onecard/contracts';

/** What the apps' /admin device lists answer (docs/ADMIN-API.md, "Fleet"), as far as the console reads them. */
export interface TransitDevice {
  device_id: string;
  enterprise_id: string;
  line_id: string;
  disabled: boolean;
  online: boolean;
  last_seen_time: string | null;
  lng: number | null;
  lat: number | null;
  speed: number | null;
  course: number | null;
  software_ver: number | string | null;
  version_code_all: string | null;
  version_code_add: string | null;
  line_version_code_all: string | null;
}

export interface StockLevels {
  cardCount: number;
  inkCount: number;
  cardRopeCover: number;
}
export type StockFlags = Record<keyof StockLevels, boolean>;

export interface Kiosk {
  machineNo: string;
  projectId: string;
  address: string;
  status: 1 | 2;
  stock: StockLevels;
  stockReported: Record<keyof StockLevels, string>;
  lowStockThresholds: StockLevels;
  lowStock: StockFlags;
  stockReportedAt: string | null;
  online: boolean;
  lastSeenAt: string | null;
}

export interface AttendanceTerminal {
  deviceKey: string;
  tag: string | null;
  name: string | null;
  state: 1 | 2 | 3;
  onlineState: 1 | 2;
  versionNo: string | null;
  lastActiveTime: string | null;
}

/**
 * One device of the fleet, whichever app keeps it: validators, kiosks and attendance terminals
 * in one list. Fields a kind does not have are null. `lastSeen` is the app's wire time
 * (`yyyy-MM-dd HH:mm:ss`, the wire zone).
 */
export interface FleetDevice {
  app: AppName;
  kind: 'validator' | 'kiosk' | 'terminal';
  id: string;
  /** A kiosk's address, a terminal's name; null for validators (they have none). */
  name: string | null;
  /** What the device belongs to: a validator's line, a kiosk's project, a terminal's tag. */
  group: string | null;
  online: boolean;
  /** validator, kiosk: enabled | disabled; terminal: unbound | bound | deleted. */
  status: string;
  lastSeen: string | null;
  lng: number | null;
  lat: number | null;
  /** Software and data versions the device reported. */
  versions: Record<string, string | number | null> | null;
  /** A kiosk's consumables. */
  stock: { levels: StockLevels; low: StockFlags; reportedAt: string | null } | null;
}
