import { ConfigError, type NodeId } from "@faultline/core";
import type { ReplicationBug } from "../bugs.js";
import { bugSet, numberOption } from "../config-fields.js";
import { hash32 } from "../partitioning/hash.js";

/** Options of the two-phase-commit coordinator and its participants. Times are ms of the local clock. */
export interface TxConfig {
  /** The coordinator's node id. @defaultValue "tc" */
  coordinator?: NodeId;
  /** The participants, each owning the keys that hash to it. @defaultValue p1, p2, p3 */
  participants?: readonly NodeId[];
  /** How long a lock request waits behind another transaction before it is refused (the deadlock breaker). @defaultValue 100 */
  lockWaitTimeoutMs?: number;
  /** A lock held by a transaction that has not prepared is released after this long (its coordinator may be gone). @defaultValue 1000 */
  lockLeaseMs?: number;
  /** A transaction still locking or preparing after this long is aborted by its coordinator. @defaultValue 600 */
  txTimeoutMs?: number;
  /** The coordinator resends an unacknowledged decision this often. @defaultValue 50 */
  resendMs?: number;
  /** A prepared participant asks for the decision after waiting this long, and again as often. @defaultValue 100 */
  inquireAfterMs?: number;
  /** Housekeeping tick. @defaultValue 10 */
  tickMs?: number;
  bugs?: readonly ReplicationBug[];
}

export interface ResolvedTxConfig {
  readonly coordinator: NodeId;
  readonly participants: readonly NodeId[];
  readonly lockWaitTimeoutMs: number;
  readonly lockLeaseMs: number;
  readonly txTimeoutMs: number;
  readonly resendMs: number;
  readonly inquireAfterMs: number;
  readonly tickMs: number;
  readonly bugs: ReadonlySet<ReplicationBug>;
}

export const DEFAULT_TX_CONFIG = Object.freeze({
  coordinator: "tc", participants: Object.freeze(["p1", "p2", "p3"]), lockWaitTimeoutMs: 100, lockLeaseMs: 1000, txTimeoutMs: 600, resendMs: 50, inquireAfterMs: 100, tickMs: 10,
});

/** Fills in the defaults and checks every field. @throws ConfigError */
export function resolveTxConfig(config: TxConfig = {}): ResolvedTxConfig {
  if (config === null || typeof config !== "object") throw new ConfigError("tx", "must be an options object", config);
  const d = DEFAULT_TX_CONFIG;
  const participants = [...(config.participants ?? d.participants)];
  const coordinator = config.coordinator ?? d.coordinator;
  if (participants.length < 1 || participants.length > 100 || new Set(participants).size !== participants.length || participants.includes(coordinator)) {
    throw new ConfigError("tx.participants", "must be 1 to 100 distinct node ids, the coordinator not among them", config.participants);
  }
  const bugs = bugSet("tx.bugs", config.bugs);
  const ms = (field: Exclude<keyof typeof d, "coordinator" | "participants">): number => numberOption(`tx.${field}`, config[field], d[field], { min: 0, exclusive: true });
  return {
    coordinator, participants, lockWaitTimeoutMs: ms("lockWaitTimeoutMs"), lockLeaseMs: ms("lockLeaseMs"), txTimeoutMs: ms("txTimeoutMs"),
    resendMs: ms("resendMs"), inquireAfterMs: ms("inquireAfterMs"), tickMs: ms("tickMs"), bugs,
  };
}

/** The participant that owns `key` (keys hash to participants). */
export function ownerOf(config: ResolvedTxConfig, key: string): NodeId {
  return config.participants[hash32(key) % config.participants.length]!;
}
