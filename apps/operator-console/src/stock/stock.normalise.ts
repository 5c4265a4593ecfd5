import { Kiosk, StockFlags, StockLevels } from '../fleet/fleet-device';

/** One kiosk's consumables, as the stock table shows them. */
export interface KioskStock {
  machineNo: string;
  projectId: string;
  address: string;
  online: boolean;
  status: 'enabled' | 'disabled';
  /** Numeric levels (what drives the alarm). */
  levels: StockLevels;
  /** What the kiosk sent, as text ('15%'). */
  reported: Record<keyof StockLevels, string>;
  thresholds: StockLevels;
  low: StockFlags;
  /** Any consumable below its threshold. */
  anyLow: boolean;
  reportedAt: string | null;
}

export function kioskStock(k: Kiosk): KioskStock {
  return {
    machineNo: k.machineNo,
    projectId: k.projectId,
    address: k.address,
    online: k.online === true,
    status: k.status === 2 ? 'disabled' : 'enabled',
    levels: k.stock,
    reported: k.stockReported,
    thresholds: k.lowStockThresholds,
    low: k.lowStock,
    anyLow: Object.values(k.lowStock ?? {}).some((flag) => flag === true),
    reportedAt: k.stockReportedAt ?? null,
  };
}
