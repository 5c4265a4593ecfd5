import { Logger } from '@nestjs/common';
import type { DataSource, QueryRunner } from 'typeorm';
import { unboundedQueryRunner } from '../database/app-pg-client';
import type { SealedColumn, SealingKeySetting } from '@onecard/kernel';
import { StartupError } from '@onecard/kernel';
import type { SealingKeys } from './sealing-keys';
import { SealedWithOtherKeyError, SecretBox } from './secret-box';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
/** Values re-sealed per UPDATE. */
const CHUNK = 1000;

interface Resealed {
  old: string;
  new: string;
}

interface Findings {
  /** Per column: values that opened but are not sealed with the newest key in today's format. */
  reseal: Map<SealedColumn, Resealed[]>;
  /** Per column: values no configured key opens. */
  unopenable: Map<SealedColumn, number>;
  /** Keys named by the values that did not open (undefined: a legacy value, which names none). */
  foreign: Set<string | undefined>;
}

/**
 * Start-up check of every sealing key setting against what the schema holds, run once the
 * migrations are done and before any feature starts (DatabaseModule):
 * - values no configured key opens stop start-up with a StartupError naming the variable (and
 *   nothing in the schema is changed);
 * - values sealed with an older listed key, or in the legacy format, are re-sealed with the
 *   newest key here, at boot, in one transaction per setting (a compare-and-set per value, so a
 *   secret rotated meanwhile by another replica is not overwritten), so after one boot with
 *   "new,old" nothing needs old any more;
 * - the schema's `sealing_key` table then records the newest key's fingerprint.
 * Replicas starting together take turns under an advisory lock.
 */
export async function checkSealedData(db: DataSource, schema: string, keys: SealingKeys, logger = new Logger('sealing-keys')): Promise<void> {
  if (keys.settings.length === 0) return;
  // Boot-time work under a lock other replicas wait for: not bounded like a request's statements.
  const runner = await unboundedQueryRunner(db);
  try {
    await runner.query(`SELECT pg_advisory_lock(hashtext($1))`, [`onecard-sealing:${schema}`]);
    try {
      for (const setting of keys.settings) await checkSetting(runner, schema, setting, keys, logger);
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`onecard-sealing:${schema}`]);
    }
  } finally {
    await runner.release();
  }
}

async function checkSetting(runner: QueryRunner, schema: string, setting: SealingKeySetting, keys: SealingKeys, logger: Logger): Promise<void> {
  const { variable } = setting;
  const box = keys.box(variable);
  const recorded: string[] = (await runner.query(`SELECT fingerprint FROM sealing_key WHERE variable = $1 ORDER BY recorded_at`, [variable])).map(
    (r: { fingerprint: string }) => r.fingerprint,
  );
  const findings = await inspect(runner, setting, box);
  if (findings.unopenable.size > 0) {
    throw new StartupError(variable, refusal(schema, variable, box, keys.isConfigured(variable), findings, recorded));
  }
  const resealed = [...findings.reseal.values()].reduce((n, rows) => n + rows.length, 0);
  const upToDate = recorded.length === 1 && recorded[0] === box.sealingFingerprint;
  if (resealed === 0 && upToDate) return tellAboutSpareKeys(logger, variable, box);

  await runner.startTransaction();
  try {
    for (const [column, rows] of findings.reseal) {
      for (let i = 0; i < rows.length; i += CHUNK) {
        await runner.query(
          `UPDATE "${column.table}" AS t SET "${column.column}" = v.new FROM json_to_recordset($1::json) AS v(old text, new text) WHERE t."${column.column}" = v.old`,
          [JSON.stringify(rows.slice(i, i + CHUNK))],
        );
      }
    }
    await runner.query(`DELETE FROM sealing_key WHERE variable = $1 AND fingerprint <> $2`, [variable, box.sealingFingerprint]);
    await runner.query(`INSERT INTO sealing_key (variable, fingerprint) VALUES ($1, $2) ON CONFLICT (variable, fingerprint) DO NOTHING`, [variable, box.sealingFingerprint]);
    await runner.commitTransaction();
  } catch (error) {
    await runner.rollbackTransaction();
    throw error;
  }
  if (resealed === 0) return tellAboutSpareKeys(logger, variable, box);
  const counts = [...findings.reseal].filter(([, rows]) => rows.length > 0).map(([column, rows]) => [column, rows.length] as const);
  const older = box.fingerprints.slice(1);
  logger.log(
    `${variable}: re-sealed ${countPhrase(counts)} with key fp ${box.sealingFingerprint}` +
      (older.length > 0 ? `; nothing is sealed with fp ${older.join(', ')} any more: drop ${older.length === 1 ? 'it' : 'them'} from ${variable} once every replica runs with this list` : ''),
  );
}

/** Every value of the setting's columns not sealed with the newest key, opened or counted as unopenable. */
async function inspect(runner: QueryRunner, setting: SealingKeySetting, box: SecretBox): Promise<Findings> {
  const findings: Findings = { reseal: new Map(), unopenable: new Map(), foreign: new Set() };
  for (const column of setting.sealed) {
    if (!IDENTIFIER.test(column.table) || !IDENTIFIER.test(column.column)) throw new Error(`sealed column ${column.table}.${column.column}: not a plain identifier`);
    const rows: Array<{ sealed: string }> = await runner.query(
      `SELECT "${column.column}" AS sealed FROM "${column.table}" WHERE "${column.column}" NOT LIKE $1`,
      [`${box.currentPrefix}%`],
    );
    const reseal: Resealed[] = [];
    let unopenable = 0;
    for (const { sealed } of rows) {
      try {
        reseal.push({ old: sealed, new: box.seal(box.open(sealed)) });
      } catch (error) {
        unopenable++;
        findings.foreign.add(error instanceof SealedWithOtherKeyError ? error.fingerprint : undefined);
      }
    }
    findings.reseal.set(column, reseal);
    if (unopenable > 0) findings.unopenable.set(column, unopenable);
  }
  return findings;
}

/** The one line start-up stops with: what cannot be opened, with which key it was sealed, what to do. */
function refusal(schema: string, variable: string, box: SecretBox, configured: boolean, findings: Findings, recorded: string[]): string {
  const named = [...findings.foreign].filter((fp): fp is string => fp !== undefined);
  // A legacy value names no key: the fingerprints on record (not configured) are the best guess.
  if (findings.foreign.has(undefined)) named.push(...recorded.filter((fp) => !box.fingerprints.includes(fp) && !named.includes(fp)));
  const sealedWith = named.length > 0 ? `sealed with key fp ${named.join(', ')}` : 'sealed with a key not on record';
  const ours = configured
    ? `${variable} holds key fp ${box.fingerprints.join(', ')}`
    : `${variable} is unset and the development key derived from ADMIN_TOKEN is fp ${box.sealingFingerprint}`;
  return (
    `${variable} cannot open the ${countPhrase([...findings.unopenable])} sealed in schema ${schema} (${sealedWith}; ${ours}): ` +
    `set ${configured ? 'it' : variable} to the key they were sealed with, or list that key after the new one to rotate (${variable}=<new key>,<old key>)`
  );
}

function tellAboutSpareKeys(logger: Logger, variable: string, box: SecretBox): void {
  if (box.fingerprints.length < 2) return;
  logger.log(`${variable}: everything is sealed with its first key (fp ${box.sealingFingerprint}); fp ${box.fingerprints.slice(1).join(', ')} may be dropped once every replica runs with the new key first`);
}

/** "12 device secrets and 1 QR private key". */
function countPhrase(counts: ReadonlyArray<readonly [SealedColumn, number]>): string {
  const parts = counts.map(([column, n]) => `${n} ${column.what}${n === 1 ? '' : 's'}`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0];
}
