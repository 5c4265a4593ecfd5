import { Injectable, Logger } from '@nestjs/common';

/** What an app's indicator reports; `detail` is shown beside its status (never put secrets in it). */
export interface IndicatorState {
  up: boolean;
  detail?: Record<string, unknown>;
}

export interface IndicatorOptions {
  /**
   * Down means the app cannot do its job: /health/ready answers 503 (an orchestrator stops
   * sending it traffic). Otherwise, the default, down makes it "degraded": still ready, but /health
   * answers 503 naming it, for monitoring.
   */
  critical?: boolean;
}

export interface IndicatorResult extends IndicatorState {
  name: string;
  critical: boolean;
}

const PLATFORM_CHECKS = new Set(['database', 'nats', 'outbox_relay']);
const CHECK_TIMEOUT_MS = 1500;

/**
 * An app's own health checks beside the platform's (database, NATS, outbox relay), e.g.
 * tuya-bridge's last good sync: `indicators.register('tuya_sync', () => ({ up: fresh, detail: { lastSync } }))`
 * from a provider's constructor. Each runs on every /health and /health/ready call, so it should
 * read state the app keeps, not do I/O of its own; one slower than 1.5 s, or throwing, is down.
 */
@Injectable()
export class HealthIndicators {
  private readonly logger = new Logger('health');
  private readonly checks = new Map<string, { check: () => IndicatorState | Promise<IndicatorState>; critical: boolean }>();

  register(name: string, check: () => IndicatorState | Promise<IndicatorState>, options: IndicatorOptions = {}): void {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`health indicator "${name}": use lowercase letters, digits and _`);
    if (PLATFORM_CHECKS.has(name) || this.checks.has(name)) throw new Error(`health indicator "${name}" is already registered`);
    this.checks.set(name, { check, critical: options.critical === true });
  }

  /** Every registered indicator's state, in registration order. */
  run(): Promise<IndicatorResult[]> {
    return Promise.all([...this.checks].map(([name, { check, critical }]) => this.runOne(name, check, critical)));
  }

  private async runOne(name: string, check: () => IndicatorState | Promise<IndicatorState>, critical: boolean): Promise<IndicatorResult> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const late = new Promise<IndicatorState>((resolve) => {
        timer = setTimeout(() => resolve({ up: false, detail: { message: `no answer within ${CHECK_TIMEOUT_MS} ms` } }), CHECK_TIMEOUT_MS);
      });
      const state = await Promise.race([Promise.resolve().then(check), late]);
      return { name, critical, up: state.up === true, detail: state.detail };
    } catch (error) {
      // The error's message may say more than a public endpoint should; it goes to the log.
      this.logger.warn(`health indicator ${name} failed: ${(error as Error)?.message ?? String(error)}`);
      return { name, critical, up: false, detail: { message: 'check failed' } };
    } finally {
      clearTimeout(timer);
    }
  }
}
