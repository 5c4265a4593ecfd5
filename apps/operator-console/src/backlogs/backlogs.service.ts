import { APP_NAMES, AppName } from '@onecard/contracts';
import { AdminApis, SourceStatus } from '../upstream/admin-apis';

/** An app's `GET /admin/backlog` as it answers it (docs/ADMIN-API.md, "Backlogs"). */
export interface AppBacklog {
  app: AppName;
  checkedAt: string;
  items: Array<{ name: string; scope: 'app' | 'replica'; pending: number | null; oldestAt: string | null; oldestAgeSeconds: number | null; error: string | null; detail: unknown }>;
}

export interface BacklogsView {
  sources: SourceStatus[];
  /** Each app that answered, in the apps' order, its sources as it listed them. */
  backlogs: AppBacklog[];
}

export class BacklogsService {
  constructor(private readonly apis: AdminApis) {}

  async backlogs(): Promise<BacklogsView> {
    const { sources, answers } = await this.apis.gather(APP_NAMES, (client) => client.get<AppBacklog>('/admin/backlog'));
    return { sources, backlogs: answers.map((a) => a.value) };
  }
}
