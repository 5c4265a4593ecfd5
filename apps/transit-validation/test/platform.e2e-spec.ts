import { describePlatformConformance } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';

describePlatformConformance(transitValidationApp, {
  failureMessage: (body: any) => {
    expect(body).toEqual({ ret_code: expect.any(Number), ret_msg: expect.any(String) });
    expect(body.ret_code).not.toBe(0);
    return body.ret_msg;
  },
  statuses: { invalid: 200, notFound: 200, unauthenticated: 200 },
  jsonPostPath: '/location_report',
  backlogSources: ['card_checks_writer', 'heartbeats_writer'],
});
