import { APP_NAMES, AppName } from '@onecard/contracts';
import { ConsoleError, ConsoleErrorCode } from '../http/console-error';
import { AdminClient, OffsetPage } from '../upstream/admin-client';
import { AdminApis, SourceStatus } from '../upstream/admin-apis';
import { CardIssue, DeadCallback, DeadLetter, DeadLetterKind, DeadRow, PlatformDeadLetter } from './dead-letter';
import { callbackLetter, cardIssueLetter, deadRowLetter, eventLetter } from './dead-letters.normalise';

export interface DeadLettersView {
  sources: SourceStatus[];
  /** Per app (in the apps' order): its event dead letters, then its own kinds; each list newest first, its first PAGE. */
  items: DeadLetter[];
}

export interface ReplayResult {
  app: AppName;
  kind: DeadLetterKind;
  id: string;
  /** The app's answer to its replay call, without its envelope. */
  result: unknown;
}

/** Letters read per list: the newest; `/admin/backlog` counts them all. */
const PAGE = 100;

type KeysetPage<T> = { items: T[]; limit: number; next: string | null };

/** Where each kind lives and how it is replayed (docs/ADMIN-API.md). */
const REPLAY: Record<DeadLetterKind, { apps: readonly AppName[]; path?: (id: string) => string }> = {
  event: { apps: APP_NAMES, path: (id) => `/admin/events/${id}/replay` },
  callback: { apps: ['wage-attendance'], path: (id) => `/admin/callbacks/${id}/replay` },
  'card-issue': { apps: ['campus-card'], path: (id) => `/admin/card-issues/${id}/retry` },
  'dead-row': { apps: ['transit-validation'] },
};

export class DeadLettersService {
  constructor(private readonly apis: AdminApis) {}

  async deadLetters(): Promise<DeadLettersView> {
    const { sources, answers } = await this.apis.gather(APP_NAMES, (client) => this.read(client));
    return { sources, items: answers.flatMap((a) => a.value) };
  }

  async replay(app: AppName, kind: DeadLetterKind, id: string): Promise<ReplayResult> {
    const route = REPLAY[kind];
    if (!route.apps.includes(app)) throw new ConsoleError(ConsoleErrorCode.NOT_FOUND, `kind: ${app} keeps no ${kind} letters`);
    if (!route.path) throw new ConsoleError(ConsoleErrorCode.BAD_REQUEST, `kind: a ${kind} cannot be replayed (the app has no replay for it)`);
    const result = await this.apis.of(app).post<unknown>(route.path(encodeURIComponent(id)));
    return { app, kind, id, result };
  }

  private async read(client: AdminClient): Promise<DeadLetter[]> {
    const events = client.get<OffsetPage<PlatformDeadLetter>>('/admin/events', { status: 'dead', limit: PAGE }).then((p) => p.items.map((l) => eventLetter(client.app, l)));
    const own = this.ownKinds(client);
    return (await Promise.all([events, own])).flat();
  }

  private async ownKinds(client: AdminClient): Promise<DeadLetter[]> {
    switch (client.app) {
      case 'wage-attendance':
        return (await client.get<KeysetPage<DeadCallback>>('/admin/callbacks', { status: 'dead', limit: PAGE })).items.map(callbackLetter);
      case 'campus-card':
        return (await client.get<OffsetPage<CardIssue>>('/admin/card-issues', { status: 'open', limit: PAGE })).items.map(cardIssueLetter);
      case 'transit-validation':
        return (await client.get<KeysetPage<DeadRow>>('/admin/dead-rows', { limit: PAGE })).items.map(deadRowLetter);
      default:
        return [];
    }
  }
}
