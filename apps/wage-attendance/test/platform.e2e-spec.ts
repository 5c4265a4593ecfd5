import { describePlatformConformance } from '@onecard/testing';
import { wageAttendanceApp } from '../src/app.definition';

describePlatformConformance(wageAttendanceApp, {
  failureMessage: (body: any) => {
    expect(body).toEqual({ success: false, message: expect.any(String), code: expect.any(Number), timestamp: expect.any(Number), result: {} });
    expect(body.code).not.toBe(200);
    return body.message;
  },
  statuses: { invalid: 200, notFound: 200, unauthenticated: 401 },
  jsonPostPath: '/device/create',
  backlogSources: ['callbacks', 'callback_dead_letters', 'identify_records'],
});
