import { describePlatformConformance } from '@onecard/testing';
import { campusCardApp } from '../src/app.definition';

describePlatformConformance(campusCardApp, {
  failureMessage: (body: any) => {
    expect(body).toEqual({ errno: expect.any(Number), error: expect.any(String), total: 0 });
    expect(body.errno).not.toBe(0);
    return body.error;
  },
  statuses: { invalid: 400, notFound: 404, unauthenticated: 401 },
  jsonPostPath: '/v1/me/card',
  backlogSources: ['card_issues'],
});
