import { SessionCache } from './session-cache';

describe('SessionCache', () => {
  afterEach(() => jest.useRealTimers());

  it('drops the least recently used entry beyond its bound', () => {
    const cache = new SessionCache<number>(2, 60_000);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  it('forgets entries older than its time to live', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const cache = new SessionCache<number>(10, 1000);
    cache.set('a', 1);
    jest.setSystemTime(1_000_999);
    expect(cache.get('a')).toBe(1);
    jest.setSystemTime(1_002_001);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
