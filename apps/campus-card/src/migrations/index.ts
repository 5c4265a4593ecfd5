import { CampusCard1734000000000 } from './1734000000000-campus-card';
import { LoginLockout1734000000001 } from './1734000000001-login-lockout';

/** campus-card's committed migrations, oldest first. A landed migration is never edited. */
export const migrations: Array<new () => unknown> = [CampusCard1734000000000, LoginLockout1734000000001];
