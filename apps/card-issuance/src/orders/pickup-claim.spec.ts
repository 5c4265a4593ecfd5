import { OrderStatus } from './card-order.entity';
import { ClaimFacts, claimVerdict } from './pickup-claim';

const IDLE = 600;
/** A claim made just now by an enabled kiosk that has not started personalising. */
const fresh: ClaimFacts = { orderStatus: OrderStatus.PENDING, claimedMachineNo: 'K1', claimantStatus: 1, personalised: false, running: false, lastSession: null, quietSeconds: 5 };

describe('pickup claim release', () => {
  it('keeps a fresh claim of an enabled kiosk', () => {
    expect(claimVerdict(fresh, IDLE)).toEqual({ release: false });
    expect(claimVerdict({ ...fresh, quietSeconds: IDLE - 0.001 }, IDLE)).toEqual({ release: false });
  });

  it('releases a claim under which nothing started within the idle limit', () => {
    expect(claimVerdict({ ...fresh, quietSeconds: IDLE }, IDLE)).toEqual({ release: true, reason: 'no personalisation since the claim' });
  });

  it('releases a claim whose session expired, without waiting again', () => {
    expect(claimVerdict({ ...fresh, lastSession: 'EXPIRED', quietSeconds: 1 }, IDLE)).toEqual({ release: true, reason: 'its session expired' });
  });

  it('keeps a claim while a session runs, and after a failed card until the kiosk has been quiet as long', () => {
    expect(claimVerdict({ ...fresh, running: true, lastSession: 'ACTIVE', quietSeconds: 10 * IDLE }, IDLE)).toEqual({ release: false });
    expect(claimVerdict({ ...fresh, lastSession: 'FAILED', quietSeconds: 30 }, IDLE)).toEqual({ release: false });
    expect(claimVerdict({ ...fresh, lastSession: 'FAILED', quietSeconds: IDLE }, IDLE)).toMatchObject({ release: true });
  });

  it('releases the claim of a disabled (or deleted) kiosk at once, even mid-card', () => {
    for (const claimantStatus of [2, null]) {
      expect(claimVerdict({ ...fresh, claimantStatus, running: true, lastSession: 'ACTIVE' }, IDLE)).toEqual({ release: true, reason: 'claiming machine disabled' });
    }
  });

  it('never releases a claim once a card was personalised, nor one of a finished or cancelled order', () => {
    const personalised = { ...fresh, personalised: true, lastSession: 'FINISHED', quietSeconds: 100 * IDLE };
    expect(claimVerdict(personalised, IDLE)).toEqual({ release: false });
    expect(claimVerdict({ ...personalised, claimantStatus: 2 }, IDLE)).toEqual({ release: false });
    expect(claimVerdict({ ...personalised, lastSession: 'EXPIRED' }, IDLE)).toEqual({ release: false });
    for (const orderStatus of [OrderStatus.FINISHED, OrderStatus.CANCELLED]) {
      expect(claimVerdict({ ...fresh, orderStatus, claimantStatus: 2, quietSeconds: 100 * IDLE }, IDLE)).toEqual({ release: false });
    }
  });
});
