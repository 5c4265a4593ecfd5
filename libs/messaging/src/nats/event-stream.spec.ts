import type { JetStreamManager, StreamConfig, StreamInfo } from 'nats';
import { ensureEventStream, EventStreamShape, replicaChange } from './event-stream';

/**
 * JetStream's stream API as far as ensureEventStream uses it: one stream or none, `update`
 * merging into the stored config as the client library does. `fail` makes a call throw.
 */
function fakeJetStream(stored?: Partial<StreamConfig>, fail: { add?: string; update?: string; addCreatesMeanwhile?: Partial<StreamConfig> } = {}) {
  let config = stored ? ({ ...stored } as StreamConfig) : undefined;
  const calls: Array<[string, unknown]> = [];
  const info = (): StreamInfo => ({ config: { ...config! } }) as StreamInfo;
  const jsm = {
    streams: {
      info: async (name: string) => {
        calls.push(['info', name]);
        if (!config) throw new Error('stream not found');
        return info();
      },
      add: async (cfg: StreamConfig) => {
        calls.push(['add', cfg]);
        if (fail.addCreatesMeanwhile) config = { ...fail.addCreatesMeanwhile } as StreamConfig;
        if (fail.add) throw new Error(fail.add);
        config = { ...cfg };
        return info();
      },
      update: async (name: string, cfg: Partial<StreamConfig>) => {
        calls.push(['update', cfg]);
        if (fail.update) throw new Error(fail.update);
        config = { ...config!, ...cfg };
        return info();
      },
    },
  } as unknown as JetStreamManager;
  return { jsm, calls, current: () => config };
}

function recordingLog() {
  const lines: string[] = [];
  return { lines, log: (m: string) => lines.push(`log: ${m}`), warn: (m: string) => lines.push(`warn: ${m}`), error: (m: string) => lines.push(`error: ${m}`) };
}

const shape = (replicas: number, subjects = ['a', 'b']): EventStreamShape => ({ name: 'ONECARD', subjects, replicas });

describe('replicaChange', () => {
  it.each([
    [undefined, 1, { kind: 'none' }],
    [0, 1, { kind: 'none' }],
    [1, 1, { kind: 'none' }],
    [3, 3, { kind: 'none' }],
    [undefined, 3, { kind: 'raise', from: 1, to: 3 }],
    [1, 3, { kind: 'raise', from: 1, to: 3 }],
    [3, 5, { kind: 'raise', from: 3, to: 5 }],
    [3, 1, { kind: 'more-than-wanted', current: 3, wanted: 1 }],
  ])('a stream with %p replicas and a setting of %p: %j', (current, wanted, change) => {
    expect(replicaChange(current, wanted)).toEqual(change);
  });
});

describe('ensureEventStream', () => {
  it('creates the stream with NATS_STREAM_REPLICAS copies, on file, with the subjects given', async () => {
    const { jsm, current } = fakeJetStream();
    const log = recordingLog();
    await ensureEventStream(jsm, shape(3), log);
    expect(current()).toMatchObject({ name: 'ONECARD', subjects: ['a', 'b'], num_replicas: 3, storage: 'file', duplicate_window: 600e9 });
    expect(log.lines).toEqual(['log: created stream ONECARD with 3 replicas']);
  });

  it('creates a single-copy stream quietly (the default, one server)', async () => {
    const { jsm, current } = fakeJetStream();
    const log = recordingLog();
    await ensureEventStream(jsm, shape(1), log);
    expect(current()).toMatchObject({ num_replicas: 1 });
    expect(log.lines).toEqual([]);
  });

  it('raises an existing stream with fewer replicas, keeping the rest of its config, and says so', async () => {
    const { jsm, calls, current } = fakeJetStream({ name: 'ONECARD', subjects: ['a', 'b'], num_replicas: 1, max_msgs: 7 });
    const log = recordingLog();
    await ensureEventStream(jsm, shape(3), log);
    expect(current()).toEqual({ name: 'ONECARD', subjects: ['a', 'b'], num_replicas: 3, max_msgs: 7 });
    expect(calls.filter(([call]) => call === 'update')).toEqual([['update', { num_replicas: 3 }]]);
    expect(log.lines).toEqual(['log: raised stream ONECARD from 1 to 3 replicas (NATS_STREAM_REPLICAS); its durable consumers follow']);
  });

  it('never lowers a stream with more replicas than asked for: it warns and leaves it', async () => {
    const { jsm, calls, current } = fakeJetStream({ name: 'ONECARD', subjects: ['a', 'b'], num_replicas: 3 });
    const log = recordingLog();
    await ensureEventStream(jsm, shape(1), log);
    expect(current()).toMatchObject({ num_replicas: 3 });
    expect(calls.map(([call]) => call)).toEqual(['info']);
    expect(log.lines).toEqual(['warn: stream ONECARD has 3 replicas, NATS_STREAM_REPLICAS asks for 1: left at 3 (lower it by hand if that is meant)']);
  });

  it('leaves a stream already as asked alone', async () => {
    const { jsm, calls } = fakeJetStream({ name: 'ONECARD', subjects: ['a', 'b'], num_replicas: 3 });
    const log = recordingLog();
    await ensureEventStream(jsm, shape(3), log);
    expect(calls.map(([call]) => call)).toEqual(['info']);
    expect(log.lines).toEqual([]);
  });

  it('adds new subjects and raises the replicas of an older stream', async () => {
    const { jsm, current } = fakeJetStream({ name: 'ONECARD', subjects: ['a'] });
    await ensureEventStream(jsm, shape(3, ['a', 'b']), recordingLog());
    expect(current()).toEqual({ name: 'ONECARD', subjects: ['a', 'b'], num_replicas: 3 });
  });

  it('logs a raise the cluster cannot take and goes on with the stream as it is (events still flow)', async () => {
    const { jsm, current } = fakeJetStream({ name: 'ONECARD', subjects: ['a', 'b'], num_replicas: 1 }, { update: 'insufficient resources' });
    const log = recordingLog();
    await expect(ensureEventStream(jsm, shape(5), log)).resolves.toBeUndefined();
    expect(current()).toMatchObject({ num_replicas: 1 });
    expect(log.lines).toEqual(['error: cannot raise stream ONECARD from 1 to 5 replicas (NATS_STREAM_REPLICAS): insufficient resources; it keeps 1']);
  });

  it('fails naming NATS_STREAM_REPLICAS when the stream cannot be created (a single server asked for three)', async () => {
    const { jsm } = fakeJetStream(undefined, { add: 'replicas > 1 not supported in non-clustered mode' });
    await expect(ensureEventStream(jsm, shape(3), recordingLog())).rejects.toThrow(
      'cannot create stream ONECARD with 3 replica(s) (NATS_STREAM_REPLICAS): replicas > 1 not supported in non-clustered mode',
    );
  });

  it('raises a stream another app created with fewer replicas between its look and its add', async () => {
    const { jsm, current } = fakeJetStream(undefined, { add: 'stream name already in use', addCreatesMeanwhile: { name: 'ONECARD', subjects: ['a', 'b'], num_replicas: 1 } });
    const log = recordingLog();
    await ensureEventStream(jsm, shape(3), log);
    expect(current()).toMatchObject({ num_replicas: 3 });
    expect(log.lines).toEqual(['log: raised stream ONECARD from 1 to 3 replicas (NATS_STREAM_REPLICAS); its durable consumers follow']);
  });
});
