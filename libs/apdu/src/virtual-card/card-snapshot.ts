import { createHash } from 'node:crypto';
import { toHex } from '../bytes';
import { DedicatedFile, dfLabel } from './card-state';

/**
 * Everything on a card that survives a power cycle (files, their contents, keys and their retry
 * counters), as plain JSON, so that two cards can be compared with one `toEqual`. Key values are
 * SHA-256 fingerprints: equal keys compare equal, and a failing test never prints a key.
 */
export interface CardSnapshot {
  dfs: DfSnapshot[];
}

export interface DfSnapshot {
  /** "MF" or the DF name (AID) in hex. */
  name: string;
  fid: string;
  keys: Array<{ id: number; type: number; algorithmId: number; maxTries: number; triesLeft: number; fingerprint: string }> | null;
  efs: Array<{ fid: string; size: number; macOnWrite: boolean; data: string }>;
}

function fid(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

function dfSnapshot(df: DedicatedFile): DfSnapshot {
  const keys = df.keys
    ? [...df.keys.values()]
        .sort((a, b) => a.id - b.id)
        .map((k) => ({
          id: k.id, type: k.type, algorithmId: k.algorithmId, maxTries: k.maxTries, triesLeft: k.triesLeft,
          fingerprint: createHash('sha256').update(k.value).digest('hex').slice(0, 16),
        }))
    : null;
  const efs = [...df.efs.values()]
    .sort((a, b) => a.fid - b.fid)
    .map((ef) => ({ fid: fid(ef.fid), size: ef.size, macOnWrite: ef.macOnWrite, data: toHex(ef.data) }));
  return { name: dfLabel(df), fid: fid(df.fid), keys, efs };
}

/** Depth first, children in creation order. */
export function snapshotOf(mf: DedicatedFile): CardSnapshot {
  const dfs: DfSnapshot[] = [];
  const walk = (df: DedicatedFile) => {
    dfs.push(dfSnapshot(df));
    df.children.forEach(walk);
  };
  walk(mf);
  return { dfs };
}
