import { refusalOf } from './platform-answer';

describe('the supervision platform took a callback', () => {
  it('when it answers 2xx with its envelope saying success, or a body that is not JSON', () => {
    expect(refusalOf(200, JSON.stringify({ success: true, message: 'success', code: 200, timestamp: 1, result: {} }))).toBeUndefined();
    expect(refusalOf(200, '')).toBeUndefined();
    expect(refusalOf(204, '')).toBeUndefined();
    expect(refusalOf(200, 'ok')).toBeUndefined();
    expect(refusalOf(200, '{"code":0}')).toBeUndefined();
    expect(refusalOf(200, '[1]')).toBeUndefined();
  });

  it('not when the status is not 2xx, or the envelope says it failed', () => {
    expect(refusalOf(500, '')).toBe('HTTP 500');
    expect(refusalOf(302, '')).toBe('HTTP 302');
    expect(refusalOf(200, JSON.stringify({ success: false, message: '设备不存在', code: 500 }))).toBe('answered success false (code 500): 设备不存在');
    expect(refusalOf(200, JSON.stringify({ code: 500 }))).toBe('answered code 500');
  });
});
