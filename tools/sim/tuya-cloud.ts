// npm run sim:tuya — a fake Tuya Cloud (personnel-card OpenAPI) for tuya-bridge to sync from,
// without a Tuya account. Options: --port N (default 3105; 0 picks a free one), --persons N
// (default 25), --cards N per person (default 2), --project ID (default sim-project-1),
// --token-ttl S (default 7200), --page-size-max N (default 100). Credentials: TUYA_CLIENT_ID /
// TUYA_CLIENT_SECRET when set, else fixed development values. The first line printed is
// `tuya-cloud fake listening on <url>`; then the variables that point tuya-bridge at it.
// Its control API (seed data, freeze cards, fail on command) is described in tuya/control-api.ts.
import { FakeTuyaCloud } from './tuya/fake-tuya-cloud';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

function count(name: string, fallback: number, min = 0): number {
  const value = Number(option(name, String(fallback)));
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer of at least ${min}`);
  return value;
}

async function main(): Promise<void> {
  const clientId = process.env.TUYA_CLIENT_ID ?? 'onecardsimclient0001';
  const secret = process.env.TUYA_CLIENT_SECRET ?? 'onecard-sim-secret-0123456789abc';
  const projectId = option('project', 'sim-project-1');
  const fake = new FakeTuyaCloud({ clientId, secret, tokenTtlS: count('token-ttl', 7200, 1), maxPageSize: count('page-size-max', 100, 1) });
  fake.store.seed({ projectId, persons: count('persons', 25), cardsPerPerson: count('cards', 2), disabledEvery: 10, frozenEvery: 7 });
  const url = await fake.start(count('port', 3105), option('host', '127.0.0.1'));
  process.stdout.write(`tuya-cloud fake listening on ${url}\n`);
  process.stdout.write(
    [
      `project ${projectId}: ${JSON.stringify(fake.store.counts()[projectId])}`,
      'point tuya-bridge at it (e.g. before `npm start`):',
      // A development secret is printed; one from the environment is not.
      `  TUYA_ENDPOINT=${url} TUYA_CLIENT_ID=${clientId} TUYA_CLIENT_SECRET=${process.env.TUYA_CLIENT_SECRET ? '"$TUYA_CLIENT_SECRET"' : secret} TUYA_PROJECT_IDS=${projectId}`,
      `freeze a card:  curl -X PUT ${url}/control/projects/${projectId}/cards/1567452642714001 -d '{"cardStatus":2}'`,
      `Tuya down:      curl -X POST ${url}/control/outage -d '{"mode":"http-503"}'   (and '{"mode":"off"}')`,
      `what it saw:    curl ${url}/control/requests`,
      '',
    ].join('\n'),
  );
  const stop = () => void fake.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`sim:tuya: ${(error as Error).message}\n`);
  process.exit(1);
});
