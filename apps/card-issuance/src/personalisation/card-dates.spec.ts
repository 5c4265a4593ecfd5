import { cardDates } from './card-dates';

describe('cardDates', () => {
  it('issues today in the wire time zone and expires N years later', () => {
    // 2026-03-01 01:00 in Shanghai is still 28 Feb in UTC.
    expect(cardDates(new Date('2026-02-28T17:00:00Z'), 'Asia/Shanghai', 5)).toEqual({ issueDate: '20260301', expiryDate: '20310301' });
    expect(cardDates(new Date('2026-02-28T17:00:00Z'), 'UTC', 5)).toEqual({ issueDate: '20260228', expiryDate: '20310228' });
  });

  it('keeps a 29 February issue inside February', () => {
    expect(cardDates(new Date('2028-02-29T04:00:00Z'), 'Asia/Shanghai', 1)).toEqual({ issueDate: '20280229', expiryDate: '20290228' });
    expect(cardDates(new Date('2028-02-29T04:00:00Z'), 'Asia/Shanghai', 4)).toEqual({ issueDate: '20280229', expiryDate: '20320229' });
  });
});
