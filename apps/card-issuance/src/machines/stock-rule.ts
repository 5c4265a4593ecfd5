import { STOCK_ITEMS, StockItem } from '@onecard/contracts';

export interface StockLevel {
  item: StockItem;
  remaining: number;
  threshold: number;
  /** Whether a stock-low event was already emitted for this item and not cleared by a restock. */
  wasLow: boolean;
}

export interface StockVerdict {
  item: StockItem;
  remaining: number;
  threshold: number;
  /** Below the threshold now. */
  low: boolean;
  /** Emit machine.stock-low: it just fell below (once per item until restocked). */
  emit: boolean;
}

/**
 * An item is low when fewer than `threshold` remain (threshold 0 never alarms). The event goes
 * out on the report that first finds it low; a report at or above the threshold re-arms it.
 */
export function judgeStock(levels: StockLevel[]): StockVerdict[] {
  return levels.map(({ item, remaining, threshold, wasLow }) => {
    const low = remaining < threshold;
    return { item, remaining, threshold, low, emit: low && !wasLow };
  });
}

export { STOCK_ITEMS };
