import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ChangeFeed } from '../core/change-feed';
import { CheckWindow } from './check-window';
import { DeviceEntity } from './device.entity';

const TTL_MS = 60_000;
const MAX_ENTRIES = 200_000;

/** A device as the hot paths need it: identity, line and configuration. */
export interface Device {
  deviceId: string;
  enterpriseId: string;
  lineId: string;
  secretSealed: string;
  tokenGen: number;
  checkMode: number;
  checkCardMode: number;
  qrcodeMode: number;
  cardMode: number;
  whiteMode: number;
  isLineWhite: number;
  window: CheckWindow;
  /** Set for this device by an operator; null: its line's or the default (LineSettings.reportInterval). */
  heartbeatInterval: number | null;
  /** Taken out of service by an operator: every call and /get_token refused. */
  disabled: boolean;
}

export function toDevice(e: DeviceEntity): Device {
  return {
    deviceId: e.deviceId,
    enterpriseId: e.enterpriseId,
    lineId: e.lineId,
    secretSealed: e.secretSealed,
    tokenGen: e.tokenGen,
    checkMode: e.checkMode,
    checkCardMode: e.checkCardMode,
    qrcodeMode: e.qrcodeMode,
    cardMode: e.cardMode,
    whiteMode: e.whiteMode,
    isLineWhite: e.isLineWhite,
    window: { start: e.checkStartTime, end: e.checkEndTime },
    heartbeatInterval: e.heartbeatInterval,
    disabled: Boolean(e.disabledAt),
  };
}

/**
 * Devices by id, cached in memory: every validator call needs its device (token generation,
 * disabled or not, line, configuration). The database is the truth; an admin change announces
 * itself on the change feed (Postgres NOTIFY, on commit) and every replica drops its copy at once,
 * and entries expire after a minute anyway (the bound while a replica's LISTEN connection is down).
 */
@Injectable()
export class DeviceRegistry {
  private readonly cache = new Map<string, { device: Device; at: number }>();
  private readonly loading = new Map<string, Promise<Device | undefined>>();

  constructor(
    @InjectRepository(DeviceEntity) private readonly devices: Repository<DeviceEntity>,
    feed: ChangeFeed,
  ) {
    feed.on('device', (id) => {
      if (id === '*' || id === '') this.cache.clear();
      else this.cache.delete(id);
    });
  }

  async get(deviceId: string): Promise<Device | undefined> {
    const hit = this.cache.get(deviceId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.device;
    let pending = this.loading.get(deviceId);
    if (!pending) {
      pending = this.load(deviceId).finally(() => this.loading.delete(deviceId));
      this.loading.set(deviceId, pending);
    }
    return pending;
  }

  private async load(deviceId: string): Promise<Device | undefined> {
    const entity = await this.devices.findOneBy({ deviceId });
    if (!entity) return undefined;
    const device = toDevice(entity);
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(deviceId, { device, at: Date.now() });
    return device;
  }

  forget(deviceId: string): void {
    this.cache.delete(deviceId);
  }
}
