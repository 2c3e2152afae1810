import { ConfigError, validateCluster, type NodeId } from "@faultline/core";
import { PBFT_BUGS, type PbftBug, type PbftBugSet } from "./bugs.js";

/** Options of a PBFT replica. Every cluster member must get the same ones. */
export interface PbftConfig {
  /**
   * f: the byzantine replicas the cluster tolerates. The cluster needs n >= 3f+1 replicas (checked by
   * core's `validateCluster`: "Byzantine tolerance requires 3f+1 nodes").
   * @defaultValue floor((n-1)/3), at least 1
   */
  faultTolerance?: number;
  /** K: a replica takes a checkpoint after every K executed sequence numbers. @defaultValue 8 */
  checkpointInterval?: number;
  /** L: the high watermark is H = h + L above the last stable checkpoint h; at least K. @defaultValue 2K */
  watermarkWindow?: number;
  /** T: a backup waiting to execute a request starts a view change after T ms; doubled per failed view change. @defaultValue 300 */
  viewChangeTimeoutMs?: number;
  /** The doubling stops here: a bound on the view-change timeout. @defaultValue 8000 */
  maxViewChangeTimeoutMs?: number;
  /** A stuck replica (nothing executed with work pending, or in a view change) says where it is this often. @defaultValue 100 */
  statusIntervalMs?: number;
  /** Client requests a replica keeps waiting (not yet executed): a bound. @defaultValue 1000 */
  maxPendingRequests?: number;
  /**
   * How long the key-value service's dedup window remembers a write's result, in sequence numbers (the
   * replicated clock of PBFT: every replica executes the same sequence numbers, so they forget the same
   * requests). Exactly-once does not depend on it: the last reply to each client is kept for good (PBFT's
   * timestamp rule). It is part of every checkpoint's state, so a long window makes checkpoints cost more.
   * @defaultValue 64
   */
  dedupWindowSeqs?: number;
  /** The cluster's replica ids in primary order (primary of view v = replicas[v mod n]). @defaultValue the ids sorted naturally (n1, n2, ..., n10) */
  replicas?: readonly NodeId[];
  /** Planted bugs (tests and demos only). @defaultValue none */
  bugs?: readonly PbftBug[];
}

/** A validated configuration with every default filled in (the cluster shape still open: see {@link clusterShape}). */
export interface ResolvedPbftConfig {
  readonly faultTolerance: number | undefined;
  readonly checkpointInterval: number;
  readonly watermarkWindow: number;
  readonly viewChangeTimeoutMs: number;
  readonly maxViewChangeTimeoutMs: number;
  readonly statusIntervalMs: number;
  readonly maxPendingRequests: number;
  readonly dedupWindowSeqs: number;
  readonly replicas: readonly NodeId[] | undefined;
  readonly bugs: PbftBugSet;
}

/** The defaults, in one place. */
export const DEFAULT_PBFT_CONFIG = Object.freeze({
  checkpointInterval: 8,
  viewChangeTimeoutMs: 300,
  maxViewChangeTimeoutMs: 8000,
  statusIntervalMs: 100,
  maxPendingRequests: 1000,
  dedupWindowSeqs: 64,
});

/** Validates a {@link PbftConfig} and fills in the defaults. @throws ConfigError naming the field and the rule */
export function resolvePbftConfig(config: PbftConfig | ResolvedPbftConfig = {}): ResolvedPbftConfig {
  if (config === null || typeof config !== "object") throw new ConfigError("pbft", "config must be an object", config);
  if (config.bugs instanceof Set) return config as ResolvedPbftConfig;
  const c = { ...DEFAULT_PBFT_CONFIG, ...defined(config as PbftConfig) };
  integer(c.checkpointInterval, "pbft.checkpointInterval", 1, 100_000);
  const watermarkWindow = c.watermarkWindow ?? 2 * c.checkpointInterval;
  integer(watermarkWindow, "pbft.watermarkWindow", c.checkpointInterval, 1_000_000);
  positive(c.viewChangeTimeoutMs, "pbft.viewChangeTimeoutMs");
  positive(c.maxViewChangeTimeoutMs, "pbft.maxViewChangeTimeoutMs");
  if (c.maxViewChangeTimeoutMs < c.viewChangeTimeoutMs) {
    throw new ConfigError("pbft.maxViewChangeTimeoutMs", "must be at least viewChangeTimeoutMs", c.maxViewChangeTimeoutMs);
  }
  positive(c.statusIntervalMs, "pbft.statusIntervalMs");
  integer(c.maxPendingRequests, "pbft.maxPendingRequests", 1, 10_000_000);
  integer(c.dedupWindowSeqs, "pbft.dedupWindowSeqs", 1, 1_000_000_000);
  if (c.faultTolerance !== undefined) integer(c.faultTolerance, "pbft.faultTolerance", 0, 333);
  return Object.freeze({
    faultTolerance: c.faultTolerance, checkpointInterval: c.checkpointInterval, watermarkWindow,
    viewChangeTimeoutMs: c.viewChangeTimeoutMs, maxViewChangeTimeoutMs: c.maxViewChangeTimeoutMs, statusIntervalMs: c.statusIntervalMs,
    maxPendingRequests: c.maxPendingRequests, dedupWindowSeqs: c.dedupWindowSeqs, replicas: checkReplicas(c.replicas), bugs: checkBugs(c.bugs),
  });
}

/** The cluster's shape for `n` replicas: f and the quorum, checked by core (n >= 3f+1). @throws ConfigError */
export function clusterShape(n: number, faultTolerance?: number): { n: number; f: number; quorum: number } {
  const f = faultTolerance ?? Math.max(1, Math.floor((n - 1) / 3));
  const shape = validateCluster({ nodes: n, failureTolerance: f, byzantine: true });
  return { n, f, quorum: shape.quorumSize };
}

/** Ids in natural order: n2 before n10. */
export function naturalOrder(ids: readonly NodeId[]): NodeId[] {
  return [...ids].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
}

function defined(config: PbftConfig): PbftConfig {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) if (v !== undefined) out[k] = v;
  return out as PbftConfig;
}

function checkReplicas(replicas: unknown): readonly NodeId[] | undefined {
  if (replicas === undefined) return undefined;
  if (!Array.isArray(replicas) || replicas.length === 0 || !replicas.every((r) => typeof r === "string" && r.length > 0)) {
    throw new ConfigError("pbft.replicas", "must be a non-empty array of node ids", replicas);
  }
  if (new Set(replicas).size !== replicas.length) throw new ConfigError("pbft.replicas", "must not repeat a node id", replicas);
  return Object.freeze([...replicas]);
}

function checkBugs(bugs: unknown): PbftBugSet {
  if (bugs === undefined) return new Set();
  if (!Array.isArray(bugs)) throw new ConfigError("pbft.bugs", "must be an array of planted-bug names", bugs);
  for (const b of bugs) {
    if (typeof b !== "string" || !Object.prototype.hasOwnProperty.call(PBFT_BUGS, b)) {
      throw new ConfigError("pbft.bugs", `must name planted bugs (${Object.keys(PBFT_BUGS).join(", ")})`, b);
    }
  }
  return new Set(bugs as PbftBug[]);
}

function positive(x: unknown, field: string): void {
  if (typeof x !== "number" || !Number.isFinite(x) || !(x > 0)) throw new ConfigError(field, "must be a finite number > 0", x);
}

function integer(x: unknown, field: string, min: number, max: number): void {
  if (typeof x !== "number" || !Number.isInteger(x) || x < min || x > max) throw new ConfigError(field, `must be an integer from ${min} to ${max}`, x);
}
