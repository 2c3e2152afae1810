import type { StateKey } from "../model.js";

/**
 * The set of linearized operations as a bitset, with an incrementally maintained Zobrist hash (two 32-bit
 * halves, each operation owning two fixed pseudo-random words), so hashing costs O(1) per flip.
 */
export class OpBitset {
  readonly words: Uint32Array;
  private readonly zobrist: Uint32Array;
  hashHigh = 0;
  hashLow = 0;

  constructor(readonly size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32) || 1);
    this.zobrist = zobristTable(size);
  }

  /** Flips operation `i` in or out of the set. */
  flip(i: number): void {
    this.words[i >>> 5]! ^= 1 << (i & 31);
    this.hashHigh ^= this.zobrist[2 * i]!;
    this.hashLow ^= this.zobrist[2 * i + 1]!;
  }

  /** Whether operation `i` is in the set. */
  has(i: number): boolean {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }
}

/** The most bitset words the memo stores (128 MiB), whatever the history's size. */
export const MAX_MEMO_WORDS = 32 * 1024 * 1024;
/** The most configurations the memo stores. */
export const MAX_MEMO_ENTRIES = 16 * 1024 * 1024;

/**
 * Lowe's memo: configurations (linearized set, model state) already explored. Reaching one again cannot
 * lead anywhere new, so the search skips it. An open-addressing hash table over flat typed arrays: state keys
 * are interned to small integers, bitsets are copied into one word pool, so adding allocates nothing per entry
 * (apart from growth), and equality is exact.
 */
export class ConfigurationCache {
  private readonly wordsPerEntry: number;
  private readonly stateIds = new Map<StateKey, number>();
  private slots = new Int32Array(1 << 12).fill(-1);
  private entryState = new Int32Array(1 << 11);
  /** Each entry's slot hash, kept so growing the table never rehashes bitsets. */
  private entryHash = new Int32Array(1 << 11);
  private entryWords: Uint32Array;
  size = 0;

  constructor(bitsetWords: number) {
    this.wordsPerEntry = bitsetWords;
    this.entryWords = new Uint32Array((1 << 11) * bitsetWords);
  }

  /** Adds the configuration; returns false when it was already present. */
  add(bits: OpBitset, state: StateKey): boolean {
    let stateId = this.stateIds.get(state);
    if (stateId === undefined) this.stateIds.set(state, (stateId = this.stateIds.size));
    const w = this.wordsPerEntry;
    const words = bits.words;
    const mask = this.slots.length - 1;
    const hash = Math.imul(bits.hashHigh ^ Math.imul(stateId + 1, 0x9e3779b1), 0x85ebca6b) ^ bits.hashLow;
    let slot = hash & mask;
    for (;;) {
      const e = this.slots[slot]!;
      if (e < 0) break;
      if (this.entryState[e] === stateId && this.sameAt(e * w, words)) return false;
      slot = (slot + 1) & mask;
    }
    // Memory bound: once full, the memo stops remembering. The search stays correct (the memo only prunes
    // repeats) and stays bounded by its step budget.
    if (this.size >= this.entryState.length && (this.size * 2 * w > MAX_MEMO_WORDS || this.size * 2 > MAX_MEMO_ENTRIES)) return true;
    if (this.size >= this.entryState.length) this.growEntries();
    const e = this.size++;
    this.entryState[e] = stateId;
    this.entryHash[e] = hash;
    this.entryWords.set(words, e * w);
    this.slots[slot] = e;
    if (this.size * 2 > this.slots.length) this.rehash();
    return true;
  }

  private sameAt(offset: number, words: Uint32Array): boolean {
    for (let i = 0; i < words.length; i++) if (this.entryWords[offset + i] !== words[i]) return false;
    return true;
  }

  private growEntries(): void {
    const state = new Int32Array(this.entryState.length * 2);
    state.set(this.entryState);
    this.entryState = state;
    const hashes = new Int32Array(this.entryHash.length * 2);
    hashes.set(this.entryHash);
    this.entryHash = hashes;
    const words = new Uint32Array(this.entryWords.length * 2);
    words.set(this.entryWords);
    this.entryWords = words;
  }

  /** Doubles the slot table and re-inserts every entry by its stored hash. */
  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let e = 0; e < this.size; e++) {
      let slot = this.entryHash[e]! & mask;
      while (slots[slot]! >= 0) slot = (slot + 1) & mask;
      slots[slot] = e;
    }
    this.slots = slots;
  }
}

/** Deterministic per-operation hash words (splitmix32-style), the same for every run. */
function zobristTable(size: number): Uint32Array {
  const table = new Uint32Array(2 * size);
  let x = 0x9e3779b9;
  for (let i = 0; i < table.length; i++) {
    x = (x + 0x6d2b79f5) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    table[i] = (z ^ (z >>> 14)) >>> 0;
  }
  return table;
}
