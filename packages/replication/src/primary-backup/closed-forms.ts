import { ConfigError, type NetworkConfig } from "@faultline/core";
import { primaryBackupCluster } from "./cluster.js";

/** Options of {@link simulateSyncReplication}. */
export interface SyncReplicationOptions {
  /** Backups (besides the primary). */
  replicas: number;
  /** Per backup, the round trip from the primary's send to its acknowledgement arriving (ms), split evenly both ways. */
  latenciesMs: readonly number[];
}

/** What the simulated write measured. */
export interface SyncReplicationResult {
  /** From the primary accepting the write to acknowledging it (virtual ms). */
  totalLatencyMs: number;
  /** The closed form: the slowest round trip (sync) or the acks-th fastest (semi-sync). */
  closedFormMs: number;
}

/**
 * Synchronous replication, measured on the simulator: one primary and `replicas` backups behind links of
 * constant latency; the primary accepts one write and acknowledges it once every backup has it. The latency
 * is the slowest backup's round trip, and the simulation shows it: `simulateSyncReplication({ replicas: 3,
 * latenciesMs: [10, 20, 30] }).totalLatencyMs === 30`.
 */
export function simulateSyncReplication(options: SyncReplicationOptions): SyncReplicationResult {
  const latencies = checkLatencies(options, "simulateSyncReplication");
  return measureOneWrite(latencies, latencies.length, "sync");
}

/**
 * Semi-synchronous replication with `acks` backup acknowledgements (1..replicas): the latency is the acks-th
 * fastest round trip.
 */
export function simulateSemiSyncReplication(options: SyncReplicationOptions & { acks: number }): SyncReplicationResult {
  const latencies = checkLatencies(options, "simulateSemiSyncReplication");
  if (!Number.isInteger(options.acks) || options.acks < 1 || options.acks > latencies.length) {
    throw new ConfigError("simulateSemiSyncReplication.acks", `must be an integer from 1 to replicas (${latencies.length})`, options.acks);
  }
  return measureOneWrite(latencies, options.acks, "semi-sync");
}

function measureOneWrite(latencies: readonly number[], acks: number, mode: "sync" | "semi-sync"): SyncReplicationResult {
  const backups = latencies.map((_, i) => `n${i + 2}`);
  const links: NonNullable<NetworkConfig["links"]> = {};
  backups.forEach((b, i) => {
    const half = { latency: { kind: "constant" as const, ms: latencies[i]! / 2 } };
    links[`n1->${b}`] = half;
    links[`${b}->n1`] = half;
  });
  // heartbeats would keep appends in flight and delay the write's own: push them past the measurement
  const cluster = primaryBackupCluster({
    replicas: ["n1", ...backups], monitor: false, config: { mode, acks, heartbeatMs: 1_000_000 },
    simulation: { seed: 1, network: { default: { latency: { kind: "constant", ms: 0 } }, links } },
  });
  const { sim } = cluster;
  const committed = () => (cluster.replica("n1")?.inspect().commitIndex ?? 0) >= 1;
  sim.run({ until: committed, maxSteps: 100_000 }); // the first primary's no-op, then a quiet pipeline
  const startUs = sim.nowUs;
  const proposed = cluster.propose("n1", { f: "put", key: "x", value: 1 });
  if (!proposed.accepted) throw new Error(`the primary refused the write: ${proposed.code}`);
  sim.run({ until: () => (cluster.replica("n1")?.inspect().commitIndex ?? 0) >= proposed.index, maxSteps: 100_000 });
  const sorted = [...latencies].sort((a, b) => a - b);
  return { totalLatencyMs: (sim.nowUs - startUs) / 1000, closedFormMs: sorted[acks - 1]! };
}

/** Options of {@link simulateAsyncReplication}. */
export interface AsyncReplicationOptions {
  /** Writes per second the primary accepts. */
  writeRate: number;
  /** Writes per second the backup applies (its apply thread). */
  applyRate: number;
  durationSeconds: number;
  /** One-way latency between primary and backup (ms). @defaultValue 0 */
  latencyMs?: number;
}

/** What the async run measured at its end, with the closed forms beside it. */
export interface AsyncReplicationResult {
  writes: number;
  applied: number;
  /** Writes the primary acknowledged that the backup has not applied. */
  lagMessages: number;
  /** How old the oldest write the backup has not applied is. */
  lagSeconds: number;
  /** The closed forms: (writeRate - applyRate) * duration writes, duration * (1 - applyRate / writeRate) seconds (0 when the backup keeps up). */
  closedForm: { lagMessages: number; lagSeconds: number };
}

/** The most writes one async run simulates: a bound. */
export const MAX_SIMULATED_WRITES = 2_000_000;

/**
 * Asynchronous replication with a backup slower than the write rate, measured on the simulator: the primary
 * acknowledges each write at once and ships it; the backup applies one write per 1/applyRate s. At the end the
 * backup trails by (writeRate - applyRate) * duration writes: `simulateAsyncReplication({ writeRate: 1000,
 * applyRate: 800, durationSeconds: 60 })` gives `lagMessages === 200 * 60`, and those writes are what a
 * failover at that moment would lose.
 */
export function simulateAsyncReplication(options: AsyncReplicationOptions): AsyncReplicationResult {
  const { writeRate, applyRate, durationSeconds } = options ?? ({} as AsyncReplicationOptions);
  for (const [field, v] of [["writeRate", writeRate], ["applyRate", applyRate], ["durationSeconds", durationSeconds]] as const) {
    if (!(typeof v === "number" && v > 0 && Number.isFinite(v))) throw new ConfigError(`simulateAsyncReplication.${field}`, "must be a finite number > 0", v);
  }
  const writes = Math.round(writeRate * durationSeconds);
  if (writes > MAX_SIMULATED_WRITES) throw new ConfigError("simulateAsyncReplication", `simulates at most ${MAX_SIMULATED_WRITES} writes (writeRate * durationSeconds)`, writes);
  const cluster = primaryBackupCluster({
    replicas: ["n1", "n2"], monitor: false, config: { mode: "async", applyIntervalMs: 1000 / applyRate, heartbeatMs: 1_000_000 },
    simulation: { seed: 1, network: { default: { latency: { kind: "constant", ms: options.latencyMs ?? 0 } } } },
  });
  for (let i = 0; i < writes; i++) {
    cluster.sim.at((i * 1000) / writeRate, () => {
      cluster.propose("n1", { f: "put", key: "k", value: i });
    });
  }
  const endMs = durationSeconds * 1000;
  cluster.sim.run({ untilMs: endMs, maxSteps: 50 * writes + 100_000 });
  const backup = cluster.replica("n2")!.inspect();
  const appliedWrites = cluster.applied("n2").filter((a) => a.command.op.f !== "noop").length;
  const oldest = backup.log.filter((e) => e.requestId !== "")[appliedWrites];
  const oldestAtMs = oldest === undefined ? endMs : oldest.atMs;
  return {
    writes, applied: appliedWrites, lagMessages: writes - appliedWrites, lagSeconds: (endMs - oldestAtMs) / 1000,
    closedForm: {
      lagMessages: Math.max(0, (writeRate - applyRate) * durationSeconds),
      lagSeconds: applyRate >= writeRate ? 0 : durationSeconds * (1 - applyRate / writeRate),
    },
  };
}

function checkLatencies(options: SyncReplicationOptions, api: string): number[] {
  if (options === null || typeof options !== "object") throw new ConfigError(api, "must be an options object", options);
  const { replicas, latenciesMs } = options;
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 99) throw new ConfigError(`${api}.replicas`, "must be an integer from 1 to 99", replicas);
  if (!Array.isArray(latenciesMs) || latenciesMs.length !== replicas || latenciesMs.some((l) => !(typeof l === "number" && l >= 0 && Number.isFinite(l)))) {
    throw new ConfigError(`${api}.latenciesMs`, `must be ${replicas} finite round-trip times >= 0 (one per backup)`, latenciesMs);
  }
  return [...latenciesMs];
}
