import { Injectable, Logger } from '@nestjs/common';

/**
 * What a backlog source reports: how many items wait, and when the oldest of them arrived
 * (null when none waits, or when the source cannot tell). `detail` is shown beside it.
 */
export interface BacklogState {
  pending: number;
  oldestAt?: Date | string | null;
  detail?: Record<string, unknown>;
}

/**
 * `app`: counted in the database (or NATS), the same whichever replica answers. `replica`: kept in
 * this replica's memory (a batch writer's queue): the answer covers only the replica that gave it.
 */
export type BacklogScope = 'app' | 'replica';

/** One line of `GET /admin/backlog`. `pending` is null when the source failed to answer (`error` says why). */
export interface BacklogItem {
  name: string;
  scope: BacklogScope;
  pending: number | null;
  oldestAt: string | null;
  oldestAgeSeconds: number | null;
  error: string | null;
  detail: Record<string, unknown> | null;
}

type BacklogRead = () => BacklogState | Promise<BacklogState>;

/** Thrown by a source that cannot count now, with a message fit to show operators ("NATS is not connected"). */
export class BacklogUnavailable extends Error {}

const NAME = /^[a-z][a-z0-9_]*$/;
const PLATFORM_SOURCES = new Set(['outbox', 'events_pending', 'event_dead_letters']);
const READ_TIMEOUT_MS = 3000;

/**
 * The app's own backlog sources beside the platform's (outbox, consumers, dead letters), for
 * `GET /admin/backlog`: `backlog.register('callbacks', async () => ({ pending, oldestAt }))` from a
 * provider's constructor, as health indicators are registered. A source may query its own
 * tables (an operator call, not a probe); one slower than 3 s, or throwing, is shown with `error`.
 */
@Injectable()
export class BacklogSources {
  private readonly logger = new Logger('backlog');
  private readonly sources = new Map<string, { read: BacklogRead; scope: BacklogScope }>();

  register(name: string, read: BacklogRead, options: { scope?: BacklogScope } = {}): void {
    if (!NAME.test(name) || PLATFORM_SOURCES.has(name)) throw new Error(`backlog source "${name}": use lowercase letters, digits and _, and not a platform source's name`);
    if (this.sources.has(name)) throw new Error(`backlog source "${name}" is already registered`);
    this.sources.set(name, { read, scope: options.scope ?? 'app' });
  }

  /** Every registered source, in registration order. */
  run(now = Date.now()): Promise<BacklogItem[]> {
    return Promise.all([...this.sources].map(([name, { read, scope }]) => readSource(name, scope, read, now, this.logger)));
  }
}

/** Reads one source, bounded in time; a failure is an item with `error`, never a failed answer. */
export async function readSource(name: string, scope: BacklogScope, read: BacklogRead, now: number, logger: Logger): Promise<BacklogItem> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${READ_TIMEOUT_MS} ms`)), READ_TIMEOUT_MS);
    });
    const state = await Promise.race([Promise.resolve().then(read), late]);
    return backlogItem(name, scope, state, now);
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    // The message may name internals; the log has it, the answer says only that it failed.
    logger.warn(`backlog source ${name} failed: ${message}`);
    return { name, scope, pending: null, oldestAt: null, oldestAgeSeconds: null, error: error instanceof BacklogUnavailable || message.startsWith('no answer within') ? message : 'unavailable', detail: null };
  } finally {
    clearTimeout(timer);
  }
}

export function backlogItem(name: string, scope: BacklogScope, state: BacklogState, now: number): BacklogItem {
  const oldest = state.oldestAt === undefined || state.oldestAt === null ? null : new Date(state.oldestAt);
  const valid = oldest !== null && !Number.isNaN(oldest.getTime());
  return {
    name,
    scope,
    pending: state.pending,
    oldestAt: valid ? oldest.toISOString() : null,
    oldestAgeSeconds: valid ? Math.max(0, Math.floor((now - oldest.getTime()) / 1000)) : null,
    error: null,
    detail: state.detail ?? null,
  };
}
