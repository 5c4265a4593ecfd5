import { AppError, ErrorKind } from '@onecard/kernel';
import { jsonNestsDeeperThan, limitBodyDepth, valueNestsDeeperThan } from './body-depth';

describe('jsonNestsDeeperThan', () => {
  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

  it('counts arrays and objects inside one another, a flat object being 1', () => {
    expect(jsonNestsDeeperThan('{"a":1,"b":"x"}', 1)).toBe(false);
    expect(jsonNestsDeeperThan('{"a":[1]}', 1)).toBe(true);
    expect(jsonNestsDeeperThan(Buffer.from(nested(32)), 32)).toBe(false);
    expect(jsonNestsDeeperThan(Buffer.from(nested(33)), 32)).toBe(true);
    // Siblings do not add up.
    expect(jsonNestsDeeperThan(`[${'[1],'.repeat(100)}[1]]`, 2)).toBe(false);
  });

  it('skips brackets inside strings, escaped quotes included', () => {
    expect(jsonNestsDeeperThan(`{"a":"${'['.repeat(50)}"}`, 1)).toBe(false);
    expect(jsonNestsDeeperThan(`{"a":"\\"${'{'.repeat(50)}\\\\"}`, 1)).toBe(false);
    expect(jsonNestsDeeperThan(`{"a\\"[[[":[[1]]}`, 2)).toBe(true);
    expect(jsonNestsDeeperThan('{"a":"é[[[","b":1}', 1)).toBe(false);
  });

  it('leaves malformed text to the parser', () => {
    expect(jsonNestsDeeperThan(']]]]{"a":', 1)).toBe(false);
  });
});

describe('valueNestsDeeperThan', () => {
  it('measures a parsed value without recursing', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(valueNestsDeeperThan(deep, 32)).toBe(true);
    expect(valueNestsDeeperThan({ a: ['x', 'y'], b: 'z' }, 2)).toBe(false);
    expect(valueNestsDeeperThan({ a: [['x']] }, 2)).toBe(true);
    expect(valueNestsDeeperThan('text', 1)).toBe(false);
  });
});

describe('limitBodyDepth', () => {
  const run = (parser: Parameters<typeof limitBodyDepth>[1], type: string, body: string) =>
    new Promise<{ error: Error | null; value?: unknown }>((resolve) => limitBodyDepth(type, parser, 2)({}, Buffer.from(body), (error, value) => resolve({ error, value })));

  it('refuses deep JSON before the parser sees it, naming the body', async () => {
    const parser = jest.fn((_r: unknown, body: Buffer | string, done: (e: Error | null, v?: unknown) => void) => done(null, JSON.parse(String(body))));
    const { error } = await run(parser, 'application/json', '{"a":{"b":[1]}}');
    expect(parser).not.toHaveBeenCalled();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ kind: ErrorKind.INVALID_INPUT, message: 'body: nested too deeply (limit 2)', field: 'body' });
    expect(await run(parser, 'application/json', '{"a":{"b":1}}')).toEqual({ error: null, value: { a: { b: 1 } } });
  });

  it('refuses what a form parser built too deep (a[b][c]=1 read as nested objects)', async () => {
    const nesting = (_r: unknown, _b: Buffer | string, done: (e: Error | null, v?: unknown) => void) => done(null, { a: { b: { c: '1' } } });
    expect((await run(nesting, 'application/x-www-form-urlencoded', 'a[b][c]=1')).error?.message).toBe('body: nested too deeply (limit 2)');
    const flat = (_r: unknown, _b: Buffer | string, done: (e: Error | null, v?: unknown) => void) => done(null, { 'a[b][c]': '1' });
    expect(await run(flat, 'application/x-www-form-urlencoded', 'a[b][c]=1')).toEqual({ error: null, value: { 'a[b][c]': '1' } });
  });

  it("passes the parser's own error on", async () => {
    const failing = (_r: unknown, _b: Buffer | string, done: (e: Error | null) => void) => done(new Error('bad form'));
    expect((await run(failing, 'application/x-www-form-urlencoded', '%')).error?.message).toBe('bad form');
  });
});
