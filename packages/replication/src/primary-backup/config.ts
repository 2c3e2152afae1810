import { ConfigError, type NodeId } from "@faultline/core";
import type { ReplicationBug } from "../bugs.js";
import { bugSet, numberOption } from "../config-fields.js";

/** How a primary acknowledges a write. */
export type ReplicationMode = "sync" | "semi-sync" | "async";

/** The replication modes, in a fixed order. */
export const REPLICATION_MODES: readonly ReplicationMode[] = ["sync", "semi-sync", "async"];

/** Options of a primary-backup replica (and, for the failover settings, of its monitor). Times are ms of the local clock. */
export interface PrimaryBackupConfig {
  /**
   * - "sync": a write is acknowledged once every backup has it on disk;
   * - "semi-sync": once `acks` backups have it;
   * - "async": once the primary has it (backups catch up later; a failover may lose acknowledged writes).
   * @defaultValue "semi-sync"
   */
  mode?: ReplicationMode;
  /** Semi-sync: backups that must have a write before it is acknowledged (1 to replicas - 1). @defaultValue 1 */
  acks?: number;
  /** The replicas, primary candidates all (the monitor is not one). @defaultValue n1, n2, n3 */
  replicas?: readonly NodeId[];
  /** The replica that is primary of epoch 1 at first boot. @defaultValue the first replica */
  initialPrimary?: NodeId;
  /** Primary heartbeat (and retransmission) interval. @defaultValue 20 */
  heartbeatMs?: number;
  /** Most entries in one append message. @defaultValue 64 */
  maxEntriesPerAppend?: number;
  /** A backup applies one entry per interval (a slow apply thread); 0 applies at once. @defaultValue 0 */
  applyIntervalMs?: number;
  /** How long the replicated dedup window remembers a request. @defaultValue 300000 */
  dedupWindowMs?: number;
  /** Monitor: interval of its pings. @defaultValue 25 */
  pingMs?: number;
  /** Monitor: silence from the primary after which it fails over. @defaultValue 150 */
  failoverTimeoutMs?: number;
  /** Monitor: how long one failover attempt waits for fence replies (or the promoted primary) before the next. @defaultValue 150 */
  fenceTimeoutMs?: number;
  /** Monitor: once a fence quorum answered, how long it waits for the other replicas' (better) logs. @defaultValue 20 */
  fenceGatherMs?: number;
  /** Planted bugs (off by default): a teaching aid, see REPLICATION_BUGS. */
  bugs?: readonly ReplicationBug[];
}

/** A validated configuration with the defaults filled in, and what it guarantees. */
export interface ResolvedPrimaryBackupConfig {
  readonly mode: ReplicationMode;
  readonly replicas: readonly NodeId[];
  readonly initialPrimary: NodeId;
  /** Backup acknowledgements a write waits for: replicas - 1 (sync), `acks` (semi-sync), 0 (async). */
  readonly acksRequired: number;
  /**
   * Fence replies the monitor needs before it promotes: enough that one of them holds every acknowledged
   * write (replicas - acksRequired: any such set meets the primary and its acksRequired backups). Async
   * promises nothing: one reply will do.
   */
  readonly fenceQuorum: number;
  /** What the configuration advertises: acknowledged writes survive a failover (RPO zero). */
  readonly zeroRpo: boolean;
  readonly heartbeatMs: number;
  readonly maxEntriesPerAppend: number;
  readonly applyIntervalMs: number;
  readonly dedupWindowMs: number;
  readonly pingMs: number;
  readonly failoverTimeoutMs: number;
  readonly fenceTimeoutMs: number;
  readonly fenceGatherMs: number;
  readonly bugs: ReadonlySet<ReplicationBug>;
}

/** The defaults, in one place. */
export const DEFAULT_PRIMARY_BACKUP_CONFIG = Object.freeze({
  mode: "semi-sync" as ReplicationMode, acks: 1, replicas: Object.freeze(["n1", "n2", "n3"]), heartbeatMs: 20, maxEntriesPerAppend: 64,
  applyIntervalMs: 0, dedupWindowMs: 300_000, pingMs: 25, failoverTimeoutMs: 150, fenceTimeoutMs: 150, fenceGatherMs: 20,
});

/** Fills in the defaults and checks every field. @throws ConfigError naming the field and the rule */
export function resolvePrimaryBackupConfig(config: PrimaryBackupConfig = {}): ResolvedPrimaryBackupConfig {
  if (config === null || typeof config !== "object") throw new ConfigError("primaryBackup", "must be an options object", config);
  const d = DEFAULT_PRIMARY_BACKUP_CONFIG;
  const mode = config.mode ?? d.mode;
  if (!REPLICATION_MODES.includes(mode)) throw new ConfigError("primaryBackup.mode", `must be one of ${REPLICATION_MODES.join(", ")}`, mode);
  const replicas = [...(config.replicas ?? d.replicas)];
  if (replicas.length < 2 || replicas.length > 100 || new Set(replicas).size !== replicas.length || replicas.some((r) => typeof r !== "string" || r === "")) {
    throw new ConfigError("primaryBackup.replicas", "must be 2 to 100 distinct node ids", config.replicas);
  }
  const initialPrimary = config.initialPrimary ?? replicas[0]!;
  if (!replicas.includes(initialPrimary)) throw new ConfigError("primaryBackup.initialPrimary", "must be one of the replicas", initialPrimary);
  const acks = config.acks ?? d.acks;
  if (mode === "semi-sync" && (!Number.isInteger(acks) || acks < 1 || acks > replicas.length - 1)) {
    throw new ConfigError("primaryBackup.acks", `must be an integer from 1 to replicas - 1 (${replicas.length - 1}) in semi-sync mode`, acks);
  }
  const acksRequired = mode === "sync" ? replicas.length - 1 : mode === "semi-sync" ? acks : 0;
  const bugs = bugSet("primaryBackup.bugs", config.bugs);
  const num = (field: keyof typeof d & keyof PrimaryBackupConfig, min: number, integer = false): number =>
    numberOption(`primaryBackup.${field}`, config[field], d[field] as number, { min, integer });
  return {
    mode, replicas, initialPrimary, acksRequired,
    fenceQuorum: acksRequired === 0 ? 1 : replicas.length - acksRequired,
    // the advertised guarantee: a write on the primary and acksRequired backups survives any failover the
    // monitor runs; with no backup acknowledgement nothing does. (The planted bug counts 0 acks as enough.)
    zeroRpo: bugs.has("asyncClaimsZeroRpo") ? acksRequired >= 0 : acksRequired >= 1,
    heartbeatMs: num("heartbeatMs", 1), maxEntriesPerAppend: num("maxEntriesPerAppend", 1, true), applyIntervalMs: num("applyIntervalMs", 0),
    dedupWindowMs: num("dedupWindowMs", 0), pingMs: num("pingMs", 1), failoverTimeoutMs: num("failoverTimeoutMs", 1),
    fenceTimeoutMs: num("fenceTimeoutMs", 1), fenceGatherMs: num("fenceGatherMs", 0), bugs,
  };
}
