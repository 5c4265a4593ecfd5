// The load generator's process (load.ts forks it once per run): takes a LoadSpec, runs
// autocannon, answers with autocannon's raw results, waits for the next.
//
// At a rate, autocannon lets each connection send its share of a second back to back from the
// start of each second, then wait for the next: 5,000/s would arrive as one burst a second. So
// the rate is split over PHASES instances started 1/PHASES s apart, which spreads the bursts over
// the second. Each keeps autocannon's correction for coordinated omission (an answer later than
// the expected interval also counts the sends it held up).
import autocannon from 'autocannon';
import type { LoadReply, LoadRequest, LoadSpec, RawResult } from './load';

const PHASES = 20;

const pad = (n: number) => String(n).padStart(2, '0');

/** Asia/Shanghai wall clock, as devices send it. */
function wireTime(unixS: number): string {
  const d = new Date((unixS + 8 * 3600) * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** The bodies of one request, send after send (`{{time}}` and `{{seq}}`, see LoadRequest). */
export class BodyMaker {
  sends = 0;
  private readonly parts: string[];

  constructor(
    template: string,
    private readonly startUnixS: number,
    private readonly seq: { next: number },
  ) {
    this.parts = template.split(/(\{\{(?:time|seq)\}\})/);
  }

  get varies(): boolean {
    return this.parts.length > 1;
  }

  next(): string {
    const second = this.startUnixS + this.sends++;
    let body = '';
    for (const part of this.parts) body += part === '{{time}}' ? wireTime(second) : part === '{{seq}}' ? String(this.seq.next++) : part;
    return body;
  }
}

function requestsFor(list: LoadRequest[], makers: BodyMaker[]): autocannon.Request[] {
  return list.map((r, i) => {
    const headers = { ...(r.body === undefined ? {} : { 'content-type': 'application/json' }), ...r.headers };
    const maker = makers[i];
    const request: autocannon.Request = { method: r.method ?? 'POST', path: r.path, headers, body: r.body };
    if (maker.varies) request.setupRequest = (req) => ({ ...req, body: maker.next() });
    return request;
  });
}

function instance(spec: LoadSpec, makers: BodyMaker[], options: Partial<autocannon.Options>): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    autocannon(
      { url: spec.url, duration: spec.seconds, connections: spec.connections, requests: requestsFor(spec.requests, makers), skipAggregateResult: true, ...options },
      (error, result) => (error ? reject(error) : resolve(result as unknown as RawResult)),
    );
  });
}

export async function generate(spec: LoadSpec, startUnixS: number, seqStart: number): Promise<LoadReply> {
  const seq = { next: seqStart };
  const makers = spec.requests.map((r) => new BodyMaker(r.body ?? '', startUnixS, seq));
  const loadId = Math.random();
  let results: RawResult[];
  if (!spec.rate) {
    results = [await instance(spec, makers, {})];
  } else {
    const phases = Math.min(PHASES, spec.rate, spec.connections);
    const share = (total: number, k: number) => Math.floor(total / phases) + (k < total % phases ? 1 : 0);
    results = await Promise.all(
      Array.from({ length: phases }, async (_, k) => {
        await new Promise((r) => setTimeout(r, (1000 * k) / phases));
        return instance(spec, makers, { overallRate: share(spec.rate!, k), connections: share(spec.connections, k) });
      }),
    );
  }
  return { results: results.map((r) => ({ ...r, loadId })), sends: Math.max(0, ...makers.map((m) => m.sends)), nextSeq: seq.next };
}

if (require.main === module) {
  // Loads one at a time, as load.ts sends them; gone with the benchmark.
  process.on('message', (message: { spec: LoadSpec; startUnixS: number; seqStart: number }) => {
    generate(message.spec, message.startUnixS, message.seqStart).then(
      (reply) => process.send!(reply),
      (error: Error) => {
        process.stderr.write(`load generator: ${error.stack ?? error}\n`);
        process.exit(1);
      },
    );
  });
  process.on('disconnect', () => process.exit(0));
}
