import { describePlatformConformance } from '@onecard/testing';
import { tuyaBridgeApp } from '../src/app.definition';

describePlatformConformance(tuyaBridgeApp, {
  failureMessage: (body: any) => {
    expect(body).toEqual({ success: false, t: expect.any(Number), tid: expect.stringMatching(/^[0-9a-f]{32}$/), code: expect.any(Number), msg: expect.any(String) });
    return body.msg;
  },
  statuses: { invalid: 200, notFound: 200, unauthenticated: 200 },
  jsonPostPath: '/v1.0/iot-02/building/personnel-cards',
  backlogSources: ['tuya_sync'],
});
