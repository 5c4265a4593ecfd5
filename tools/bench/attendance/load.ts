import autocannon from 'autocannon';
import { createHash, createHmac, randomBytes } from 'node:crypto';

export interface Terminal {
  deviceKey: string;
  secret: string;
  personGuid: string;
}

export interface LoadResult {
  label: string;
  seconds: number;
  /** Records answered `success: true`. */
  accepted: number;
  failed: number;
  latencyP50: number;
  latencyP99: number;
  firstError?: string;
}

/**
 * One closed loop per terminal (one connection each, so a terminal's records go out one after the
 * other, as a terminal uploads): signed /terminal/identify calls for `seconds`. Each record's guid
 * is `<label>-<terminal>-<sequence>` and its showTime the moment it is signed, so the fake
 * platform can tell repeats, order per terminal and lag.
 */
export async function identifyLoad(baseUrl: string, terminals: Terminal[], label: string, seconds: number): Promise<LoadResult> {
  let firstError: string | undefined;
  let accepted = 0;
  let refused = 0;
  const runs = terminals.map((t, index) => {
    let seq = 0;
    return autocannon({
      url: baseUrl,
      connections: 1,
      duration: seconds,
      // Raw results pooled below (in a worker thread autocannon answers raw ones anyway).
      skipAggregateResult: true,
      requests: [
        {
          method: 'POST',
          path: '/terminal/identify',
          setupRequest: (req) => {
            const now = Date.now();
            const body = JSON.stringify({
              guid: `${label}-${index}-${seq++}`, deviceKey: t.deviceKey, personGuid: seq % 4 === 0 ? 'STRANGERBABY' : t.personGuid, photoUrl: '',
              showTime: String(now), type: 1, recMode: 1, cardNo: '', recType: 1, personName: '', deviceType: '2',
            });
            const nonce = randomBytes(12).toString('hex');
            const hash = createHash('sha256').update(body).digest('hex');
            const signature = createHmac('sha256', t.secret).update(`POST\n/terminal/identify\n${now}\n${nonce}\n${hash}`).digest('hex');
            return { ...req, body, headers: { 'content-type': 'application/json', 'x-device-key': t.deviceKey, 'x-timestamp': String(now), 'x-nonce': nonce, 'x-signature': signature } };
          },
          onResponse: (status, body) => {
            if (status === 200 && body.includes('"success":true')) accepted++;
            else {
              refused++;
              firstError ??= `HTTP ${status} ${body.slice(0, 200)}`;
            }
          },
        },
      ],
    });
  });
  const results = await Promise.all(runs);
  // autocannon's documented pooling of skipAggregateResult results (not in its typings): percentiles over every answer.
  const pooled = (autocannon as unknown as { aggregateResult(r: unknown[], o: { url: string }): autocannon.Result }).aggregateResult(results, { url: baseUrl });
  return {
    label,
    seconds,
    accepted,
    failed: refused + pooled.errors + pooled.timeouts,
    latencyP50: pooled.latency.p50,
    latencyP99: pooled.latency.p99,
    firstError,
  };
}
