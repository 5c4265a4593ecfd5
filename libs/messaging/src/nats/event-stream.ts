import type { JetStreamManager, StreamInfo } from 'nats';
import { RetentionPolicy, StorageType } from 'nats';

/** The events stream as the apps want it (every app asks for the same). */
export interface EventStreamShape {
  name: string;
  subjects: string[];
  /** NATS_STREAM_REPLICAS. */
  replicas: number;
}

export interface StreamLog {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What becomes of an existing stream's replicas: raised to the setting, or left as they are. */
export type ReplicaChange = { kind: 'none' } | { kind: 'raise'; from: number; to: number } | { kind: 'more-than-wanted'; current: number; wanted: number };

export function replicaChange(current: number | undefined, wanted: number): ReplicaChange {
  // A stream made without the field has one copy.
  const have = current && current > 0 ? current : 1;
  if (have < wanted) return { kind: 'raise', from: have, to: wanted };
  if (have > wanted) return { kind: 'more-than-wanted', current: have, wanted };
  return { kind: 'none' };
}

/**
 * Creates the events stream, or brings an existing one up to what this app needs: subjects a
 * newer contracts version added, and at least NATS_STREAM_REPLICAS copies. Replicas are only ever
 * raised here: fewer copies is an operator's decision (a stream with more is left, with a warning).
 * Durable consumers are made without `num_replicas`, so JetStream keeps them at the stream's
 * count, and moves them along when the stream is raised.
 */
export async function ensureEventStream(jsm: JetStreamManager, shape: EventStreamShape, log: StreamLog): Promise<void> {
  let existing = await jsm.streams.info(shape.name).catch(() => undefined);
  if (!existing) {
    try {
      await jsm.streams.add({
        name: shape.name,
        subjects: shape.subjects,
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        num_replicas: shape.replicas,
        max_age: 30 * 24 * 3600 * 1e9,
        duplicate_window: 10 * 60 * 1e9,
      });
      if (shape.replicas > 1) log.log(`created stream ${shape.name} with ${shape.replicas} replicas`);
      return;
    } catch (error) {
      // Another app created it between our look and our add: bring that one up to date instead.
      existing = await jsm.streams.info(shape.name).catch(() => undefined);
      if (!existing) throw new Error(`cannot create stream ${shape.name} with ${shape.replicas} replica(s) (NATS_STREAM_REPLICAS): ${(error as Error).message}`);
    }
  }
  existing = await addMissingSubjects(jsm, existing, shape.subjects);
  await adjustReplicas(jsm, existing, shape, log);
}

async function addMissingSubjects(jsm: JetStreamManager, existing: StreamInfo, subjects: string[]): Promise<StreamInfo> {
  const missing = subjects.filter((s) => !existing.config.subjects?.includes(s));
  if (missing.length === 0) return existing;
  return jsm.streams.update(existing.config.name, { subjects: [...(existing.config.subjects ?? []), ...missing] });
}

/**
 * A failed raise (a cluster with fewer servers than asked for) is logged, not thrown: the stream
 * still holds and serves every event, and stopping the relay and consumers over it would.
 */
async function adjustReplicas(jsm: JetStreamManager, existing: StreamInfo, shape: EventStreamShape, log: StreamLog): Promise<void> {
  const change = replicaChange(existing.config.num_replicas, shape.replicas);
  if (change.kind === 'more-than-wanted') {
    log.warn(`stream ${shape.name} has ${change.current} replicas, NATS_STREAM_REPLICAS asks for ${change.wanted}: left at ${change.current} (lower it by hand if that is meant)`);
  } else if (change.kind === 'raise') {
    try {
      await jsm.streams.update(shape.name, { num_replicas: change.to });
      log.log(`raised stream ${shape.name} from ${change.from} to ${change.to} replicas (NATS_STREAM_REPLICAS); its durable consumers follow`);
    } catch (error) {
      log.error(`cannot raise stream ${shape.name} from ${change.from} to ${change.to} replicas (NATS_STREAM_REPLICAS): ${(error as Error).message}; it keeps ${change.from}`);
    }
  }
}
