import fc from 'fast-check';

/** One device call as a device makes it when all is well; the mutations start from it. */
export interface DeviceCall {
  /** Shown in the test's name; `METHOD path` by default. */
  name?: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path, `:name` segments filled from `params`. */
  path: string;
  params?: Record<string, string>;
  /** A JSON body the call accepts. */
  validBody?: Record<string, unknown>;
}

/** A request the property sends: what went wrong with it, and its exact bytes. */
export interface BadRequest {
  label: string;
  method: string;
  /** Path and query, percent-encoded as sent. */
  path: string;
  contentType?: string;
  body?: Buffer;
}

/** A field as raw JSON text, so values JSON.stringify cannot make (1e400, 3,000 levels) can be sent. */
interface Field {
  key: string;
  raw: string;
}
type Change = { label: string; apply: (fields: Field[]) => Field[] };

const set = (key: string, raw: string) => (fields: Field[]) => fields.map((f) => (f.key === key ? { key, raw } : f));
const short = (text: string) => (text.length > 40 ? `${text.slice(0, 37)}…(${text.length})` : text);

const HUGE_NUMBERS = ['1e400', '-1e400', '1e-400', '123456789012345678901234567890', '9007199254740993', '-0', '1.5e308', '-1', '0.5'];
const LONE_SURROGATES = ['\\ud800', '\\udc00', 'a\\udbffz', '\\udfff\\ud800'];
const NULS = ['\\u0000', 'a\\u0000b', '\\u0000\\u0000'];
const CHARS = ['x', '9', 'é', '中', '😀', ' ', '\\\\', '"'];

/** What can go wrong with one field of an object body. */
function fieldChange(keys: string[]): fc.Arbitrary<Change> {
  const key = fc.constantFrom(...keys);
  const nested = (depth: number, array: boolean) => (array ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
  return fc.oneof(
    key.map((k) => ({ label: `no ${k}`, apply: (fields: Field[]) => fields.filter((f) => f.key !== k) })),
    fc.tuple(key, fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant({}), fc.constant([]), fc.string({ maxLength: 8 }))).map(([k, v]) => {
      const raw = Object.is(v, -0) ? '-0' : JSON.stringify(Number.isFinite(v as number) || typeof v !== 'number' ? v : 0);
      return { label: `${k}: ${short(raw)}`, apply: set(k, raw) };
    }),
    fc.tuple(key, fc.integer({ min: 65, max: 300_000 }), fc.constantFrom(...CHARS)).map(([k, n, c]) => ({ label: `${k}: ${n} × ${c}`, apply: set(k, `"${c.repeat(n)}"`) })),
    fc.tuple(key, fc.integer({ min: 30, max: 5000 }), fc.boolean()).map(([k, depth, array]) => ({ label: `${k}: nested ${depth} deep`, apply: set(k, nested(depth, array)) })),
    fc.tuple(key, fc.constantFrom(...LONE_SURROGATES)).map(([k, s]) => ({ label: `${k}: lone surrogate "${s}"`, apply: set(k, `"${s}"`) })),
    fc.tuple(key, fc.constantFrom(...NULS)).map(([k, s]) => ({ label: `${k}: NUL "${s}"`, apply: set(k, `"${s}"`) })),
    fc.tuple(key, fc.constantFrom(...HUGE_NUMBERS)).map(([k, n]) => ({ label: `${k}: ${n}`, apply: set(k, n) })),
    fc.tuple(key, fc.boolean()).map(([k, empty]) => ({
      label: `${k}: in an array`,
      apply: (fields: Field[]) => fields.map((f) => (f.key === k ? { key: k, raw: empty ? '[]' : `[${f.raw}]` } : f)),
    })),
    fc.tuple(key, fc.jsonValue({ maxDepth: 3 })).map(([k, v]) => ({ label: `${k}: ${short(JSON.stringify(v) ?? 'null')}`, apply: set(k, JSON.stringify(v) ?? 'null') })),
    fc.tuple(key, fc.string({ unit: 'binary', maxLength: 80 })).map(([k, s]) => ({ label: `${k}: ${short(JSON.stringify(s))}`, apply: set(k, JSON.stringify(s)) })),
    fc.tuple(key, fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => ({ label: `${k} twice`, apply: (fields: Field[]) => [...fields, { key: k, raw: JSON.stringify(v) ?? 'null' }] })),
    fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 4 }).map((extra) => ({
      label: `unknown fields ${short(Object.keys(extra).join(','))}`,
      apply: (fields: Field[]) => [...fields, ...Object.entries(extra).map(([key, v]) => ({ key, raw: JSON.stringify(v) ?? 'null' }))],
    })),
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString').map((k) => ({
      label: `field ${k}`,
      apply: (fields: Field[]) => [...fields, { key: k, raw: '{"prototype":{"polluted":1},"polluted":1}' }],
    })),
  );
}

const serialise = (fields: Field[]) => `{${fields.map((f) => `${JSON.stringify(f.key)}:${f.raw}`).join(',')}}`;

/** Bodies that are not the object the call takes at all. */
function wholeBody(valid: string): fc.Arbitrary<{ label: string; text: string | Uint8Array }> {
  return fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)).map((v) => ({ label: `body ${short(JSON.stringify(v))}`, text: JSON.stringify(v) })),
    fc.constant({ label: 'empty body', text: '' }),
    fc.uint8Array({ minLength: 1, maxLength: 512 }).map((bytes) => ({ label: `${bytes.length} garbage bytes`, text: bytes })),
    fc.integer({ min: 1, max: Math.max(1, valid.length - 1) }).map((n) => ({ label: `cut after ${n} characters`, text: valid.slice(0, n) })),
    fc.constantFrom(`\ufeff${valid}`, `${valid}${valid}`, `${valid}xyz`, `[${valid}]`, `{"a":${valid}`).map((text) => ({ label: `around the body: ${short(text)}`, text })),
    fc.integer({ min: 30, max: 100_000 }).map((depth) => ({ label: `body nested ${depth} deep`, text: `${'['.repeat(depth)}${']'.repeat(depth)}` })),
  );
}

const CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/json; charset=latin1',
  'application/jsonx',
  'APPLICATION/JSON',
  'application/json, text/plain',
];

/** A path parameter as a buggy device might send it (percent-encoded as it goes on the wire, or not at all). */
function paramValue(): fc.Arbitrary<string> {
  const utf8 = (s: string) => [...Buffer.from(s)].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');
  return fc.oneof(
    fc.integer({ min: 65, max: 5000 }).map((n) => 'K'.repeat(n)),
    fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%C0%AF', '..', '%2E%2E%2F%2E%2E', 'a%2Fb', '%ED%A0%80', '%F0%9F%98%80', 'a;b', '%20'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map(utf8),
  );
}

const QUERIES = ['', '', '', '?%', '?a=%E0%A4%A', `?req_id=${'x'.repeat(5000)}`, '?req_id[a][b]=1', '?__proto__[x]=1', '?req_id=%00'];

function fillPath(call: DeviceCall, params: Record<string, string>): string {
  return call.path.replace(/:([A-Za-z_]\w*)/g, (_m, name: string) => params[name] ?? encodeURIComponent(call.params?.[name] ?? ''));
}

/** How a request shows in fast-check's report: what went wrong, and the start of its bytes. */
function describe(request: BadRequest): BadRequest {
  return Object.assign(request, {
    [fc.toStringMethod]: () => {
      const body = request.body ? ` body (${request.body.length} bytes) ${JSON.stringify(request.body.subarray(0, 200).toString('utf8'))}` : '';
      return `${request.label}: ${request.method} ${short(request.path)} content-type ${request.contentType ?? 'none'}${body}`;
    },
  });
}

/** Every way the property breaks one call: its body (fields, whole, content type), its path parameters, its query. */
export function badRequests(call: DeviceCall): fc.Arbitrary<BadRequest> {
  const query = fc.constantFrom(...QUERIES);
  const paramNames = Object.keys(call.params ?? {});
  const params: fc.Arbitrary<{ label: string; values: Record<string, string> }> =
    paramNames.length === 0
      ? fc.constant({ label: '', values: {} })
      : fc.oneof(
          { weight: 1, arbitrary: fc.constant({ label: '', values: {} }) },
          { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...paramNames), paramValue()).map(([name, value]) => ({ label: `:${name} = ${short(value)}`, values: { [name]: value } })) },
        );
  if (!call.validBody) {
    return fc.tuple(params, query).map(([p, q]) => describe({ label: [p.label, q && `query ${short(q)}`].filter(Boolean).join('; ') || 'as is', method: call.method, path: fillPath(call, p.values) + q }));
  }
  const fields: Field[] = Object.entries(call.validBody).map(([key, value]) => ({ key, raw: JSON.stringify(value) }));
  const valid = serialise(fields);
  const body = fc.oneof(
    { weight: 6, arbitrary: fc.array(fieldChange(fields.map((f) => f.key)), { minLength: 1, maxLength: 3 }).map((changes) => ({ label: changes.map((c) => c.label).join('; '), text: serialise(changes.reduce((acc, c) => c.apply(acc), fields)) as string | Uint8Array })) },
    { weight: 2, arbitrary: wholeBody(valid) },
  );
  const contentType = fc.oneof({ weight: 8, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, { weight: 1, arbitrary: fc.constant(undefined) });
  return fc.tuple(body, contentType, params, query).map(([b, type, p, q]) =>
    describe({
      label: [b.label, type !== 'application/json' && `content-type ${type ?? 'none'}`, p.label, q && `query ${short(q)}`].filter(Boolean).join('; '),
      method: call.method,
      path: fillPath(call, p.values) + q,
      contentType: type,
      body: Buffer.from(b.text),
    }),
  );
}
