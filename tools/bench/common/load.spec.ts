import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { pool, runLoad } from './load';
import { BodyMaker } from './load-process';

describe('BodyMaker', () => {
  it('moves {{time}} on a second per send (Asia/Shanghai wall clock) and gives {{seq}} a new number each time', () => {
    const seq = { next: 7 };
    const maker = new BodyMaker('{"time":"{{time}}","id":{{seq}},"again":{{seq}}}', Date.UTC(2026, 0, 1, 15, 59, 59) / 1000, seq);
    expect(maker.next()).toBe('{"time":"2026-01-01 23:59:59","id":7,"again":8}');
    expect(maker.next()).toBe('{"time":"2026-01-02 00:00:00","id":9,"again":10}');
    expect(maker.sends).toBe(2);
  });

  it('sends a body without placeholders as written', () => {
    const maker = new BodyMaker('{"a":1}', 0, { next: 0 });
    expect(maker.varies).toBe(false);
  });
});

describe('runLoad (autocannon in its own process)', () => {
  let server: Server;
  let url: string;
  const bodies: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(req.url === '/fail' ? 500 : 200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('runs closed loop and never sends the same event twice, in one load or the next', async () => {
    bodies.length = 0;
    const requests = [{ path: '/a', body: '{"t":"{{time}}","n":{{seq}}}' }, { path: '/b', body: '{"t":"{{time}}","n":{{seq}}}' }];
    const first = await runLoad({ url, requests, seconds: 1, connections: 4 });
    const second = await runLoad({ url, requests, seconds: 1, connections: 4 });
    expect(first.responses).toBeGreaterThan(100);
    expect(first.errors + first.non2xx).toBe(0);
    expect(new Set(bodies.map((b) => JSON.parse(b).n)).size).toBe(bodies.length);
    expect(bodies.length).toBeGreaterThanOrEqual(first.responses + second.responses);
    const both = pool([first, second]);
    expect(both.responses).toBe(first.responses + second.responses);
    expect(both.seconds).toBeCloseTo(first.seconds + second.seconds, 1);
  }, 20_000);

  it('holds a fixed rate, and counts what is not a 2xx', async () => {
    const result = await runLoad({ url, requests: [{ path: '/fail', method: 'GET' }], seconds: 2, connections: 10, rate: 200 });
    expect(result.rps).toBeGreaterThan(170);
    expect(result.rps).toBeLessThan(230);
    expect(result.non2xx).toBe(result.responses);
  }, 20_000);
});
