import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `npm start` keeps its generated dev values (ADMIN_TOKEN, CARD_MASTER_KEYS …) here. */
export function devSecrets(root: string): Record<string, string> {
  const file = join(root, '.data', 'dev-secrets.json');
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}
