import { ConfigError, type NodeId } from "@faultline/core";

/** Where each key lives: a partitioning scheme's lookup, as a function. */
export type Placement = (key: string) => NodeId;

/** What one membership change (or split) did to a key set: how many keys changed owner, and to whom. */
export interface RebalanceReport {
  /** Keys looked at. */
  keys: number;
  /** Keys whose owner changed. */
  moved: number;
  /** moved / keys (0 for no keys). */
  movedFraction: number;
  /** Moved keys by the pair of owners "from->to", in name order. */
  byMove: Record<string, number>;
}

/** The most keys one report or balance measurement takes: a bound. */
export const MAX_MEASURED_KEYS = 10_000_000;

/** Compares where `keys` live before and after a change. */
export function keysMoved(keys: readonly string[], before: Placement, after: Placement): RebalanceReport {
  checkKeys(keys, "keysMoved.keys");
  const byMove = new Map<string, number>();
  let moved = 0;
  for (const key of keys) {
    const from = before(key);
    const to = after(key);
    if (from === to) continue;
    moved++;
    const pair = `${from}->${to}`;
    byMove.set(pair, (byMove.get(pair) ?? 0) + 1);
  }
  const sorted = [...byMove].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { keys: keys.length, moved, movedFraction: keys.length === 0 ? 0 : moved / keys.length, byMove: Object.fromEntries(sorted) };
}

/** How evenly a key set spreads over nodes: keys per node, and the most loaded node against the mean. */
export interface LoadBalance {
  /** Keys per node, for every node given (0 for a node that got none), in name order. */
  perNode: Record<NodeId, number>;
  max: number;
  mean: number;
  /** max / mean: 1 is perfect balance. */
  maxOverMean: number;
}

/** Counts the keys each of `nodes` owns under `placement`. */
export function loadBalance(keys: readonly string[], nodes: readonly NodeId[], placement: Placement): LoadBalance {
  checkKeys(keys, "loadBalance.keys");
  if (nodes.length === 0) throw new ConfigError("loadBalance.nodes", "must name at least one node", nodes);
  const counts = new Map<NodeId, number>([...nodes].sort().map((n) => [n, 0]));
  for (const key of keys) {
    const owner = placement(key);
    if (!counts.has(owner)) throw new ConfigError("loadBalance.placement", `placed a key on ${owner}, which is not among the nodes given`, key);
    counts.set(owner, counts.get(owner)! + 1);
  }
  const max = Math.max(...counts.values());
  const mean = keys.length / nodes.length;
  return { perNode: Object.fromEntries(counts), max, mean, maxOverMean: mean === 0 ? 1 : max / mean };
}

function checkKeys(keys: readonly string[], field: string): void {
  if (!Array.isArray(keys)) throw new ConfigError(field, "must be an array of keys", keys);
  if (keys.length > MAX_MEASURED_KEYS) throw new ConfigError(field, `may hold at most ${MAX_MEASURED_KEYS} keys`, keys.length);
}
