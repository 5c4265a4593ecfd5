import { Get, Inject, Logger } from '@nestjs/common';
import { APP_DEFINITION } from '@onecard/kernel';
import type { OneCardAppDefinition } from '@onecard/kernel';
import { AdminController } from '../http/controllers';
import { BacklogItem, BacklogSources, readSource } from './backlog-sources';
import { PlatformBacklog } from './platform-backlog';

/**
 * Operators: the app's pending work in one answer, the same shape in every app — the platform's
 * (`outbox`, `events_pending`, `event_dead_letters`) first, then the app's own sources.
 */
@AdminController('backlog')
export class BacklogAdminController {
  private readonly logger = new Logger('backlog');

  constructor(
    private readonly platform: PlatformBacklog,
    private readonly sources: BacklogSources,
    @Inject(APP_DEFINITION) private readonly definition: OneCardAppDefinition,
  ) {}

  @Get()
  async summary(): Promise<{ app: string; checkedAt: string; items: BacklogItem[] }> {
    const now = Date.now();
    const platform = await Promise.all([
      readSource('outbox', 'app', () => this.platform.outbox(), now, this.logger),
      readSource('events_pending', 'app', () => this.platform.eventsPending(), now, this.logger),
      readSource('event_dead_letters', 'app', () => this.platform.deadLetters(), now, this.logger),
    ]);
    return { app: this.definition.name, checkedAt: new Date(now).toISOString(), items: [...platform, ...(await this.sources.run(now))] };
  }
}
