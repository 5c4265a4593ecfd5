import { EntityManager } from 'typeorm';

/**
 * Serialises the transactions that stamp sync versions (authorisation.version, from
 * sync_version_seq). Taken before the first nextval and held to commit, so a version is never
 * visible before every smaller one: a terminal's cursor cannot pass a change that commits late.
 * Such changes are the platform's calls and card events, a few per second at most. Take it
 * FIRST in the transaction, before any other row lock, so two of them cannot deadlock.
 */
export async function lockSyncClock(manager: EntityManager): Promise<void> {
  await manager.query(`SELECT 1 FROM sync_clock WHERE id = 1 FOR UPDATE`);
}

/** SQL for the next version, inside a transaction holding the sync clock. */
export const NEXT_VERSION = `nextval('sync_version_seq')`;
