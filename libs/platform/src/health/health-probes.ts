import { Injectable } from '@nestjs/common';

/** Answers undefined while the part it watches is up, else why it is down (shown on /health). */
export type HealthProbe = () => string | undefined;

/**
 * The app's own parts of /health, beside the database, NATS and the outbox relay: a feature that
 * can fail on its own while those are up (a batched writer Postgres keeps refusing, say) registers
 * a probe under a name, and /health answers 503 naming it while it is down.
 */
@Injectable()
export class HealthProbes {
  private readonly probes = new Map<string, HealthProbe>();

  register(name: string, probe: HealthProbe): void {
    if (this.probes.has(name)) throw new Error(`health probe ${name} registered twice`);
    this.probes.set(name, probe);
  }

  entries(): Array<[string, HealthProbe]> {
    return [...this.probes];
  }
}
