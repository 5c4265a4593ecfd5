/**
 * How whitelist versions travel between server and validator.
 *
 * Every change to any card takes the next value of one Postgres sequence; a card row keeps the
 * version of its last change (removals stay as tombstones). So the server's current version is
 * the highest version of any row, and "what changed since v" is every row with version > v,
 * each in its latest state (a card changed three times since v appears once).
 *
 * The heartbeat carries the device's `version_code_all` (the version of the full list it
 * loaded) and `version_code_add` (the version its incremental updates reached). The answer
 * tells it what to fetch:
 * - `version_code_add` = the server's current version: different from the device's → fetch
 *   the incremental list (type 2).
 * - `version_code_all` = the device's own value echoed while it can still be brought up to date
 *   incrementally, otherwise the current version: different from the device's → fetch the full
 *   list (type 1). Echoing (rather than a fixed "base" version) works whether the firmware
 *   compares versions with `!=` or with `<`.
 */

/** A reported version as a number; undefined for "", garbage or negative values. */
export function parseVersion(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  if (!/^\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}

/** The heartbeat answer's `version_code_all` for a device that reported `reportedAll`. */
export function answerVersionAll(reportedAll: string | undefined, current: number, oldestIncremental = 0): string {
  const v = parseVersion(reportedAll);
  if (v !== undefined && v >= oldestIncremental && v <= current && (v > 0 || current === 0)) return String(v);
  return String(current);
}

export type SinceDecision = { since: number } | { fullListRequired: string };

/**
 * The version an incremental list (type 2) starts after, from what the device last reported:
 * the newer of its `version_code_add` and `version_code_all`. A device that reported nothing
 * usable gets every change (since 0, removals included). A version ahead of the server (its
 * lists came from another database) cannot be diffed: it must reload the full list.
 */
export function incrementalSince(reported: { versionAdd?: string | null; versionAll?: string | null } | undefined, current: number, oldestIncremental = 0): SinceDecision {
  const add = parseVersion(reported?.versionAdd);
  const all = parseVersion(reported?.versionAll);
  const candidates = [add, all].filter((v): v is number => v !== undefined);
  const since = candidates.length ? Math.max(...candidates) : 0;
  if (since > current) return { fullListRequired: `version_code_add: the device reported version ${since}, ahead of the server's ${current}; download the full list (type 1)` };
  if (since < oldestIncremental) return { fullListRequired: `version_code_add: version ${since} is too old for an incremental list; download the full list (type 1)` };
  return { since };
}
