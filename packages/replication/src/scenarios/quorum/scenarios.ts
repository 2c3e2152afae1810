import { defineScenario, type SwarmFaultFamily, type WorkloadOp } from "@faultline/core";
import { QUORUM_PROBES } from "../../exploration.js";
import { acceptedBugs } from "../common.js";
import { QUORUM_PARAMETERS } from "./parameters.js";
import { quorumOptionDocs, quorumPlan, type QuorumScenarioOptions } from "./plan.js";

/** Fault families of the quorum scenarios. LWW trusts clocks, so its scenario leaves clock faults out (see the docs). */
const FAMILIES: readonly SwarmFaultFamily[] = ["crash", "pause", "partition", "isolate", "ring", "block", "loss", "latency", "duplicate", "storage-lose", "disconnect"];
export const QUORUM_DURATION_MS = 5000;
const FAULT_WINDOW_MS = 4000;

/** Half puts of unique values, half gets, over four keys. */
function registerOps(client: string): (random: () => number, n: number) => WorkloadOp {
  return (random, n) => {
    const key = `k${Math.floor(random() * 4)}`;
    return random() < 0.5 ? { f: "put", key, value: `${client}-${n}` } : { f: "get", key };
  };
}

/** Counter, PN-counter and set operations, and reads of them. */
function crdtOps(): (random: () => number, n: number) => WorkloadOp {
  return (random) => {
    const r = random();
    const which = Math.floor(random() * 2);
    if (r < 0.2) return { f: "incr", key: `g:${which}`, value: 1 };
    if (r < 0.4) return { f: random() < 0.5 ? "incr" : "decr", key: `pn:${which}`, value: 1 + Math.floor(random() * 3) };
    if (r < 0.65) return { f: random() < 0.6 ? "add" : "remove", key: `set:${which}`, value: "abcd"[Math.floor(random() * 4)] };
    const kinds = ["g", "pn", "set"];
    return { f: "get", key: `${kinds[Math.floor(random() * 3)]}:${which}` };
  };
}

/** quorum-lww: last-writer-wins registers on a Dynamo-style ring, R and W drawn per seed. */
export const quorumLww = defineScenario<QuorumScenarioOptions>({
  id: "quorum-lww",
  description: "leaderless quorum replication (N=3 of 5), last-writer-wins: swarm faults (no clock faults), hinted handoff, read repair, anti-entropy; reads see acknowledged writes when R + W > N, replicas converge",
  bugs: acceptedBugs("weakQuorumAdvertisedStrong"),
  parameters: QUORUM_PARAMETERS,
  probes: QUORUM_PROBES,
  options: quorumOptionDocs(),
  build: (seed, options) => quorumPlan(seed, options, {
    dataType: "lww", durationMs: QUORUM_DURATION_MS, faultWindowMs: FAULT_WINDOW_MS, families: FAMILIES, workload: registerOps,
    livenessWrite: { f: "put", key: "liveness", value: "live" },
  }),
});

/** quorum-vector-clock: multi-value registers (vector clocks with siblings). */
export const quorumVectorClock = defineScenario<QuorumScenarioOptions>({
  id: "quorum-vector-clock",
  description: "leaderless quorum replication, vector clocks with siblings: concurrent puts become siblings, a put supersedes what its client read; reads see acknowledged writes when R + W > N, replicas converge",
  bugs: acceptedBugs("weakQuorumAdvertisedStrong"),
  parameters: QUORUM_PARAMETERS,
  probes: QUORUM_PROBES,
  options: quorumOptionDocs(),
  build: (seed, options) => quorumPlan(seed, options, {
    dataType: "mv", durationMs: QUORUM_DURATION_MS, faultWindowMs: FAULT_WINDOW_MS, families: [...FAMILIES, "clock"], workload: registerOps,
    livenessWrite: { f: "put", key: "liveness", value: "live" },
  }),
});

/** quorum-crdt: G-Counters, PN-Counters and OR-Sets. */
export const quorumCrdt = defineScenario<QuorumScenarioOptions>({
  id: "quorum-crdt",
  description: "leaderless quorum replication of CRDTs (G-Counter, PN-Counter, OR-Set): replicas that saw the same writes hold the same state, replicas converge, reads see acknowledged writes when R + W > N",
  bugs: acceptedBugs("nonCommutativeMerge", "weakQuorumAdvertisedStrong"),
  parameters: QUORUM_PARAMETERS,
  probes: { ...QUORUM_PROBES, "quorum.conflictResolved": { ...QUORUM_PROBES["quorum.conflictResolved"], required: true } },
  options: quorumOptionDocs(),
  build: (seed, options) => quorumPlan(seed, options, {
    dataType: "crdt", durationMs: QUORUM_DURATION_MS, faultWindowMs: FAULT_WINDOW_MS, families: [...FAMILIES, "clock"], workload: crdtOps,
    livenessWrite: { f: "incr", key: "g:liveness", value: 1 },
  }),
});
