import { AppExit, decideOnExit, describeExit, RESTART_POLICY, restartDelay } from './supervision';

describe('restartDelay', () => {
  it('starts at 1 s and doubles up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20, 1000].map((n) => restartDelay(n))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000]);
  });
  it('follows another policy', () => {
    expect([1, 2, 3].map((n) => restartDelay(n, { firstDelayMs: 50, maxDelayMs: 120, stableMs: 0 }))).toEqual([50, 100, 120]);
  });
});

describe('describeExit', () => {
  it('names the code or the signal', () => {
    expect(describeExit({ code: 1, signal: null })).toBe('exited (code 1)');
    expect(describeExit({ code: null, signal: 'SIGKILL' })).toBe('was killed (SIGKILL)');
    expect(describeExit({ code: null, signal: null })).toBe('exited (code ?)');
  });
});

describe('decideOnExit', () => {
  const crash: AppExit = {
    role: 'app',
    name: 'card-issuance',
    expected: false,
    exit: { code: null, signal: 'SIGKILL' },
    everHealthy: true,
    healthyAt: 10_000,
    exitedAt: 15_000,
    restartsInARow: 0,
  };

  it('restarts an app that crashed after it had been healthy, saying which, how and when', () => {
    expect(decideOnExit(crash)).toEqual({ kind: 'restart', delayMs: 1000, restart: 1, line: 'card-issuance was killed (SIGKILL): restarting it in 1.0 s (restart 1 in a row)' });
  });

  it('backs off further while it keeps crashing, and never gives up', () => {
    let restartsInARow = 0;
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      // each run dies soon after it started, whether or not it got healthy
      const decision = decideOnExit({ ...crash, exit: { code: 1, signal: null }, healthyAt: i % 2 ? null : 10_000, restartsInARow });
      if (decision.kind !== 'restart') throw new Error(`gave up: ${JSON.stringify(decision)}`);
      delays.push(decision.delayMs);
      restartsInARow = decision.restart;
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts the streak over once a run stayed up a while after answering /health', () => {
    const longRun = { ...crash, restartsInARow: 6, exitedAt: crash.healthyAt! + RESTART_POLICY.stableMs };
    expect(decideOnExit(longRun)).toMatchObject({ kind: 'restart', delayMs: 1000, restart: 1 });
    const shortRun = { ...longRun, exitedAt: longRun.exitedAt - 1 };
    expect(decideOnExit(shortRun)).toMatchObject({ kind: 'restart', delayMs: 30_000, restart: 7 });
  });

  it('stops everything when an app dies before it ever answered /health (it would fail again)', () => {
    expect(decideOnExit({ ...crash, exit: { code: 1, signal: null }, everHealthy: false, healthyAt: null })).toEqual({
      kind: 'stop-all',
      why: 'card-issuance exited (code 1) before it ever answered /health',
      showTail: true,
    });
  });

  it('stops everything when Postgres or nats-server started here dies, naming which', () => {
    expect(decideOnExit({ role: 'infrastructure', name: 'nats-server', expected: false, exit: { code: 1, signal: null } })).toEqual({
      kind: 'stop-all',
      why: 'nats-server exited (code 1)',
      showTail: false,
    });
    expect(decideOnExit({ role: 'infrastructure', name: 'postgres', expected: false, exit: { code: null, signal: 'SIGKILL' } })).toMatchObject({
      why: 'postgres was killed (SIGKILL)',
    });
  });

  it('does nothing about a process that was asked to stop', () => {
    expect(decideOnExit({ ...crash, expected: true })).toEqual({ kind: 'expected' });
    expect(decideOnExit({ ...crash, expected: true, everHealthy: false })).toEqual({ kind: 'expected' });
    expect(decideOnExit({ role: 'infrastructure', name: 'postgres', expected: true, exit: { code: 0, signal: null } })).toEqual({ kind: 'expected' });
  });

  it('restarts an app that exited on its own with code 0 too: nobody asked it to', () => {
    expect(decideOnExit({ ...crash, exit: { code: 0, signal: null } })).toMatchObject({ kind: 'restart', line: expect.stringMatching(/^card-issuance exited \(code 0\): restarting/) });
  });
});
