import { ConfigError, type NodeId } from "@faultline/core";
import { compareStrings, hash32 } from "./hash.js";
import type { Placement } from "./rebalance.js";

/** One key range `[start, end)` (end null: to the end of the key space) and its owner. */
export interface KeyRange {
  start: string;
  end: string | null;
  node: NodeId;
}

/** A range split: where, and which node took the upper part. */
export interface RangeSplit {
  at: string;
  from: NodeId;
  to: NodeId;
}

/** Options of a {@link RangePartitioner}. */
export interface RangePartitionerOptions {
  /** The nodes (at least one). Ranges are dealt to them round robin, in name order. */
  nodes: readonly NodeId[];
  /** Boundaries between the initial ranges: `n` points make `n + 1` ranges. @defaultValue none (one range) */
  splitPoints?: readonly string[];
  /** Distinct keys remembered per range to choose split points (later new keys still count as load). @defaultValue 4096 */
  maxSampleKeys?: number;
}

interface RangeState extends KeyRange {
  load: number;
  /** Observed keys and their load, for choosing a split point that halves the load. */
  sample: Map<string, number>;
  /**
   * Adaptive sampling (Wegman): a key is sampled when the low `level` bits of its hash are 0; a full sample
   * raises the level and drops the keys that no longer qualify, so the sample stays uniform over the range.
   */
  level: number;
}

/** The most ranges a partitioner holds: a bound on splitting. */
export const MAX_RANGES = 100_000;

/**
 * Range partitioning (Bigtable tablets, HBase regions): keys stay in order, so a range query touches only the
 * ranges that overlap it, and a hot range is split where its observed load halves, its upper part moving to
 * the least-loaded node. Membership changes move whole ranges (splitting one when that balances better).
 */
export class RangePartitioner {
  private ranges: RangeState[];
  private readonly maxSampleKeys: number;
  private readonly nodeSet: Set<NodeId>;

  constructor(options: RangePartitionerOptions) {
    const nodes = [...(options?.nodes ?? [])].sort(compareStrings);
    if (nodes.length === 0) throw new ConfigError("ranges.nodes", "must name at least one node", options?.nodes);
    if (new Set(nodes).size !== nodes.length) throw new ConfigError("ranges.nodes", "must not repeat a node", options.nodes);
    this.maxSampleKeys = options.maxSampleKeys ?? 4096;
    if (!Number.isInteger(this.maxSampleKeys) || this.maxSampleKeys < 2) throw new ConfigError("ranges.maxSampleKeys", "must be an integer >= 2", this.maxSampleKeys);
    const points = [...new Set(options.splitPoints ?? [])].sort(compareStrings).filter((p) => p !== "");
    if (points.length + 1 > MAX_RANGES) throw new ConfigError("ranges.splitPoints", `may make at most ${MAX_RANGES} ranges`, points.length);
    const starts = ["", ...points];
    this.ranges = starts.map((start, i) => ({ start, end: starts[i + 1] ?? null, node: nodes[i % nodes.length]!, load: 0, sample: new Map(), level: 0 }));
    this.nodeSet = new Set(nodes);
  }

  /** Split points at the quantiles of a key sample: `count` ranges of about equal key counts. */
  static quantiles(keys: readonly string[], count: number): string[] {
    if (!Number.isInteger(count) || count < 1) throw new ConfigError("ranges.quantiles.count", "must be an integer >= 1", count);
    const sorted = [...new Set(keys)].sort(compareStrings);
    const out: string[] = [];
    for (let i = 1; i < count; i++) {
      const key = sorted[Math.floor((i * sorted.length) / count)];
      if (key !== undefined && key !== out[out.length - 1]) out.push(key);
    }
    return out;
  }

  /** The nodes, in name order. */
  get nodes(): NodeId[] {
    return [...this.nodeSet].sort(compareStrings);
  }

  /** The ranges in key order (copies). */
  list(): KeyRange[] {
    return this.ranges.map(({ start, end, node }) => ({ start, end, node }));
  }

  /** The load each range has recorded, in key order. */
  loads(): number[] {
    return this.ranges.map((r) => r.load);
  }

  nodeFor(key: string): NodeId {
    return this.ranges[this.indexOf(key)]!.node;
  }

  /** A frozen copy of the current placement (for before/after comparisons). */
  placement(): Placement {
    const copy = new RangePartitioner({ nodes: this.nodes });
    copy.ranges = this.ranges.map((r) => ({ ...r, sample: new Map() }));
    return (key) => copy.nodeFor(key);
  }

  /** The ranges that overlap `[from, to)` (to null: to the end), clipped to it, in key order. */
  rangeQuery(from: string, to: string | null): KeyRange[] {
    if (typeof from !== "string") throw new ConfigError("ranges.rangeQuery.from", "must be a string key", from);
    if (to !== null && (typeof to !== "string" || compareStrings(to, from) < 0)) throw new ConfigError("ranges.rangeQuery.to", "must be null or a key >= from", to);
    const out: KeyRange[] = [];
    for (let i = this.indexOf(from); i < this.ranges.length; i++) {
      const r = this.ranges[i]!;
      if (to !== null && compareStrings(r.start, to) >= 0) break;
      const start = compareStrings(r.start, from) > 0 ? r.start : from;
      const end = to === null ? r.end : r.end === null || compareStrings(r.end, to) > 0 ? to : r.end;
      if (end !== null && compareStrings(start, end) >= 0) continue;
      out.push({ start, end, node: r.node });
    }
    return out;
  }

  /** Records load on the range of `key` (a read, a write, or the key's existence). */
  recordAccess(key: string, weight = 1): void {
    if (!(weight > 0) || !Number.isFinite(weight)) throw new ConfigError("ranges.recordAccess.weight", "must be a finite number > 0", weight);
    const r = this.ranges[this.indexOf(key)]!;
    r.load += weight;
    if (!sampled(key, r.level)) return;
    r.sample.set(key, (r.sample.get(key) ?? 0) + weight);
    // bounded: each raise halves the sample, and a 32-bit hash allows at most 32 raises
    while (r.sample.size > this.maxSampleKeys && r.level < 32) {
      r.level++;
      for (const k of [...r.sample.keys()]) if (!sampled(k, r.level)) r.sample.delete(k);
    }
  }

  /** Forgets every recorded load (a new observation window). */
  resetLoad(): void {
    for (const r of this.ranges) {
      r.load = 0;
      r.sample = new Map();
      r.level = 0;
    }
  }

  /**
   * Splits every range whose load exceeds `maxLoad` where its sampled load halves; the upper part moves to the
   * node with the least load. A range whose sample holds one key cannot split. Returns the splits made.
   */
  splitHotRanges(maxLoad: number): RangeSplit[] {
    if (!(maxLoad > 0)) throw new ConfigError("ranges.splitHotRanges.maxLoad", "must be a number > 0", maxLoad);
    const splits: RangeSplit[] = [];
    const hot = this.ranges.filter((r) => r.load > maxLoad);
    for (const range of hot) {
      if (this.ranges.length >= MAX_RANGES) break;
      const at = this.splitPoint(range, range.load / 2);
      if (at === undefined) continue;
      const to = this.leastLoaded();
      this.split(range, at, to);
      splits.push({ at, from: range.node, to });
    }
    return splits;
  }

  /**
   * Adds a node and moves load to it until it holds about its share (total / nodes): from the most loaded
   * node each time, what it holds above the share, as a whole range or the upper part of one. Without recorded load, every
   * range weighs 1. Returns the splits and moves made.
   */
  addNode(node: NodeId): RangeSplit[] {
    if (typeof node !== "string" || node.length === 0 || this.nodeSet.has(node)) throw new ConfigError("ranges.addNode.node", "must be a new node id", node);
    this.nodeSet.add(node);
    const weight = (r: RangeState) => (this.totalLoad() > 0 ? r.load : 1);
    const target = this.ranges.reduce((s, r) => s + weight(r), 0) / this.nodeSet.size;
    const moves: RangeSplit[] = [];
    let taken = 0;
    for (let guard = 0; guard < this.ranges.length * 2 + 2 && taken < target; guard++) {
      const donor = this.mostLoadedNode(node, weight);
      const range = this.ranges.filter((r) => r.node === donor).sort((a, b) => weight(b) - weight(a))[0];
      if (range === undefined) break;
      // take only what the donor holds above the share, so the donors end balanced too
      const want = Math.min(target - taken, this.loadOf(donor, weight) - target);
      if (!(want > 0)) break;
      const at = weight(range) > want ? this.splitPoint(range, want) : undefined;
      if (at !== undefined) {
        taken += weight(this.split(range, at, node));
        moves.push({ at, from: donor, to: node });
        continue;
      }
      // the whole range: when it fits, or when moving it lands closer to the share than keeping it
      if (weight(range) - want >= want) break;
      range.node = node;
      taken += weight(range);
      moves.push({ at: range.start, from: donor, to: node });
    }
    return moves;
  }

  /** Removes a node; each of its ranges goes to the node with the least load at that moment. */
  removeNode(node: NodeId): RangeSplit[] {
    if (!this.nodeSet.has(node)) throw new ConfigError("ranges.removeNode.node", "is not a node of the partitioner", node);
    if (this.nodeSet.size === 1) throw new ConfigError("ranges.removeNode.node", "is the last node: its ranges would have no owner", node);
    this.nodeSet.delete(node);
    const moves: RangeSplit[] = [];
    for (const range of this.ranges.filter((r) => r.node === node)) {
      const to = this.leastLoaded();
      range.node = to;
      moves.push({ at: range.start, from: node, to });
    }
    return moves;
  }

  private totalLoad(): number {
    return this.ranges.reduce((s, r) => s + r.load, 0);
  }

  private loadOf(node: NodeId, weight: (r: RangeState) => number): number {
    return this.ranges.reduce((s, r) => s + (r.node === node ? weight(r) : 0), 0);
  }

  private leastLoaded(): NodeId {
    const weight = (r: RangeState) => (this.totalLoad() > 0 ? r.load : 1);
    let best = this.nodes[0]!;
    for (const n of this.nodes) if (this.loadOf(n, weight) < this.loadOf(best, weight)) best = n;
    return best;
  }

  private mostLoadedNode(except: NodeId, weight: (r: RangeState) => number): NodeId {
    let best: NodeId | undefined;
    for (const n of this.nodes) if (n !== except && (best === undefined || this.loadOf(n, weight) > this.loadOf(best, weight))) best = n;
    return best!;
  }

  /** The sampled key at which the load above it is about `upperLoad` (never the range's first key). */
  private splitPoint(range: RangeState, upperLoad: number): string | undefined {
    const keys = [...range.sample.keys()].sort(compareStrings);
    if (keys.length < 2) return undefined;
    const sampled = keys.reduce((s, k) => s + range.sample.get(k)!, 0);
    let above = 0;
    // walk down from the top until the part above holds the wanted share of the sampled load
    for (let i = keys.length - 1; i >= 1; i--) {
      above += range.sample.get(keys[i]!)!;
      if (above / sampled >= upperLoad / range.load) return keys[i];
    }
    return keys[1];
  }

  /** Splits `range` at `at`: the upper part, which `to` owns, is returned. */
  private split(range: RangeState, at: string, to: NodeId): RangeState {
    const upperSample = new Map([...range.sample].filter(([k]) => compareStrings(k, at) >= 0));
    const lowerSample = new Map([...range.sample].filter(([k]) => compareStrings(k, at) < 0));
    const upperShare = [...upperSample.values()].reduce((s, w) => s + w, 0) / Math.max(1, [...range.sample.values()].reduce((s, w) => s + w, 0));
    const upper: RangeState = { start: at, end: range.end, node: to, load: range.load * upperShare, sample: upperSample, level: range.level };
    range.end = at;
    range.load -= upper.load;
    range.sample = lowerSample;
    this.ranges.splice(this.ranges.indexOf(range) + 1, 0, upper);
    return upper;
  }

  private indexOf(key: string): number {
    if (typeof key !== "string") throw new ConfigError("ranges.key", "must be a string", key);
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (compareStrings(this.ranges[mid]!.start, key) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

function sampled(key: string, level: number): boolean {
  return level === 0 || hash32(key) % 2 ** level === 0;
}
