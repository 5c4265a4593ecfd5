import { Kiosk } from '../fleet/fleet-device';
import { AdminApis, SourceStatus } from '../upstream/admin-apis';
import { KioskStock, kioskStock } from './stock.normalise';

export interface StockView {
  sources: SourceStatus[];
  /** Every kiosk in machineNo order, `anyLow` marking those an operator should restock. */
  kiosks: KioskStock[];
}

export class StockService {
  constructor(private readonly apis: AdminApis) {}

  async stock(): Promise<StockView> {
    const { sources, answers } = await this.apis.gather(['card-issuance'], (client) => client.all<Kiosk>('/admin/machines', {}, this.apis.maxPages));
    return { sources, kiosks: answers.flatMap((a) => a.value.map(kioskStock)) };
  }
}
