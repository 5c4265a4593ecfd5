import { SealingKeys1733750000000 } from './1733750000000-sealing-keys';

/** The platform's own tables, in every app's schema (TypeORM runs every migration in timestamp order). */
export const PLATFORM_MIGRATIONS = [SealingKeys1733750000000];
