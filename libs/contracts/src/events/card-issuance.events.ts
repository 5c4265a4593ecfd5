import { IsIn, IsInt, IsISO8601, IsString, Matches, MaxLength, Min } from 'class-validator';
import { EventMeta } from './event-meta';
import { HEX_UID } from '../formats';

/** A kiosk finished personalising a card and the order is FINISHED. */
export class CardIssuedEvent extends EventMeta {
  @IsString() @MaxLength(64) orderId!: string;
  /** 1 open card, 22 reissue (the kiosk document's orderType). */
  @IsIn([1, 22]) orderType!: 1 | 22;
  @IsString() @MaxLength(64) userId!: string;
  @IsString() @MaxLength(64) userName!: string;
  @IsString() @MaxLength(64) companyId!: string;
  @IsString() @MaxLength(128) companyName!: string;
  @IsString() @MaxLength(64) projectId!: string;
  @IsString() @MaxLength(64) machineNo!: string;
  /** Card inner code (physical id), uppercase hex: the id validators and terminals read. */
  @Matches(HEX_UID) uid!: string;
  /** Card number written into the cardholder file. */
  @IsString() @MaxLength(32) cardNo!: string;
  /** Expiry written on the card, yyyyMMdd. */
  @Matches(/^\d{8}$/) expiryDate!: string;
}

export const STOCK_ITEMS = ['cardCount', 'inkCount', 'cardRopeCover'] as const;
export type StockItem = (typeof STOCK_ITEMS)[number];

/** A kiosk's consumable fell below its threshold; emitted once until restocked. */
export class MachineStockLowEvent extends EventMeta {
  @IsString() @MaxLength(64) machineNo!: string;
  @IsString() @MaxLength(64) projectId!: string;
  @IsIn(STOCK_ITEMS) item!: StockItem;
  @IsInt() @Min(0) remaining!: number;
  @IsInt() @Min(0) threshold!: number;
}

export const MACHINE_STATUS_CHANGES = ['online', 'offline', 'enabled', 'disabled'] as const;
export type MachineStatusChange = (typeof MACHINE_STATUS_CHANGES)[number];

/**
 * A kiosk came `online` (a signed call while it was offline, or its first) or went `offline` (no
 * signed call for KIOSK_OFFLINE_AFTER_S: the rule /admin/machines shows `online` by), or an
 * operator `disabled` or `enabled` it (PATCH /admin/machines/{machineNo} status 2 or 1). Each
 * transition is published once, whatever the number of replicas. A disabled kiosk still comes
 * online and goes offline: its calls are refused, but it is there.
 */
export class MachineStatusChangedEvent extends EventMeta {
  @IsString() @MaxLength(64) machineNo!: string;
  @IsString() @MaxLength(64) projectId!: string;
  @IsIn(MACHINE_STATUS_CHANGES) status!: MachineStatusChange;
  /** When it changed, ISO 8601; for `offline`, when its silence passed the window (last heard + KIOSK_OFFLINE_AFTER_S). */
  @IsISO8601({ strict: true }) at!: string;
}
