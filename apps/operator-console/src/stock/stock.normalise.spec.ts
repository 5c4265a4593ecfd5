import { Kiosk } from '../fleet/fleet-device';
import { kioskStock } from './stock.normalise';

const kiosk: Kiosk = {
  machineNo: 'K1', projectId: 'P1', address: '1 Test Road', status: 1,
  stock: { cardCount: 50, inkCount: 15, cardRopeCover: 50 }, stockReported: { cardCount: '50', inkCount: '15%', cardRopeCover: '50' },
  lowStockThresholds: { cardCount: 20, inkCount: 20, cardRopeCover: 0 }, lowStock: { cardCount: false, inkCount: true, cardRopeCover: false },
  stockReportedAt: '2026-12-05 09:00:00', online: true, lastSeenAt: '2026-12-05 09:00:00',
};

describe('kioskStock', () => {
  it('shows levels, what was reported, thresholds and flags, and whether anything is low', () => {
    expect(kioskStock(kiosk)).toEqual({
      machineNo: 'K1', projectId: 'P1', address: '1 Test Road', online: true, status: 'enabled',
      levels: { cardCount: 50, inkCount: 15, cardRopeCover: 50 }, reported: { cardCount: '50', inkCount: '15%', cardRopeCover: '50' },
      thresholds: { cardCount: 20, inkCount: 20, cardRopeCover: 0 }, low: { cardCount: false, inkCount: true, cardRopeCover: false }, anyLow: true, reportedAt: '2026-12-05 09:00:00',
    });
  });

  it('is not low when no flag is set', () => {
    expect(kioskStock({ ...kiosk, status: 2, lowStock: { cardCount: false, inkCount: false, cardRopeCover: false } })).toMatchObject({ anyLow: false, status: 'disabled' });
  });
});
