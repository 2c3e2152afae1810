import { assert, ConfigError } from "../errors.js";

/** One shard of a sweep: shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** The most shards a sweep may be split into. */
export const MAX_SHARDS = 100_000;

/** Parses a shard spec "k/n" (1 <= k <= n). */
export function parseShard(spec: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(spec.trim());
  if (match === null) throw new ConfigError("shard", 'must look like "k/n", e.g. "2/8"', spec);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (!(count >= 1 && count <= MAX_SHARDS)) throw new ConfigError("shard", `n must be from 1 to ${MAX_SHARDS}`, spec);
  if (!(index >= 1 && index <= count)) throw new ConfigError("shard", "k must be from 1 to n", spec);
  return { index, count };
}

/** A contiguous range of seeds: `seeds` seeds from `from` on. */
export interface SeedRange {
  from: number;
  seeds: number;
}

/**
 * The seeds of one shard: the range [from, from + seeds) cut into `count` contiguous blocks whose sizes
 * differ by at most one; shard k gets block k. The blocks partition the range exactly, so n jobs with
 * shards 1/n .. n/n run every seed once. Exact for every safe-integer range: block k starts at
 * floor((k-1) * seeds / n), computed as (k-1) * q + floor((k-1) * r / n) with seeds = q * n + r, so no
 * product passes 2^53.
 */
export function shardRange(from: number, seeds: number, shard: Shard | undefined): SeedRange {
  if (shard === undefined) return { from, seeds };
  const blockStart = (k: number) => k * Math.floor(seeds / shard.count) + Math.floor((k * (seeds % shard.count)) / shard.count);
  const lo = blockStart(shard.index - 1);
  return { from: from + lo, seeds: blockStart(shard.index) - lo };
}

/** The most seeds one {@link SeedCursor.take} hands out. */
const MAX_TAKE = 1024;

/**
 * Hands out a seed range in order, a few seeds at a time, holding only its position: a sweep of 10^12
 * seeds needs no more memory than one of 10 (a seed list of 10^9 numbers exhausted the heap).
 */
export class SeedCursor {
  private next: number;
  private readonly end: number;

  constructor(range: SeedRange) {
    assert(Number.isSafeInteger(range.from) && Number.isSafeInteger(range.seeds) && range.seeds >= 0, "a seed range is safe integers");
    assert(Number.isSafeInteger(range.from + range.seeds - 1), "a seed range ends within the safe integers");
    this.next = range.from;
    this.end = range.from + range.seeds; // may be 2^53 itself: only compared, never handed out
  }

  /** Seeds not handed out yet. */
  get remaining(): number {
    return this.end - this.next;
  }

  /** The next `count` seeds (fewer at the end of the range, none after it). */
  take(count: number): number[] {
    assert(Number.isInteger(count) && count >= 1 && count <= MAX_TAKE, `take 1 to ${MAX_TAKE} seeds at a time`);
    const n = Math.min(count, this.remaining);
    const seeds = Array.from({ length: n }, (_, i) => this.next + i);
    this.next += n;
    return seeds;
  }
}
