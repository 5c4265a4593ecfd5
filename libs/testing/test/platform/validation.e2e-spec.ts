import { startTestApp, TestApp } from '../../src';
import { probeApp } from './probe/probe.app';

/** Bad input gets the app's envelope naming the field, and writes nothing. */
describe('platform: request validation', () => {
  let app: TestApp & { bus: unknown };
  const count = async () => (await app.db.query(`SELECT count(*)::int AS n FROM probe_item`))[0].n as number;
  const outbox = async () => (await app.db.query(`SELECT count(*)::int AS n FROM outbox`))[0].n as number;

  beforeAll(async () => {
    app = await startTestApp(probeApp);
  });
  afterAll(() => app.close());

  it.each([
    ['a missing field', { remaining: 1 }, 'name'],
    ['a wrong type', { name: 'a', remaining: 'many' }, 'remaining'],
    ['an oversized field', { name: 'x'.repeat(21), remaining: 1 }, 'name'],
  ])('refuses %s naming it', async (_label, body, field) => {
    const res = await app.http('POST', '/probe/items', body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ ok: false, kind: 'INVALID_INPUT', code: 'INVALID_INPUT', message: expect.stringMatching(new RegExp(`^${field}\\b`)) });
    expect(await count()).toBe(0);
    expect(await outbox()).toBe(0);
  });

  it('refuses a NUL character in any string, naming the field, where Postgres would fail', async () => {
    const res = await app.http('POST', '/probe/items', '{"name":"a\\u0000b","remaining":1}', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ ok: false, kind: 'INVALID_INPUT', code: 'INVALID_INPUT', message: 'name: must not contain the NUL character (\\u0000)' });
    const nested = await app.admin('POST', '/admin/probe/items', { name: 'ok', remaining: 1, tags: ['x', 'y\u0000'] });
    expect(nested.body.message).toBe('tags.1: must not contain the NUL character (\\u0000)');
    expect(await count()).toBe(0);
  });

  it('refuses a lone UTF-16 surrogate in any string, naming the field: Postgres cannot store it', async () => {
    const res = await app.http('POST', '/probe/items', '{"name":"a\\ud800","remaining":1}', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      ok: false, kind: 'INVALID_INPUT', code: 'INVALID_INPUT', message: 'name: must be well-formed Unicode text (a lone UTF-16 surrogate such as \\ud800 cannot be stored)',
    });
    const nested = await app.admin('POST', '/admin/probe/items', { name: 'ok', remaining: 1, tags: ['x', '\udc00y'] });
    expect(nested.body.message).toMatch(/^tags\.1: must be well-formed Unicode text/);
    // A surrogate pair is one character, and welcome.
    expect((await app.http('POST', '/probe/items', { name: 'bus \u{1F68C}', remaining: 1 })).status).toBe(200);
    expect(await count()).toBe(1);
    await app.db.query(`DELETE FROM probe_item`);
  });

  it('refuses malformed JSON and a JSON array body', async () => {
    const broken = await app.http('POST', '/probe/items', '{"name":', { 'content-type': 'application/json' });
    expect(broken.status).toBe(400);
    expect(broken.body.message).toBe('body: malformed JSON');
    const array = await app.http('POST', '/probe/items', [1, 2]);
    expect(array.status).toBe(400);
    expect(await count()).toBe(0);
  });

  it('refuses a body over the size limit', async () => {
    const res = await app.http('POST', '/probe/items', { name: 'big', remaining: 1, pad: 'x'.repeat(1100 * 1024) });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('body: request body too large');
    expect(await count()).toBe(0);
  });

  it('refuses a body nested deeper than BODY_MAX_DEPTH before validation walks it, JSON or form', async () => {
    const nest = (depth: number) => `${'['.repeat(depth - 1)}1${']'.repeat(depth - 1)}`;
    const deep = await app.http('POST', '/probe/items', `{"name":"deep","remaining":1,"extra":${nest(33)}}`, { 'content-type': 'application/json' });
    expect(deep.status).toBe(400);
    expect(deep.body).toEqual({ ok: false, kind: 'INVALID_INPUT', code: 'BODY_TOO_DEEP', message: 'body: nested too deeply (limit 32)' });
    // 32 levels are a body like any other (the unknown field is dropped on device ingress).
    const limit = await app.http('POST', '/probe/items', `{"name":"limit","remaining":1,"extra":${nest(32)}}`, { 'content-type': 'application/json' });
    expect(limit.body).toEqual({ ok: true, data: { id: expect.any(Number) } });
    // Nest's form parser reads `a[b][c]` keys flat: nothing deep to refuse, and no 500.
    const form = await app.http('POST', '/probe/items', `name=form&remaining=1&${'x'.repeat(10)}${'[a]'.repeat(3000)}=1`, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(400);
    expect(form.body).toEqual({ ok: false, kind: 'INVALID_INPUT', code: 'INVALID_INPUT', message: expect.stringMatching(/^remaining\b/) });
    expect((await app.db.query(`SELECT count(*)::int AS n FROM probe_item WHERE name IN ('deep', 'form')`))[0].n).toBe(0);
  });

  it('drops unknown fields on device ingress (firmware may add some)', async () => {
    const res = await app.http('POST', '/probe/items', { name: 'dev', remaining: 3, firmwareExtra: 'x' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, data: { id: expect.any(Number) } });
  });

  it('refuses unknown fields on /admin, naming them', async () => {
    const res = await app.admin('POST', '/admin/probe/items', { name: 'adm', remaining: 3, typo: 1 });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('typo: unknown field');
    expect((await app.db.query(`SELECT count(*)::int AS n FROM probe_item WHERE name = 'adm'`))[0].n).toBe(0);
  });

  it('refuses /admin with a wrong token', async () => {
    const res = await app.http('POST', '/admin/probe/items', { name: 'x', remaining: 1 }, { authorization: 'Bearer wrong-token-wrong-token' });
    expect(res.status).toBe(422);
    expect(res.body.kind).toBe('UNAUTHENTICATED');
  });
});
