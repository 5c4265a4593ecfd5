// The transactions page (paced for its p99, then closed loop) and POS purchases (over every
// card, then all on one), each beside the baseline server running the same statements.
import { compare, describeCpu, fmt, logCompared, Proc, Report, runLoad, wholeMs } from '../common';
import type { Campus } from './campus';

/** Pages 1 to 5 (20 entries each) of the logged-in holders' cards. */
const pages = (c: Campus, side: 'service' | 'baseline') =>
  c.tokens.flatMap((token, i) =>
    [0, 20, 40, 60, 80].map((start) => ({ method: 'GET' as const, path: `${side === 'service' ? '/v1/me/card/transactions' : '/page'}?access_token=${token}&cardNo=${c.cards[i]}&start=${start}&limit=20` })),
  );

export async function pageFigures(c: Campus, baseline: Proc, report: Report, seconds: number, rate: number): Promise<void> {
  const check = (await fetch(`${c.service.url}${pages(c, 'service')[0].path}`).then((r) => r.json())) as { errno: number; total: number; entities: unknown[] };
  if (check.errno !== 0 || check.total !== c.entriesPerCard || check.entities.length !== 20) throw new Error(`unexpected page: ${JSON.stringify(check).slice(0, 300)}`);
  const ledger = `${fmt(c.entriesPerCard * c.cards.length)} in the ledger`;
  // Not measured: both sides' first pages after seeding (cold caches, the JIT) would weigh on the paced figure.
  for (const [proc, side] of [[c.service, 'service'], [baseline, 'baseline']] as const) await runLoad({ url: proc.url, requests: pages(c, side), connections: 20, seconds: 3 });
  const paced = await compare({ service: c.service, baseline, seconds, load: (_url, side) => ({ requests: pages(c, side), connections: 20, rate }) });
  logCompared('transactions page at a rate, service', paced.service);
  logCompared('transactions page at a rate, baseline', paced.baseline);
  report.add({
    figure: `transactions page (20 of a card's ${fmt(c.entriesPerCard)} entries, ${ledger}), ${fmt(rate)}/s offered`,
    service: `${fmt(paced.service.load.rps)} answered/s, p50 ${wholeMs(paced.service.load.p50)}, p99 ${wholeMs(paced.service.load.p99)}, ${describeCpu(paced.service.cpu)}`,
    baseline: `${fmt(paced.baseline.load.rps)} answered/s, p50 ${wholeMs(paced.baseline.load.p50)}, p99 ${wholeMs(paced.baseline.load.p99)}, ${describeCpu(paced.baseline.cpu)}`,
    target: 'p99 < 20 ms, 98 % of the rate answered',
    ok: paced.service.load.p99 < 20 && paced.service.load.rps >= 0.98 * rate && paced.service.load.non2xx === 0,
  });
  const closed = await compare({ service: c.service, baseline, seconds, load: (_url, side) => ({ requests: pages(c, side), connections: 20 }) });
  logCompared('transactions page closed loop, service', closed.service);
  logCompared('transactions page closed loop, baseline', closed.baseline);
  report.add({
    figure: 'transactions page, 20 connections closed loop (capacity)',
    service: `${fmt(closed.service.load.rps)} req/s, p99 ${wholeMs(closed.service.load.p99)}, ${describeCpu(closed.service.cpu)}`,
    baseline: `${fmt(closed.baseline.load.rps)} req/s, p99 ${wholeMs(closed.baseline.load.p99)}, ${describeCpu(closed.baseline.cpu)}`,
    target: '(shown)',
    ok: closed.service.load.non2xx === 0,
  });
}

export async function purchaseFigures(c: Campus, baseline: Proc, report: Report, seconds: number): Promise<void> {
  const purchases = (side: 'service' | 'baseline', cardOf: (i: number) => string) =>
    Array.from({ length: 200 }, (_, i) => ({
      method: 'POST' as const,
      path: side === 'service' ? '/admin/transactions' : '/pos',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${c.target.adminToken}` },
      body: JSON.stringify({ cardNo: cardOf(i), merchantNo: 'M001', merchant: '大众餐厅', system: '新闵行第二食堂', amount: 0.01 }),
    }));
  const spread = await compare({ service: c.service, baseline, seconds, load: (_url, side) => ({ requests: purchases(side, (i) => c.cards[(i * 7) % c.cards.length]), connections: 20 }) });
  logCompared('POS over every card, service', spread.service);
  logCompared('POS over every card, baseline', spread.baseline);
  report.add({
    figure: `POS purchases over ${fmt(c.cards.length)} cards, 20 connections closed loop`,
    service: `${fmt(spread.service.load.rps)} /s, p99 ${wholeMs(spread.service.load.p99)}, ${describeCpu(spread.service.cpu)}`,
    baseline: `${fmt(spread.baseline.load.rps)} /s, p99 ${wholeMs(spread.baseline.load.p99)}, ${describeCpu(spread.baseline.cpu)}`,
    target: '≥ 1,000 /s',
    ok: spread.service.load.rps >= 1000 && spread.service.load.non2xx === 0,
  });
  // One card's purchases queue on its row lock, held until each commit's WAL flush: the machine's
  // commit latency, the same for the baseline; shown, no target.
  const single = await compare({ service: c.service, baseline, seconds, load: (_url, side) => ({ requests: purchases(side, () => c.cards[c.cards.length - 1]), connections: 20 }) });
  logCompared('POS on one card, service', single.service);
  logCompared('POS on one card, baseline', single.baseline);
  report.add({
    figure: 'POS purchases all on one card (serialised by its row lock until each commit)',
    service: `${fmt(single.service.load.rps)} /s, p99 ${wholeMs(single.service.load.p99)}, ${describeCpu(single.service.cpu)}`,
    baseline: `${fmt(single.baseline.load.rps)} /s, p99 ${wholeMs(single.baseline.load.p99)}, ${describeCpu(single.baseline.cpu)}`,
    target: '(shown: commit-bound)',
    ok: single.service.load.non2xx === 0,
  });
}
