/**
 * Card number → small integer, kept in typed arrays (open addressing, linear probing) rather
 * than a Map: a Map of a million cards is a million strings in V8's old generation, which every
 * full collection marks, and those pauses (10–36 ms) were the tail of card_check's latency.
 * Typed arrays are not traced, so the collector's work no longer grows with the whitelist.
 *
 * Keys are stored as UTF-16 code units in one arena; deleted entries leave a tombstone in the
 * slot table and dead bytes in the arena, both reclaimed when the table is rebuilt.
 */
export class CardTable {
  /** Per slot: entry index + 1; EMPTY or TOMBSTONE otherwise. Capacity is a power of two. */
  private slots: Int32Array;
  private mask: number;
  private tombstones = 0;
  /** Per entry (index = insertion order). */
  private offsets: Int32Array;
  private lengths: Int32Array;
  private hashes: Int32Array;
  private values: Int32Array;
  private entries = 0;
  private arena: Uint16Array;
  private arenaUsed = 0;
  private live = 0;

  /** `expected` entries (and `keyUnits` code units of keys in all) fit without growing. */
  constructor(expected = 16, keyUnits = expected * 16) {
    const capacity = capacityFor(expected);
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    const entries = Math.max(8, expected);
    this.offsets = new Int32Array(entries);
    this.lengths = new Int32Array(entries);
    this.hashes = new Int32Array(entries);
    this.values = new Int32Array(entries);
    this.arena = new Uint16Array(Math.max(64, keyUnits));
  }

  get size(): number {
    return this.live;
  }

  get(key: string): number | undefined {
    const slot = this.find(key, hashOf(key));
    return slot < 0 ? undefined : this.values[this.slots[slot] - 1];
  }

  set(key: string, value: number): void {
    const hash = hashOf(key);
    const found = this.find(key, hash);
    if (found >= 0) {
      this.values[this.slots[found] - 1] = value;
      return;
    }
    if ((this.live + this.tombstones + 1) * 2 > this.slots.length) this.rebuild(this.live + 1);
    const entry = this.append(key, hash, value);
    let i = hash & this.mask;
    while (this.slots[i] > 0) i = (i + 1) & this.mask;
    if (this.slots[i] === TOMBSTONE) this.tombstones--;
    this.slots[i] = entry + 1;
    this.live++;
  }

  delete(key: string): boolean {
    const slot = this.find(key, hashOf(key));
    if (slot < 0) return false;
    this.slots[slot] = TOMBSTONE;
    this.tombstones++;
    this.live--;
    return true;
  }

  /** The slot holding `key`, or -1. */
  private find(key: string, hash: number): number {
    const { slots, hashes, mask } = this;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const s = slots[i];
      if (s === EMPTY) return -1;
      if (s > 0 && hashes[s - 1] === hash && this.keyEquals(s - 1, key)) return i;
    }
  }

  private keyEquals(entry: number, key: string): boolean {
    const length = this.lengths[entry];
    if (length !== key.length) return false;
    const offset = this.offsets[entry];
    const arena = this.arena;
    for (let k = 0; k < length; k++) if (arena[offset + k] !== key.charCodeAt(k)) return false;
    return true;
  }

  private append(key: string, hash: number, value: number): number {
    if (this.entries === this.offsets.length) {
      const grown = this.offsets.length * 2;
      this.offsets = grow(this.offsets, grown);
      this.lengths = grow(this.lengths, grown);
      this.hashes = grow(this.hashes, grown);
      this.values = grow(this.values, grown);
    }
    if (this.arenaUsed + key.length > this.arena.length) {
      const arena = new Uint16Array(Math.max(this.arena.length * 2, this.arenaUsed + key.length));
      arena.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = arena;
    }
    for (let k = 0; k < key.length; k++) this.arena[this.arenaUsed + k] = key.charCodeAt(k);
    const entry = this.entries++;
    this.offsets[entry] = this.arenaUsed;
    this.lengths[entry] = key.length;
    this.hashes[entry] = hash;
    this.values[entry] = value;
    this.arenaUsed += key.length;
    return entry;
  }

  /** A fresh table with room for twice `need` entries: live entries only, in their order, no tombstones. */
  private rebuild(need: number): void {
    const live = new Uint8Array(this.entries);
    let units = 0;
    for (const s of this.slots) {
      if (s > 0) {
        live[s - 1] = 1;
        units += this.lengths[s - 1];
      }
    }
    const room = Math.max(need, this.live) * 2;
    const next = new CardTable(room, Math.ceil((units / Math.max(this.live, 1)) * room));
    for (let e = 0; e < this.entries; e++) {
      if (!live[e]) continue;
      const offset = this.offsets[e];
      next.insertFresh(this.arena.subarray(offset, offset + this.lengths[e]), this.hashes[e], this.values[e]);
    }
    this.slots = next.slots;
    this.mask = next.mask;
    this.tombstones = 0;
    this.offsets = next.offsets;
    this.lengths = next.lengths;
    this.hashes = next.hashes;
    this.values = next.values;
    this.entries = next.entries;
    this.arena = next.arena;
    this.arenaUsed = next.arenaUsed;
    this.live = next.live;
  }

  /** Rebuild's insert: the key is known absent and room is known to be there. */
  private insertFresh(units: Uint16Array, hash: number, value: number): void {
    const entry = this.entries++;
    this.offsets[entry] = this.arenaUsed;
    this.lengths[entry] = units.length;
    this.hashes[entry] = hash;
    this.values[entry] = value;
    this.arena.set(units, this.arenaUsed);
    this.arenaUsed += units.length;
    let i = hash & this.mask;
    while (this.slots[i] !== EMPTY) i = (i + 1) & this.mask;
    this.slots[i] = entry + 1;
    this.live++;
  }
}

const EMPTY = 0;
const TOMBSTONE = -1;

/** Slots for `expected` entries at a load factor of at most 1/2. */
function capacityFor(expected: number): number {
  let capacity = 16;
  while (capacity < expected * 2) capacity *= 2;
  return capacity;
}

function grow<T extends Int32Array>(array: T, length: number): T {
  const out = new Int32Array(length) as T;
  out.set(array);
  return out;
}

/** FNV-1a over the UTF-16 code units, then a final mix so linear probing sees spread-out low bits. */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < key.length; k++) h = Math.imul(h ^ key.charCodeAt(k), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}
