import { PersonnelStore1734100000000 } from './1734100000000-personnel-store';

/** tuya-bridge's committed migrations, oldest first. A landed migration is never edited. */
export const migrations: Array<new () => unknown> = [PersonnelStore1734100000000];
