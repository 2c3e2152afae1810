import { ConfigError, type NodeId } from "@faultline/core";
import type { ReplicationBug } from "../bugs.js";
import { bugSet, numberOption } from "../config-fields.js";
import type { QuorumDataType } from "./data-types.js";

/** Which data type a quorum store keeps: one for every key, or "crdt" (by key prefix: g: G-Counter, pn: PN-Counter, set: OR-Set). */
export type QuorumStoreType = "lww" | "mv" | "crdt";

/** Options of a Dynamo-style quorum node. Times are ms of the local clock. */
export interface QuorumConfig {
  /** Every node of the ring. @defaultValue n1..n5 */
  nodes?: readonly NodeId[];
  /** N: replicas of each key (the first N distinct nodes of its preference list). @defaultValue 3 */
  replicationFactor?: number;
  /** R: replica answers a read waits for (the coordinator's own included). @defaultValue 2 */
  readQuorum?: number;
  /** W: replica acknowledgements a write waits for (the coordinator's own included). @defaultValue 2 */
  writeQuorum?: number;
  /** How conflicts resolve: last-writer-wins, siblings with vector clocks, or CRDTs. @defaultValue "lww" */
  dataType?: QuorumStoreType;
  /** Ring points per node. @defaultValue 16 */
  virtualNodes?: number;
  /** How long a coordinator waits for its quorum. @defaultValue 200 */
  requestTimeoutMs?: number;
  /** Hinted handoff: after this long without a replica's acknowledgement, a write goes to a fallback node with a hint. @defaultValue 40 */
  hintAfterMs?: number;
  /** Whether unreachable replicas get hinted copies (they never count toward W). @defaultValue true */
  hintedHandoff?: boolean;
  /** How often a fallback tries to hand its hints over. @defaultValue 100 */
  hintRetryMs?: number;
  /** Whether a read writes the merged state back to the replicas that answered with less. @defaultValue true */
  readRepair?: boolean;
  /** Anti-entropy: interval of a digest exchange with a random peer; 0 turns it off. @defaultValue 150 */
  antiEntropyMs?: number;
  /** The node's housekeeping tick (timeouts, hints, anti-entropy). @defaultValue 10 */
  tickMs?: number;
  bugs?: readonly ReplicationBug[];
}

/** A validated configuration with the defaults filled in, and what it advertises. */
export interface ResolvedQuorumConfig {
  readonly nodes: readonly NodeId[];
  readonly replicationFactor: number;
  readonly readQuorum: number;
  readonly writeQuorum: number;
  readonly dataType: QuorumStoreType;
  /** Advertised: every read sees every write acknowledged before it began (read and write quorums meet: R + W > N). */
  readonly strong: boolean;
  readonly virtualNodes: number;
  readonly requestTimeoutMs: number;
  readonly hintAfterMs: number;
  readonly hintedHandoff: boolean;
  readonly hintRetryMs: number;
  readonly readRepair: boolean;
  readonly antiEntropyMs: number;
  readonly tickMs: number;
  readonly bugs: ReadonlySet<ReplicationBug>;
}

export const DEFAULT_QUORUM_CONFIG = Object.freeze({
  nodes: Object.freeze(["n1", "n2", "n3", "n4", "n5"]), replicationFactor: 3, readQuorum: 2, writeQuorum: 2, dataType: "lww" as QuorumStoreType,
  virtualNodes: 16, requestTimeoutMs: 200, hintAfterMs: 40, hintedHandoff: true, hintRetryMs: 100, readRepair: true, antiEntropyMs: 150, tickMs: 10,
});

/**
 * Whether quorums of R reads and W writes out of N always meet. The planted bug counts R + W = N as meeting.
 */
export function quorumsIntersect(n: number, r: number, w: number, bugs: ReadonlySet<ReplicationBug> = new Set()): boolean {
  return bugs.has("weakQuorumAdvertisedStrong") ? r + w >= n : r + w > n;
}

/** Fills in the defaults and checks every field. @throws ConfigError naming the field and the rule */
export function resolveQuorumConfig(config: QuorumConfig = {}): ResolvedQuorumConfig {
  if (config === null || typeof config !== "object") throw new ConfigError("quorum", "must be an options object", config);
  const d = DEFAULT_QUORUM_CONFIG;
  const nodes = [...(config.nodes ?? d.nodes)];
  if (nodes.length < 1 || nodes.length > 1000 || new Set(nodes).size !== nodes.length) throw new ConfigError("quorum.nodes", "must be 1 to 1000 distinct node ids", config.nodes);
  const int = (field: "replicationFactor" | "readQuorum" | "writeQuorum" | "virtualNodes", min: number, max: number): number => {
    const v = config[field] ?? d[field];
    if (!Number.isInteger(v) || v < min || v > max) throw new ConfigError(`quorum.${field}`, `must be an integer from ${min} to ${max}`, v);
    return v;
  };
  const n = int("replicationFactor", 1, nodes.length);
  const r = int("readQuorum", 1, n);
  const w = int("writeQuorum", 1, n);
  const dataType = config.dataType ?? d.dataType;
  if (!["lww", "mv", "crdt"].includes(dataType)) throw new ConfigError("quorum.dataType", "must be lww, mv or crdt", dataType);
  const bugs = bugSet("quorum.bugs", config.bugs);
  const ms = (field: "requestTimeoutMs" | "hintAfterMs" | "hintRetryMs" | "antiEntropyMs" | "tickMs", min: number): number =>
    numberOption(`quorum.${field}`, config[field], d[field], { min });
  return {
    nodes, replicationFactor: n, readQuorum: r, writeQuorum: w, dataType, strong: quorumsIntersect(n, r, w, bugs),
    virtualNodes: int("virtualNodes", 1, 1024), requestTimeoutMs: ms("requestTimeoutMs", 1), hintAfterMs: ms("hintAfterMs", 0),
    hintedHandoff: config.hintedHandoff ?? d.hintedHandoff, hintRetryMs: ms("hintRetryMs", 1), readRepair: config.readRepair ?? d.readRepair,
    antiEntropyMs: ms("antiEntropyMs", 0), tickMs: ms("tickMs", 1), bugs,
  };
}

/** The data type of `key` in a store of type `store`. @throws ConfigError for a crdt key without a known prefix */
export function typeOfKey(store: QuorumStoreType, key: string): QuorumDataType {
  if (store !== "crdt") return store;
  if (key.startsWith("g:")) return "gcounter";
  if (key.startsWith("pn:")) return "pncounter";
  if (key.startsWith("set:")) return "orset";
  throw new ConfigError("quorum.key", "a crdt store's keys start with g: (G-Counter), pn: (PN-Counter) or set: (OR-Set)", key);
}
