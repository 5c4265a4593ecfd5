// Payment notifications: each send a signed notification of a new order (every tenth a repeat of
// one sent before), so the generator runs here, where it can sign each body as it goes out
// (tools/bench/common's generator fills {{seq}} and {{time}} only); then checked exactly once.
import { createHmac } from 'node:crypto';
import autocannon from 'autocannon';
import { alternate, describeCpu, fmt, log, LoadResult, pool, Proc, Report, wholeMs } from '../common';
import { credited, seedOrders } from './fixtures';
import type { Campus } from './campus';

function notice(secret: string, id: string): string {
  const fields = { id, amount: '10.00', payTime: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' '), status: 'SUCCESS' };
  const sign = createHmac('sha256', secret).update(`${fields.id}|${fields.amount}|${fields.payTime}|${fields.status}`).digest('hex');
  return new URLSearchParams({ ...fields, sign }).toString();
}

export async function notificationFigure(c: Campus, baseline: Proc, report: Report, seconds: number): Promise<void> {
  const orders = { service: await seedOrders(c.target, 'S', c.cards, 200_000, 1000), baseline: await seedOrders(c.target, 'B', c.cards, 200_000, 1000) };
  const sent = { service: new Set<string>(), baseline: new Set<string>() };
  const cursor = { service: 0, baseline: 0 };
  let refused = 0;
  const slice = (side: 'service' | 'baseline', url: string) => async (): Promise<LoadResult> => {
    const raw = await autocannon({
      url,
      connections: 20,
      duration: Math.max(1, Math.round(seconds / 3)),
      skipAggregateResult: true,
      requests: [
        {
          method: 'POST',
          path: side === 'service' ? '/v1/payment/notify' : '/notify',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          setupRequest: (request) => {
            const n = ++cursor[side];
            const id = n % 10 === 0 && n > 5 ? orders[side][n - 6] : orders[side][n - 1];
            sent[side].add(id);
            return { ...request, body: notice(c.paymentSecret, id) };
          },
          onResponse: (_status: number, body: string) => {
            if (!body.startsWith('{"errno":0')) refused++;
          },
        },
      ],
    } as autocannon.Options);
    return pool([{ raw: [{ ...(raw as unknown as Record<string, unknown>), duration: (raw as unknown as { duration: number }).duration, loadId: Math.random() }] } as LoadResult]);
  };
  const { service: s, baseline: b } = await alternate(3, { pid: c.service.pid, run: slice('service', c.service.url) }, { pid: baseline.pid, run: slice('baseline', baseline.url) });
  const [sl, bl] = [pool(s.slices), pool(b.slices)];
  const once = await credited(c.target, [...sent.service]);
  // Exactly once: one ledger entry per credited order, never two; every order sent credited but
  // the few still in flight when a slice stopped (sent, answer not awaited).
  const exactlyOnce = once.entries === once.distinct && once.recharged === once.entries && sent.service.size - once.recharged <= 60 && refused === 0;
  log(`notifications: service ${fmt(sl.rps)} /s (${fmt(cursor.service)} sends for ${fmt(sent.service.size)} orders: ${fmt(once.recharged)} credited by ${fmt(once.entries)} entries), baseline ${fmt(bl.rps)} /s; refused ${refused}`);
  report.add({
    figure: `payment notifications, each a new order but every tenth a repeat; ${fmt(once.recharged)} orders credited by ${fmt(once.entries)} entries${exactlyOnce ? ' (exactly once)' : ' (MISMATCH)'}`,
    service: `${fmt(sl.rps)} /s, p99 ${wholeMs(sl.p99)}, ${describeCpu(s.cpu)}`,
    baseline: `${fmt(bl.rps)} /s, p99 ${wholeMs(bl.p99)}, ${describeCpu(b.cpu)}`,
    target: '≥ 1,000 /s, each credited exactly once',
    ok: exactlyOnce && sl.rps >= 1000,
  });
  if (!exactlyOnce) process.exitCode = 1;
}
