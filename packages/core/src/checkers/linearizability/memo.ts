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

  /** A 53-bit number usable as an exact Map key. */
  hash(): number {
    return (this.hashHigh >>> 0) * 0x200000 + (this.hashLow & 0x1fffff);
  }
}

/** One remembered configuration: the linearized set and the state it led to. */
interface Seen {
  words: Uint32Array;
  state: StateKey;
}

/**
 * Lowe's memo: configurations (linearized set, model state) already explored. Reaching one again cannot
 * lead anywhere new, so the search skips it. Buckets are keyed by the bitset hash; equality is exact.
 */
export class ConfigurationCache {
  private readonly buckets = new Map<number, Seen[]>();
  size = 0;

  /** Adds the configuration; returns false when it was already present. */
  add(bits: OpBitset, state: StateKey): boolean {
    const hash = bits.hash();
    let bucket = this.buckets.get(hash);
    if (bucket === undefined) {
      bucket = [];
      this.buckets.set(hash, bucket);
    } else {
      for (const seen of bucket) {
        if (seen.state === state && sameWords(seen.words, bits.words)) return false;
      }
    }
    bucket.push({ words: bits.words.slice(), state });
    this.size++;
    return true;
  }
}

function sameWords(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
