import { createHash } from 'node:crypto';
import { eventually, startTestApp, TestApp } from '@onecard/testing';
import { campusCardApp } from '../src/app.definition';
import {
  authorize,
  call,
  campusEnv,
  clientToken,
  codeFrom,
  createClient,
  createUser,
  exchangeCode,
  failure,
  form,
  FORM,
  postFormNoRedirect,
  TestClient,
  tokenRequest,
  TestUser,
  userToken,
} from './support/campus';

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

describe('campus-card: OAuth2 (authorization code, client credentials, refresh token)', () => {
  let app: TestApp;
  let client: TestClient;
  let user: TestUser;

  beforeAll(async () => {
    app = await startTestApp(campusCardApp, { env: campusEnv() });
    client = await createClient(app);
    user = await createUser(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows a person a plain login form that posts the request on', async () => {
    const res = await app.http('GET', `/oauth/authorize?response_type=code&client_id=${client.clientId}&redirect_uri=${encodeURIComponent(client.redirectUri)}&scope=card_info&state=s1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.text).toContain('<form method="post" action="/oauth/authorize">');
    expect(res.text).toContain(`<input type="hidden" name="client_id" value="${client.clientId}">`);
    expect(res.text).toContain('<input type="hidden" name="state" value="s1">');
    expect(res.text).toMatch(/name="username"[^>]*>[\s\S]*name="password"/);
  });

  it('refuses to show the form for an unknown client or an unregistered redirect_uri', async () => {
    const unknown = await app.http('GET', `/oauth/authorize?response_type=code&client_id=nobody&redirect_uri=${encodeURIComponent(client.redirectUri)}`);
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('client_id: no such client');
    const elsewhere = await app.http('GET', `/oauth/authorize?response_type=code&client_id=${client.clientId}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.text).toContain('redirect_uri: not registered');
  });

  it('answers a right login with 302 to redirect_uri?code=…&state=…, the code stored hashed and single-use', async () => {
    const res = await authorize(app, client, user, { scope: 'card_info card_transactions', state: 'abc123' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') as string);
    expect(`${location.origin}${location.pathname}`).toBe(client.redirectUri);
    expect(location.searchParams.get('state')).toBe('abc123');
    const code = location.searchParams.get('code') as string;
    expect(code).toMatch(/^[0-9a-f]{64}$/);
    const [row] = await app.db.query(`SELECT code_hash, scopes, user_code, expires_at - now() < interval '61 seconds' AS short FROM oauth_code WHERE client_id = $1`, [client.clientId]);
    expect(row).toEqual({ code_hash: sha256(code), scopes: ['card_info', 'card_transactions'], user_code: user.userCode, short: true });

    const token = await exchangeCode(app, client, code);
    expect(token.status).toBe(200);
    expect(token.headers.get('cache-control')).toBe('no-store');
    expect(token.headers.get('pragma')).toBe('no-cache');
    expect(token.body).toEqual({
      access_token: expect.stringMatching(/^[0-9a-f]{64}$/),
      token_type: 'Bearer',
      expires_in: expect.any(Number),
      refresh_token: expect.stringMatching(/^[0-9a-f]{64}$/),
      scope: 'card_info card_transactions',
    });
    expect(token.body.expires_in).toBeGreaterThanOrEqual(7190);
    expect(token.body.expires_in).toBeLessThanOrEqual(7200);
    const again = await exchangeCode(app, client, code);
    expect({ status: again.status, body: again.body }).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Invalid grant: authorization code is invalid' } });

    const stored = JSON.stringify(await app.db.query(`SELECT * FROM oauth_token WHERE client_id = $1`, [client.clientId]));
    expect(stored).not.toContain(token.body.access_token);
    expect(stored).not.toContain(token.body.refresh_token);
    expect(stored).toContain(sha256(token.body.access_token));
  });

  it('gives no code for a wrong password or an unknown user: the form again, 401', async () => {
    for (const who of [{ ...user, password: 'wrong-pass' }, { userCode: 'NOBODY', password: user.password }]) {
      const res = await authorize(app, client, who);
      expect(res.status).toBe(401);
      expect(res.headers.get('location')).toBeNull();
      expect(res.text).toContain('学工号或密码错误');
      expect(res.text).toContain('<form method="post"');
    }
    const [{ n }] = await app.db.query(`SELECT count(*)::int AS n FROM oauth_code WHERE client_id = $1 AND user_code = 'NOBODY'`, [client.clientId]);
    expect(n).toBe(0);
  });

  it('locks a login after LOGIN_MAX_FAILURES wrong passwords in a row, the right one included, until the lock runs out', async () => {
    const victim = await createUser(app);
    for (let i = 1; i <= 4; i++) expect((await authorize(app, client, { ...victim, password: `wrong-${i}` })).status).toBe(401);
    const fifth = await authorize(app, client, { ...victim, password: 'wrong-5' });
    expect(fifth.status).toBe(423);
    expect(fifth.text).toMatch(/账号锁定至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
    const right = await authorize(app, client, victim);
    expect(right.status).toBe(423);
    expect(right.headers.get('location')).toBeNull();
    const [{ n }] = await app.db.query(`SELECT count(*)::int AS n FROM oauth_code WHERE user_code = $1`, [victim.userCode]);
    expect(n).toBe(0);

    // The lock runs out: the right password logs in and the count starts again.
    await app.db.query(`UPDATE campus_user SET login_locked_until = now() - interval '1 second' WHERE user_code = $1`, [victim.userCode]);
    expect(codeFrom(await authorize(app, client, victim))).toMatch(/.+/);
    expect(await app.db.query(`SELECT login_failures, login_locked_until FROM campus_user WHERE user_code = $1`, [victim.userCode])).toEqual([{ login_failures: 0, login_locked_until: null }]);
    // A right password resets the count: four wrong ones after it do not lock.
    for (let i = 1; i <= 4; i++) expect((await authorize(app, client, { ...victim, password: `again-${i}` })).status).toBe(401);
    expect((await authorize(app, client, victim)).status).toBe(302);
  });

  it('gives no code to an unknown client or an unregistered redirect_uri, and redirects other errors with state', async () => {
    const unknown = await postFormNoRedirect(app, '/oauth/authorize', form({ response_type: 'code', client_id: 'nobody', state: 's', username: user.userCode, password: user.password }));
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('location')).toBeNull();
    const elsewhere = await authorize(app, client, user, { redirect_uri: 'https://evil.example/cb' });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.headers.get('location')).toBeNull();

    const badScope = await authorize(app, client, user, { scope: 'card_info everything' });
    expect(badScope.status).toBe(302);
    const location = new URL(badScope.headers.get('location') as string);
    expect(Object.fromEntries(location.searchParams)).toEqual({ error: 'invalid_scope', error_description: 'Invalid scope: Requested scope is invalid', state: 'xyz' });
    const badType = await authorize(app, client, user, { response_type: 'token' });
    expect(new URL(badType.headers.get('location') as string).searchParams.get('error')).toBe('unsupported_response_type');
  });

  it('refuses an expired code', async () => {
    const code = codeFrom(await authorize(app, client, user));
    await app.db.query(`UPDATE oauth_code SET expires_at = now() - interval '1 second' WHERE code_hash = $1`, [sha256(code)]);
    const res = await exchangeCode(app, client, code);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid grant: authorization code has expired' });
  });

  it('lets exactly one of two racing exchanges of a code win', async () => {
    const code = codeFrom(await authorize(app, client, user));
    const answers = await Promise.all([exchangeCode(app, client, code), exchangeCode(app, client, code), exchangeCode(app, client, code)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400, 400]);
  });

  it('refreshes: a new pair, the old refresh token and old access token dead', async () => {
    const first = await exchangeCode(app, client, codeFrom(await authorize(app, client, user, { scope: 'card_info' })));
    // Used once, so this replica remembers it (oauth/token-cache.ts): the refresh must retire it all the same.
    expect((await call(app, 'GET', '/v1/me/card', first.body.access_token)).body.errno).toBe(0);
    const refreshed = await tokenRequest(app, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: client.clientId, client_secret: client.clientSecret });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ token_type: 'Bearer', scope: 'card_info', refresh_token: expect.any(String) });
    expect(refreshed.body.access_token).not.toBe(first.body.access_token);
    const reused = await tokenRequest(app, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: client.clientId, client_secret: client.clientSecret });
    expect(reused.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid grant: refresh token is invalid' });
    failure(await call(app, 'GET', '/v1/me/card', first.body.access_token), 401, 'access_token: invalid or expired');
    expect((await call(app, 'GET', '/v1/me/card', refreshed.body.access_token)).body.errno).toBe(0);
    // The refreshed token is still the cardholder's (authorization code) token.
    failure(await call(app, 'GET', '/v1/card', refreshed.body.access_token, { userId: user.userCode }), 403, 'access_token: this call needs a token from the client credentials grant');
  });

  it('issues client-credentials tokens, without a refresh token, and refuses bad client credentials', async () => {
    const res = await tokenRequest(app, { grant_type: 'client_credentials', scope: 'card_info', client_id: client.clientId, client_secret: client.clientSecret });
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: expect.any(Number), scope: 'card_info' });
    const basic = await app.http('POST', '/oauth/token', form({ grant_type: 'client_credentials' }), {
      ...FORM,
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
    });
    expect(basic.body.scope).toBe('card_info manage_card card_transactions write_card_info privacy');

    const wrong = await tokenRequest(app, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'not-the-secret-at-all' });
    expect({ status: wrong.status, body: wrong.body }).toEqual({ status: 400, body: { error: 'invalid_client', error_description: 'Invalid client: client is invalid' } });
    const wrongBasic = await app.http('POST', '/oauth/token', form({ grant_type: 'client_credentials' }), { ...FORM, authorization: `Basic ${Buffer.from(`${client.clientId}:nope-nope-nope`).toString('base64')}` });
    expect(wrongBasic.status).toBe(401);
    expect(wrongBasic.headers.get('www-authenticate')).toBe('Basic realm="Service"');
    const password = await tokenRequest(app, { grant_type: 'password', username: user.userCode, password: user.password, client_id: client.clientId, client_secret: client.clientSecret });
    expect(password.body).toEqual({ error: 'unauthorized_client', error_description: 'Unauthorized client: `grant_type` is invalid' });
    const unsupported = await tokenRequest(app, { grant_type: 'urn:example:magic', client_id: client.clientId, client_secret: client.clientSecret });
    expect(unsupported.body).toEqual({ error: 'unsupported_grant_type', error_description: 'Unsupported grant type: `grant_type` is invalid' });
    const unreadable = await app.http('POST', '/oauth/token', '{"grant_type": ', { 'content-type': 'application/json' });
    expect({ status: unreadable.status, body: unreadable.body }).toEqual({ status: 400, body: { error: 'invalid_request', error_description: 'body: malformed JSON' } });
    const asJson = await app.http('POST', '/oauth/token', { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret });
    expect(asJson.body).toEqual({ error: 'invalid_request', error_description: 'Invalid request: content must be application/x-www-form-urlencoded' });
    const missing = await tokenRequest(app, { client_id: client.clientId, client_secret: client.clientSecret });
    expect({ status: missing.status, body: missing.body }).toEqual({ status: 400, body: { error: 'invalid_request', error_description: 'Missing parameter: `grant_type`' } });

    const [row] = await app.db.query(`SELECT secret_hash FROM oauth_client WHERE client_id = $1`, [client.clientId]);
    expect(row.secret_hash).toMatch(/^scrypt\$/);
    expect(row.secret_hash).not.toContain(client.clientSecret);
  });

  it('keeps a client to its grants and scopes', async () => {
    const narrow = await createClient(app, { scopes: ['card_info'], grants: ['client_credentials'] });
    const wide = await tokenRequest(app, { grant_type: 'client_credentials', scope: 'card_info privacy', client_id: narrow.clientId, client_secret: narrow.clientSecret });
    expect(wide.body).toEqual({ error: 'invalid_scope', error_description: 'Invalid scope: Requested scope is invalid' });
    const noCodes = await authorize(app, narrow, user);
    expect(noCodes.status).toBe(400);
    const noRefresh = await tokenRequest(app, { grant_type: 'refresh_token', refresh_token: 'a'.repeat(64), client_id: narrow.clientId, client_secret: narrow.clientSecret });
    expect(noRefresh.body).toEqual({ error: 'unauthorized_client', error_description: 'Unauthorized client: `grant_type` is invalid' });
  });

  it('takes the token from ?access_token= or a Bearer header, and answers token problems in the envelope', async () => {
    const token = await userToken(app, client, user, ['card_info']);
    expect((await call(app, 'GET', '/v1/me/card', token)).body.errno).toBe(0);
    expect((await app.http('GET', '/v1/me/card', undefined, { authorization: `Bearer ${token}` })).body.errno).toBe(0);

    const none = await app.http('GET', '/v1/me/card');
    failure(none, 401, 'access_token: required (query parameter access_token or Authorization: Bearer)');
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="Service"');
    failure(await call(app, 'GET', '/v1/me/card', 'f'.repeat(64)), 401, 'access_token: invalid or expired');
    failure(await app.http('GET', `/v1/me/card?access_token=${token}`, undefined, { authorization: `Bearer ${token}` }), 401, 'access_token: only one authentication method is allowed');
    const outOfScope = await call(app, 'GET', '/v1/me/card/transactions', token, { beginDate: 0 });
    failure(outOfScope, 403, 'access_token: scope card_transactions required');
    expect(outOfScope.headers.get('www-authenticate')).toBe('Bearer realm="Service",error="insufficient_scope"');

    const expired = await userToken(app, client, user, ['card_info']);
    await app.db.query(`UPDATE oauth_token SET access_expires_at = now() - interval '1 second' WHERE access_hash = $1`, [sha256(expired)]);
    failure(await call(app, 'GET', '/v1/me/card', expired), 401, 'access_token: invalid or expired');
  });

  it("stops a remembered token at once when its client is removed, and within OAUTH_TOKEN_CACHE_MS when another replica's refresh retires it", async () => {
    const removed = await createClient(app);
    const token = await userToken(app, removed, user, ['card_info']);
    expect((await call(app, 'GET', '/v1/me/card', token)).body.errno).toBe(0);
    expect((await app.admin('DELETE', `/admin/clients/${removed.clientId}`)).body.errno).toBe(0);
    failure(await call(app, 'GET', '/v1/me/card', token), 401, 'access_token: invalid or expired');

    // Retired elsewhere: the row gone, this replica not told.
    const other = await userToken(app, client, user, ['card_info']);
    expect((await call(app, 'GET', '/v1/me/card', other)).body.errno).toBe(0);
    await app.db.query(`DELETE FROM oauth_token WHERE access_hash = $1`, [sha256(other)]);
    const retiredAt = Date.now();
    await eventually(async () => (await call(app, 'GET', '/v1/me/card', other)).status === 401, 5000);
    expect(Date.now() - retiredAt).toBeLessThan(2000 + 500);
  });

  it('keeps cardholder calls from client tokens, client calls from cardholder tokens, transfers to permitted clients', async () => {
    const own = await clientToken(app, client);
    failure(await call(app, 'GET', '/v1/me/card', own), 403, 'access_token: this call needs a token from the authorization code grant');
    const personal = await userToken(app, client, user);
    failure(await call(app, 'POST', '/v1/card/foundLostCard', personal, { name: 'x', code: 'y', cardNo: '1', msg: 'm' }), 403, 'access_token: this call needs a token from the client credentials grant');
    failure(await call(app, 'GET', '/v1/me/card/transfer', personal), 403, 'access_token: this call is open only to clients permitted to transfer balances');
  });
});
