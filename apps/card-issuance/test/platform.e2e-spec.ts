import { describePlatformConformance } from '@onecard/testing';
import { cardIssuanceApp } from '../src/app.definition';

describePlatformConformance(cardIssuanceApp, {
  failureMessage: (body: any) => {
    expect(body).toEqual({ code: expect.any(Number), msg: expect.any(String), success: false, status: body.code, data: null });
    expect(body.code).not.toBe(0);
    return body.msg;
  },
  statuses: { invalid: 200, notFound: 200, unauthenticated: 200 },
  jsonPostPath: '/yktInfo/openCard/saveMachine',
});
