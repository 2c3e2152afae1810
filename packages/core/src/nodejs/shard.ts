import { ConfigError } from "../errors.js";

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

/**
 * The seeds of one shard: the range [from, from + seeds) cut into `count` contiguous blocks whose sizes
 * differ by at most one; shard k gets block k. The blocks partition the range exactly, so n jobs with
 * shards 1/n .. n/n run every seed once.
 */
export function shardRange(from: number, seeds: number, shard: Shard | undefined): { from: number; seeds: number } {
  if (shard === undefined) return { from, seeds };
  const lo = Math.floor(((shard.index - 1) * seeds) / shard.count);
  const hi = Math.floor((shard.index * seeds) / shard.count);
  return { from: from + lo, seeds: hi - lo };
}
