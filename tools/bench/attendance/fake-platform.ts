// The supervision platform for `npm run bench:attendance`, run as its own process so the load
// generator never delays it: takes every callback (answering the document's success envelope),
// and keeps, per run label, what arrived: how many, repeats, order per terminal (by X-Callback-Id,
// the service's queue order; the baseline sends none), and the lag from each record's showTime
// (the load generator's send time, same clock) to its arrival. GET /stats/<label> answers them.
import { createServer } from 'node:http';

interface Label {
  count: number;
  repeats: number;
  /** Repeats that were another callback (another X-Callback-Id) for the same record. */
  repeatedRecords: number;
  outOfOrder: number;
  lags: number[];
  seen: Map<string, string>;
  lastId: Map<string, number>;
  firstAt: number;
  lastAt: number;
}

const labels = new Map<string, Label>();
const answer = JSON.stringify({ success: true, message: 'success', code: 200, timestamp: 0, result: {} });

function label(name: string): Label {
  let l = labels.get(name);
  if (!l) {
    l = { count: 0, repeats: 0, repeatedRecords: 0, outOfOrder: 0, lags: [], seen: new Map(), lastId: new Map(), firstAt: 0, lastAt: 0 };
    labels.set(name, l);
  }
  return l;
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'GET' && req.url?.startsWith('/stats/')) {
      const l = label(decodeURIComponent(req.url.slice(7)));
      const lags = [...l.lags].sort((a, b) => a - b);
      const q = (p: number) => (lags.length ? lags[Math.min(lags.length - 1, Math.floor(p * lags.length))] : 0);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ count: l.count, repeats: l.repeats, repeatedRecords: l.repeatedRecords, outOfOrder: l.outOfOrder, p50: q(0.5), p99: q(0.99), max: lags[lags.length - 1] ?? 0, firstAt: l.firstAt, lastAt: l.lastAt }));
      return;
    }
    const now = Date.now();
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    // guid: <label>-<terminal index>-<sequence>
    const [name, device, seq] = (form.get('guid') ?? '').split('-');
    if (name && device && seq) {
      const l = label(name);
      const guid = form.get('guid') as string;
      const callbackId = String(req.headers['x-callback-id'] ?? '');
      if (l.seen.has(guid)) {
        l.repeats++;
        if (l.seen.get(guid) !== callbackId) l.repeatedRecords++;
      } else {
        l.seen.set(guid, callbackId);
        l.count++;
        l.lags.push(now - Number(form.get('showTime')));
        if (callbackId) {
          if ((l.lastId.get(device) ?? -1) > Number(callbackId)) l.outOfOrder++;
          l.lastId.set(device, Number(callbackId));
        }
        l.firstAt ||= now;
        l.lastAt = now;
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(answer);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
