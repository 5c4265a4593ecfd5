/** campus-card's committed migrations, oldest first. A landed migration is never edited. */
export const migrations: Array<new () => unknown> = [];
