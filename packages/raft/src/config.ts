import { ConfigError, type NodeId } from "@faultline/core";
import { RAFT_BUGS, type RaftBug } from "./bugs.js";

/**
 * Options of a Raft node. Every field is optional; the defaults are documented here and filled in one
 * place ({@link resolveRaftConfig}). Times are milliseconds of the node's local clock.
 */
export interface RaftConfig {
  /** Lower bound of the randomized election timeout. @defaultValue 150 */
  electionTimeoutMsMin?: number;
  /** Upper bound (exclusive) of the randomized election timeout. @defaultValue 300 */
  electionTimeoutMsMax?: number;
  /** Interval of leader heartbeats; must be well below the election timeout. @defaultValue 50 */
  heartbeatMs?: number;
  /** Most entries in one AppendEntries message (batching). @defaultValue 64 */
  maxEntriesPerAppend?: number;
  /** Most AppendEntries messages with entries in flight to one follower (the pipelining window). @defaultValue 8 */
  maxInflightAppends?: number;
  /** Applied entries kept in the log before a snapshot compacts them; bounds the persisted log. @defaultValue 1000 */
  snapshotThresholdEntries?: number;
  /** Pre-vote (thesis §9.6): a node first asks whether it could win, without raising terms. @defaultValue true */
  preVote?: boolean;
  /**
   * Check-quorum: a leader that hears from no quorum for an election timeout steps down, and a node that
   * heard from a leader within the minimum election timeout ignores vote requests. @defaultValue true
   */
  checkQuorum?: boolean;
  /**
   * Lease reads: a leader answers reads locally while its lease (the minimum election timeout after a
   * quorum acknowledged a heartbeat, less a drift margin) holds. Requires `checkQuorum`. Assumes clocks
   * only drift (bounded by `maxClockDriftPpm`) and never step. @defaultValue false
   */
  leaseReads?: boolean;
  /** The clock-drift bound that the lease margin assumes (parts per million). @defaultValue 10000 (1%) */
  maxClockDriftPpm?: number;
  /**
   * The initial voting configuration (every node must get the same one). @defaultValue every cluster
   * node (this node and its peers)
   */
  voters?: readonly NodeId[];
  /** Most client requests (reads waiting for ReadIndex, proposals) a leader holds at once. @defaultValue 10000 */
  maxPendingRequests?: number;
  /** How long the replicated dedup window remembers an idempotency key (entry time). @defaultValue 300000 */
  dedupWindowMs?: number;
  /**
   * Planted bugs: a teaching aid that proves the checks catch real mistakes. Off by default; never
   * enable them outside tests and demos. See {@link RAFT_BUGS}.
   */
  bugs?: readonly RaftBug[];
}

/** A validated configuration with every default filled in. */
export interface ResolvedRaftConfig {
  readonly electionTimeoutMsMin: number;
  readonly electionTimeoutMsMax: number;
  readonly heartbeatMs: number;
  readonly maxEntriesPerAppend: number;
  readonly maxInflightAppends: number;
  readonly snapshotThresholdEntries: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly leaseReads: boolean;
  readonly maxClockDriftPpm: number;
  readonly voters: readonly NodeId[] | undefined;
  readonly maxPendingRequests: number;
  readonly dedupWindowMs: number;
  readonly bugs: ReadonlySet<RaftBug>;
}

/** The defaults, in one place. */
export const DEFAULT_RAFT_CONFIG = Object.freeze({
  electionTimeoutMsMin: 150,
  electionTimeoutMsMax: 300,
  heartbeatMs: 50,
  maxEntriesPerAppend: 64,
  maxInflightAppends: 8,
  snapshotThresholdEntries: 1000,
  preVote: true,
  checkQuorum: true,
  leaseReads: false,
  maxClockDriftPpm: 10_000,
  maxPendingRequests: 10_000,
  dedupWindowMs: 300_000,
});

/** Validates a {@link RaftConfig} and fills in the defaults. @throws ConfigError naming the field and rule */
export function resolveRaftConfig(config: RaftConfig | ResolvedRaftConfig = {}): ResolvedRaftConfig {
  if (config === null || typeof config !== "object") throw new ConfigError("raft", "config must be an object", config);
  if (config.bugs instanceof Set) return config as ResolvedRaftConfig; // already resolved
  const c = { ...DEFAULT_RAFT_CONFIG, ...stripUndefined(config as RaftConfig) };
  positive(c.electionTimeoutMsMin, "raft.electionTimeoutMsMin");
  positive(c.electionTimeoutMsMax, "raft.electionTimeoutMsMax");
  if (!(c.electionTimeoutMsMax > c.electionTimeoutMsMin)) {
    throw new ConfigError("raft.electionTimeoutMsMax", "must be greater than electionTimeoutMsMin", c.electionTimeoutMsMax);
  }
  positive(c.heartbeatMs, "raft.heartbeatMs");
  if (!(c.heartbeatMs < c.electionTimeoutMsMin)) {
    throw new ConfigError("raft.heartbeatMs", "must be less than electionTimeoutMsMin", c.heartbeatMs);
  }
  integer(c.maxEntriesPerAppend, "raft.maxEntriesPerAppend", 1, 100_000);
  integer(c.maxInflightAppends, "raft.maxInflightAppends", 1, 10_000);
  integer(c.snapshotThresholdEntries, "raft.snapshotThresholdEntries", 1, 100_000_000);
  integer(c.maxPendingRequests, "raft.maxPendingRequests", 1, 10_000_000);
  boolean(c.preVote, "raft.preVote");
  boolean(c.checkQuorum, "raft.checkQuorum");
  boolean(c.leaseReads, "raft.leaseReads");
  if (c.leaseReads && !c.checkQuorum) throw new ConfigError("raft.leaseReads", "requires checkQuorum: true", c.leaseReads);
  if (!(typeof c.maxClockDriftPpm === "number" && c.maxClockDriftPpm >= 0 && c.maxClockDriftPpm < 100_000)) {
    throw new ConfigError("raft.maxClockDriftPpm", "must be a number in [0, 100000)", c.maxClockDriftPpm);
  }
  if (!(typeof c.dedupWindowMs === "number" && c.dedupWindowMs >= 0)) throw new ConfigError("raft.dedupWindowMs", "must be a number >= 0", c.dedupWindowMs);
  return Object.freeze({ ...c, voters: checkVoters(c.voters), bugs: checkBugs(c.bugs) });
}

function stripUndefined(config: RaftConfig): RaftConfig {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) if (v !== undefined) out[k] = v;
  return out as RaftConfig;
}

function checkVoters(voters: unknown): readonly NodeId[] | undefined {
  if (voters === undefined) return undefined;
  if (!Array.isArray(voters) || voters.length === 0 || !voters.every((v) => typeof v === "string" && v.length > 0)) {
    throw new ConfigError("raft.voters", "must be a non-empty array of node ids", voters);
  }
  if (new Set(voters).size !== voters.length) throw new ConfigError("raft.voters", "must not repeat a node id", voters);
  return Object.freeze([...voters].sort());
}

function checkBugs(bugs: unknown): ReadonlySet<RaftBug> {
  if (bugs === undefined) return new Set();
  if (!Array.isArray(bugs)) throw new ConfigError("raft.bugs", "must be an array of planted-bug names", bugs);
  for (const b of bugs) {
    if (typeof b !== "string" || !Object.prototype.hasOwnProperty.call(RAFT_BUGS, b)) {
      throw new ConfigError("raft.bugs", `must name planted bugs (${Object.keys(RAFT_BUGS).join(", ")})`, b);
    }
  }
  return new Set(bugs as RaftBug[]);
}

function positive(x: unknown, field: string): void {
  if (typeof x !== "number" || !Number.isFinite(x) || !(x > 0)) throw new ConfigError(field, "must be a finite number > 0", x);
}

function integer(x: unknown, field: string, min: number, max: number): void {
  if (typeof x !== "number" || !Number.isInteger(x) || x < min || x > max) throw new ConfigError(field, `must be an integer from ${min} to ${max}`, x);
}

function boolean(x: unknown, field: string): void {
  if (typeof x !== "boolean") throw new ConfigError(field, "must be a boolean", x);
}
