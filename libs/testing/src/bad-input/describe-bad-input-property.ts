import fc from 'fast-check';
import type { BaseConfig, OneCardAppDefinition } from '@onecard/kernel';
import { rawHttp } from '../raw-http';
import { startTestApp, TestApp } from '../test-app';
import type { TestBus } from '../test-bus';
import { BadRequest, badRequests, DeviceCall } from './mutations';

/** What an answer said, read from an app's envelope. */
export interface EnvelopeReading {
  ok: boolean;
  code: number | string;
  message?: string;
}

/** A device call; its body and path parameters may come from what `setup` registered. */
export interface DeviceCallSpec<Ctx> extends Omit<DeviceCall, 'validBody' | 'params'> {
  validBody?: Record<string, unknown> | ((ctx: Ctx) => Record<string, unknown>);
  params?: Record<string, string> | ((ctx: Ctx) => Record<string, string>);
}

export interface BadInputPropertyOptions<C extends BaseConfig, Ctx> {
  app: OneCardAppDefinition<C>;
  env?: Record<string, string>;
  /** Registers what the calls need (a device, its credentials, an order…) once the app runs. */
  setup?: (app: TestApp<C> & { bus: TestBus }) => Promise<Ctx>;
  /** The device calls, each with a body it accepts. */
  calls: Array<DeviceCallSpec<Ctx>>;
  /** Headers a genuine device adds for these exact bytes (a signature, a token). */
  auth?: (request: { method: string; path: string; body: Buffer }, ctx: Ctx) => Record<string, string>;
  /**
   * Asserts that `body` has exactly the app's envelope shape (success or failure, for this path)
   * and reads it.
   */
  envelope: (body: unknown, request: BadRequest) => EnvelopeReading;
  /** Codes of the envelope that mean the server failed: never an answer to bad input. */
  internalCodes: Array<number | string>;
  /** Tables whose row counts a refusal must leave as they were (the outbox included). */
  tables: string[];
  /**
   * Gauges on /metrics counting answered rows not yet written (batched writers): after a success
   * they must read 0 before the next request is measured, or its late rows would be blamed on a
   * refusal.
   */
  pendingGauges?: string[];
  /** Runs per call (BAD_INPUT_RUNS overrides), and the seed (BAD_INPUT_SEED), so a run can be repeated. */
  runs?: number;
  seed?: number;
}

const same = (a: Record<string, number>, b: Record<string, number>) => Object.keys(a).every((k) => a[k] === b[k]);

/**
 * The drill of issue 12 kept as a test: for every device call, requests broken in every way a
 * device or an attacker might (missing fields, wrong types, oversized and deeply nested values,
 * lone surrogates, NUL, huge numbers, arrays for scalars, unknown and prototype-named fields,
 * other bodies, garbage bytes, wrong content types, odd path parameters and queries), sent as
 * raw bytes. Each answer must be below 500, JSON in the app's exact envelope, not an internal
 * error, and a refusal must leave the listed tables' row counts as they were. A failure prints the
 * seed, the shrunk request and what was wrong; BAD_INPUT_SEED repeats it.
 */
export function describeBadInputProperty<C extends BaseConfig, Ctx = undefined>(options: BadInputPropertyOptions<C, Ctx>): void {
  const runs = Number(process.env.BAD_INPUT_RUNS ?? options.runs ?? 100);
  const seed = Number(process.env.BAD_INPUT_SEED ?? options.seed ?? 20261205);

  describe(`${options.app.name}: bad input to every device call (property, ${runs} runs each, seed ${seed})`, () => {
    let app: TestApp<C> & { bus: TestBus };
    let ctx: Ctx;

    const counts = async (): Promise<Record<string, number>> => {
      const [row] = await app.db.query(`SELECT ${options.tables.map((t) => `(SELECT count(*)::int FROM ${t}) AS "${t}"`).join(', ')}`);
      return row;
    };
    const pendingWrites = async (): Promise<number> => {
      if (!options.pendingGauges?.length) return 0;
      const text = (await app.http('GET', '/metrics')).text;
      let total = 0;
      for (const gauge of options.pendingGauges) {
        const line = text.split('\n').find((l) => l.startsWith(`${gauge} `) || l.startsWith(`${gauge}{`));
        if (!line) throw new Error(`/metrics has no ${gauge}`);
        total += Number(line.slice(line.lastIndexOf(' ') + 1));
      }
      return total;
    };
    /** Pending writes once they are down to `limit`, or after `ms`. */
    const drained = async (limit: number, ms: number): Promise<number> => {
      const deadline = Date.now() + ms;
      let pending = await pendingWrites();
      while (pending > limit && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        pending = await pendingWrites();
      }
      return pending;
    };
    /**
     * Waits for writes a success left behind (batched writers) before the next request is
     * measured. Rows still pending after 5 s were accepted and not written: an error.
     */
    const settled = async (pendingBefore: number): Promise<Record<string, number>> => {
      const pending = await drained(pendingBefore, 5000);
      if (pending > pendingBefore) throw new Error(`accepted but not written within 5 s: ${options.pendingGauges?.join(' + ')} = ${pending} (was ${pendingBefore})`);
      let last = await counts();
      for (let i = 0; i < 40; i++) {
        await new Promise((r) => setTimeout(r, 60));
        const now = await counts();
        if (same(now, last)) return now;
        last = now;
      }
      return last;
    };

    beforeAll(async () => {
      app = await startTestApp(options.app, { env: options.env });
      ctx = (await options.setup?.(app)) as Ctx;
    }, 60_000);
    afterAll(async () => {
      await app?.close();
    });

    const check = async (spec: DeviceCallSpec<Ctx>) => {
      const call: DeviceCall = {
        ...spec,
        validBody: typeof spec.validBody === 'function' ? spec.validBody(ctx) : spec.validBody,
        params: typeof spec.params === 'function' ? spec.params(ctx) : spec.params,
      };
      const answers = new Map<string, number>();
      // Rows an earlier call left unwritable are that call's failure, not this one's.
      const pendingBefore = await drained(0, 2000);
      let before = await settled(pendingBefore);
      await fc.assert(
        fc.asyncProperty(badRequests(call), async (request) => {
          const body = request.body ?? Buffer.alloc(0);
          // The content type is the mutation's to choose (none at all, too).
          const headers = Object.fromEntries(Object.entries(options.auth?.({ method: request.method, path: request.path, body }, ctx) ?? {}).filter(([k]) => k.toLowerCase() !== 'content-type'));
          if (request.contentType !== undefined) headers['content-type'] = request.contentType;
          const head = [`${request.method} ${request.path} HTTP/1.1`, 'host: 127.0.0.1', 'connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
          if (request.body) head.push(`content-length: ${body.length}`);
          const res = await rawHttp(app.url, Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), body]));
          const where = `${request.method} ${request.path.slice(0, 120)} (${request.label}) answered ${res.status} ${res.text.slice(0, 300)}`;
          if (res.status >= 500 || res.status === 0) throw new Error(`server error: ${where}`);
          if (!/^application\/json/.test(res.headers.get('content-type') ?? '')) throw new Error(`not JSON: ${where}`);
          let reading: EnvelopeReading;
          try {
            reading = options.envelope(res.body, request);
          } catch (error) {
            throw new Error(`not the envelope: ${where}\n${(error as Error).message}`);
          }
          const answer = `${reading.code} ${reading.message ?? ''}`.slice(0, 70);
          answers.set(answer, (answers.get(answer) ?? 0) + 1);
          if (options.internalCodes.includes(reading.code)) throw new Error(`internal error: ${where}`);
          if (reading.message && /\n\s+at |Error: /.test(reading.message)) throw new Error(`a stack trace or raw error in the message: ${where}`);
          if (reading.ok) {
            try {
              before = await settled(pendingBefore);
            } catch (error) {
              throw new Error(`${(error as Error).message}, after: ${where}`);
            }
            return;
          }
          const after = await counts();
          if (!same(before, after)) {
            const was = before;
            before = await settled(pendingBefore);
            throw new Error(`a refusal changed rows: ${where}\nbefore ${JSON.stringify(was)}\nafter ${JSON.stringify(after)}`);
          }
        }),
        // No shrinking: the app keeps state, so replaying smaller requests after a failure would
        // meet a changed app (a writer left stuck fails every later request too).
        { numRuns: runs, seed, endOnFailure: true },
      );
      if (process.env.BAD_INPUT_SUMMARY) console.log(`${call.name ?? call.path}:\n${[...answers].sort().map(([a, n]) => `${String(n).padStart(5)}  ${a}`).join('\n')}`);
      // Not a vacuous pass (every request refused by authentication, say): some refusal named a field of the call.
      const fields = [...Object.keys(call.validBody ?? {}), ...Object.keys(call.params ?? {})];
      const named = [...answers.keys()].filter((a) => fields.some((f) => a.split(' ')[1]?.replace(/:$/, '') === f));
      if (fields.length > 0) expect(named).not.toEqual([]);
    };

    for (const spec of options.calls) {
      it(`${spec.name ?? `${spec.method} ${spec.path}`}: no 5xx, always the envelope, nothing changed by a refusal`, () => check(spec), 60_000 + runs * 1000);
    }
  });
}
