import { defineScenario, type SwarmFaultFamily } from "@faultline/core";
import { PB_PROBES } from "../../exploration.js";
import { acceptedBugs } from "../common.js";
import { PB_PARAMETERS } from "./parameters.js";
import { pbOptionDocs, pbPlan, type PbScenarioOptions } from "./plan.js";

/** The fault families of the primary-backup scenarios: crashes, GC pauses, every kind of partition, lossy and slow links. */
export const PB_FAMILIES: readonly SwarmFaultFamily[] = ["crash", "pause", "partition", "isolate", "ring", "block", "loss", "latency", "duplicate", "storage-lose", "disconnect"];

/**
 * The probes of the zero-RPO scenarios: every primary-backup probe but a rolled-back applied entry, which only
 * async mode reaches (in sync and semi-sync modes a committed entry is never dropped; a hit would be a bug).
 */
const ZERO_RPO_PROBES = Object.fromEntries(Object.entries(PB_PROBES).filter(([name]) => name !== "pb.appliedEntryRolledBack"));

/** Simulated ms of one primary-backup seed (safety phase), and of its fault window. */
export const PB_DURATION_MS = 6000;
export const PB_FAULT_WINDOW_MS = 5000;

/** replication-sync: every write waits for every backup; failovers keep every acknowledged write. */
export const replicationSync = defineScenario<PbScenarioOptions>({
  id: "replication-sync",
  description: "primary-backup, synchronous: swarm faults (at most one node down), failover with fencing; no split brain, no acknowledged write lost, replicas converge",
  bugs: acceptedBugs("missingFencing"),
  parameters: PB_PARAMETERS,
  probes: ZERO_RPO_PROBES,
  options: pbOptionDocs(false),
  build: (seed, options) => pbPlan(seed, options, { mode: "sync", durationMs: PB_DURATION_MS, faultWindowMs: PB_FAULT_WINDOW_MS, families: PB_FAMILIES }),
});

/** replication-semisync: a write waits for k backups; the fence quorum (replicas - k) still finds every acknowledged write. */
export const replicationSemiSync = defineScenario<PbScenarioOptions>({
  id: "replication-semisync",
  description: "primary-backup, semi-synchronous (k backups per write, drawn per seed): swarm faults, failover with fencing; no split brain, no acknowledged write lost",
  bugs: acceptedBugs("missingFencing"),
  parameters: PB_PARAMETERS,
  probes: { ...ZERO_RPO_PROBES, "pb.failoverCompleted": { ...PB_PROBES["pb.failoverCompleted"], required: true }, "pb.staleAppendReceived": { ...PB_PROBES["pb.staleAppendReceived"], required: true } },
  options: pbOptionDocs(true),
  build: (seed, options) => pbPlan(seed, options, { mode: "semi-sync", durationMs: PB_DURATION_MS, faultWindowMs: PB_FAULT_WINDOW_MS, families: PB_FAMILIES }),
});

/**
 * replication-async-failover: the primary acknowledges before replicating. A primary cut off from the cluster
 * (clients still reach it) keeps acknowledging writes that the failover then loses: the RPO the measurement
 * reports. Async advertises no RPO, so only the structural checks apply; the planted bug makes it claim zero.
 */
export const replicationAsyncFailover = defineScenario<PbScenarioOptions>({
  id: "replication-async-failover",
  description: "primary-backup, asynchronous: the primary is cut off, crashed or paused and the monitor fails over; acknowledged writes may be lost (measured), replicas converge after healing",
  bugs: acceptedBugs("asyncClaimsZeroRpo"),
  parameters: PB_PARAMETERS,
  probes: { ...PB_PROBES, "pb.appliedEntryRolledBack": { ...PB_PROBES["pb.appliedEntryRolledBack"], required: true } },
  options: pbOptionDocs(false),
  build: (seed, options) =>
    pbPlan(seed, options, { mode: "async", durationMs: PB_DURATION_MS, faultWindowMs: PB_FAULT_WINDOW_MS, families: ["disconnect", "partition", "isolate", "block", "crash", "pause", "latency"] }),
});
