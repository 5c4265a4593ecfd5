import { AppName, APP_NAMES } from '@onecard/contracts';
import { AppLogger } from '@onecard/kernel';
import { OutboundHttp } from '@onecard/platform';
import { OperatorConsoleConfig } from '../config';
import { ConsoleError } from '../http/console-error';
import { AdminClient } from './admin-client';

/** Whether one app answered a view's reads; the view still shows what the others answered. */
export interface SourceStatus {
  app: AppName;
  ok: boolean;
  /** Why not (`wage-attendance did not answer`), null when it answered. */
  error: string | null;
}

export interface Gathered<T> {
  sources: SourceStatus[];
  /** What each app that answered gave, in the order asked. */
  answers: Array<{ app: AppName; value: T }>;
}

/** The five apps' /admin APIs, one client each. */
export class AdminApis {
  private readonly clients: Record<AppName, AdminClient>;
  /** Pages of 1,000 read at most per list. */
  readonly maxPages: number;

  constructor(
    config: OperatorConsoleConfig,
    outbound: OutboundHttp,
    private readonly logger: AppLogger,
  ) {
    this.maxPages = config.CONSOLE_MAX_PAGES;
    const urls = config.appUrls();
    this.clients = Object.fromEntries(
      APP_NAMES.map((app) => [app, new AdminClient(app, urls[app], config.ADMIN_TOKEN, outbound, config.CONSOLE_UPSTREAM_TIMEOUT_MS)]),
    ) as Record<AppName, AdminClient>;
  }

  of(app: AppName): AdminClient {
    return this.clients[app];
  }

  /** Runs `read` against each app at once; an app that fails is a source with `ok: false`. */
  async gather<T>(apps: readonly AppName[], read: (client: AdminClient) => Promise<T>): Promise<Gathered<T>> {
    const settled = await Promise.allSettled(apps.map((app) => read(this.clients[app])));
    const sources: SourceStatus[] = [];
    const answers: Gathered<T>['answers'] = [];
    settled.forEach((result, i) => {
      const app = apps[i];
      if (result.status === 'fulfilled') {
        sources.push({ app, ok: true, error: null });
        answers.push({ app, value: result.value });
      } else {
        // A console bug is not the app's fault, but the view still shows the rest; its words stay in the log.
        if (!(result.reason instanceof ConsoleError)) this.logger.error({ app, err: (result.reason as Error)?.message }, 'reading an app failed');
        const error = result.reason instanceof ConsoleError ? result.reason.message : `${app}: could not be read`;
        sources.push({ app, ok: false, error });
      }
    });
    return { sources, answers };
  }
}
