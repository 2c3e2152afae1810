import { ConfigError } from "@faultline/core";
import { PAXOS_BUG_NAMES, type BugSet, type PaxosBug } from "./bugs.js";

/**
 * Options of a Multi-Paxos node. Every field is optional; the defaults are documented here and filled in one
 * place ({@link resolvePaxosConfig}). Times are milliseconds of the node's local clock.
 */
export interface PaxosConfig {
  /** Lower bound of the randomized leader-failure timeout (no heartbeat for this long starts phase 1). @defaultValue 150 */
  electionTimeoutMsMin?: number;
  /** Upper bound (exclusive) of that timeout. @defaultValue 300 */
  electionTimeoutMsMax?: number;
  /** Interval of leader heartbeats; must be below electionTimeoutMsMin. @defaultValue 50 */
  heartbeatMs?: number;
  /** Slots a leader has in phase 2 at once (the pipelining window). @defaultValue 16 */
  windowSlots?: number;
  /** A leader re-sends phase 2a for a slot to the acceptors that have not answered after this long. @defaultValue 100 */
  retransmitMs?: number;
  /**
   * The longest backoff of a preempted proposer. It waits a random time between electionTimeoutMsMin and
   * electionTimeoutMsMin * 2^k (k: preemptions in a row), capped here, before its next phase 1. @defaultValue 2000
   */
  backoffMsMax?: number;
  /** Applied slots kept before a replica compacts them into a snapshot (bounds the persisted log). @defaultValue 1000 */
  snapshotThresholdSlots?: number;
  /** Most decisions in one catch-up message. @defaultValue 64 */
  maxDecisionsPerMessage?: number;
  /**
   * Leader leases: a leader answers reads locally while its lease holds (the minimum election timeout after a
   * majority acknowledged a heartbeat, less a clock-drift margin); followers promise no other proposer for that
   * long after they heard from their leader. Assumes clocks only drift (by at most `maxClockDriftPpm`) and never
   * step. @defaultValue false (reads go through the log)
   */
  leaseReads?: boolean;
  /** The clock-drift bound the lease margin assumes (parts per million). @defaultValue 10000 (1%) */
  maxClockDriftPpm?: number;
  /** Most client commands a leader holds at once (queued or in phase 2). @defaultValue 10000 */
  maxPendingRequests?: number;
  /** How long the replicated dedup window remembers an idempotency key (command time). @defaultValue 300000 */
  dedupWindowMs?: number;
  /** Planted bugs (a teaching aid, off by default; see `bugs`). */
  bugs?: readonly PaxosBug[];
}

/** A validated configuration with every default filled in. */
export interface ResolvedPaxosConfig {
  readonly electionTimeoutMsMin: number;
  readonly electionTimeoutMsMax: number;
  readonly heartbeatMs: number;
  readonly windowSlots: number;
  readonly retransmitMs: number;
  readonly backoffMsMax: number;
  readonly snapshotThresholdSlots: number;
  readonly maxDecisionsPerMessage: number;
  readonly leaseReads: boolean;
  readonly maxClockDriftPpm: number;
  readonly maxPendingRequests: number;
  readonly dedupWindowMs: number;
  readonly bugs: BugSet;
}

/** The defaults, in one place. */
export const DEFAULT_PAXOS_CONFIG = Object.freeze({
  electionTimeoutMsMin: 150,
  electionTimeoutMsMax: 300,
  heartbeatMs: 50,
  windowSlots: 16,
  retransmitMs: 100,
  backoffMsMax: 2000,
  snapshotThresholdSlots: 1000,
  maxDecisionsPerMessage: 64,
  leaseReads: false,
  maxClockDriftPpm: 10_000,
  maxPendingRequests: 10_000,
  dedupWindowMs: 300_000,
});

/** Validates a {@link PaxosConfig} and fills in the defaults. @throws ConfigError naming the field and the rule */
export function resolvePaxosConfig(config: PaxosConfig | ResolvedPaxosConfig = {}): ResolvedPaxosConfig {
  if (config === null || typeof config !== "object") throw new ConfigError("paxos", "config must be an object", config);
  if (config.bugs instanceof Set) return config as ResolvedPaxosConfig; // already resolved
  const c = { ...DEFAULT_PAXOS_CONFIG, ...definedFields(config as PaxosConfig) };
  positive(c.electionTimeoutMsMin, "paxos.electionTimeoutMsMin");
  positive(c.electionTimeoutMsMax, "paxos.electionTimeoutMsMax");
  if (!(c.electionTimeoutMsMax > c.electionTimeoutMsMin)) {
    throw new ConfigError("paxos.electionTimeoutMsMax", "must be greater than electionTimeoutMsMin", c.electionTimeoutMsMax);
  }
  positive(c.heartbeatMs, "paxos.heartbeatMs");
  if (!(c.heartbeatMs < c.electionTimeoutMsMin)) throw new ConfigError("paxos.heartbeatMs", "must be less than electionTimeoutMsMin", c.heartbeatMs);
  integer(c.windowSlots, "paxos.windowSlots", 1, 10_000);
  positive(c.retransmitMs, "paxos.retransmitMs");
  positive(c.backoffMsMax, "paxos.backoffMsMax");
  if (!(c.backoffMsMax >= c.electionTimeoutMsMin)) throw new ConfigError("paxos.backoffMsMax", "must be at least electionTimeoutMsMin", c.backoffMsMax);
  integer(c.snapshotThresholdSlots, "paxos.snapshotThresholdSlots", 1, 100_000_000);
  integer(c.maxDecisionsPerMessage, "paxos.maxDecisionsPerMessage", 1, 100_000);
  integer(c.maxPendingRequests, "paxos.maxPendingRequests", 1, 10_000_000);
  if (typeof c.leaseReads !== "boolean") throw new ConfigError("paxos.leaseReads", "must be a boolean", c.leaseReads);
  if (!(typeof c.maxClockDriftPpm === "number" && c.maxClockDriftPpm >= 0 && c.maxClockDriftPpm < 100_000)) {
    throw new ConfigError("paxos.maxClockDriftPpm", "must be a number in [0, 100000)", c.maxClockDriftPpm);
  }
  if (!(typeof c.dedupWindowMs === "number" && c.dedupWindowMs >= 0)) throw new ConfigError("paxos.dedupWindowMs", "must be a number >= 0", c.dedupWindowMs);
  return Object.freeze({ ...c, bugs: checkBugs(c.bugs) });
}

function definedFields(config: PaxosConfig): PaxosConfig {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) if (v !== undefined) out[k] = v;
  return out as PaxosConfig;
}

function checkBugs(value: unknown): BugSet {
  if (value === undefined) return new Set();
  if (!Array.isArray(value)) throw new ConfigError("paxos.bugs", "must be an array of planted-bug names", value);
  for (const b of value) {
    if (!(PAXOS_BUG_NAMES as readonly unknown[]).includes(b)) throw new ConfigError("paxos.bugs", `must name planted bugs (${PAXOS_BUG_NAMES.join(", ")})`, b);
  }
  return new Set(value as PaxosBug[]);
}

function positive(x: unknown, field: string): void {
  if (typeof x !== "number" || !Number.isFinite(x) || !(x > 0)) throw new ConfigError(field, "must be a finite number > 0", x);
}

function integer(x: unknown, field: string, min: number, max: number): void {
  if (typeof x !== "number" || !Number.isInteger(x) || x < min || x > max) throw new ConfigError(field, `must be an integer from ${min} to ${max}`, x);
}
