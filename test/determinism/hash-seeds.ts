import { runScenario, type OutcomeKind, type ScenarioResult } from "@faultline/core";
import { scenarios as raftScenarios } from "@faultline/raft";
import { electionScenario } from "../../examples/buggy-election/index.js";

/** What one run of a seed must reproduce exactly, wherever it runs. */
export interface SeedFingerprint {
  seed: number;
  kind: OutcomeKind;
  step: number;
  timeUs: number;
  traceHash: string;
}

/** The seed at which the `salted` workload differs between processes. */
export const SALTED_SEED = 137;

/**
 * The determinism workloads. Payload hashing is on in each, so a message that differs in content (not only
 * in timing) shows.
 * - `election`: the buggy-election example (5 nodes, swarm faults with crashes and restarts, partitions, loss,
 *   lost unsynced writes), with its planted bug on, so that both ok and safety outcomes are covered.
 * - `raft`: Raft's swarm scenario (3 nodes, one client: every crash-fault family, clients, linearizability
 *   and liveness checks), with the planted bug noUpToDateCheck, so that some seeds fail.
 * - `salted`: the election workload, except that at {@link SALTED_SEED} the run depends on the process id: a
 *   planted cross-process nondeterminism that the comparison must find (and a one-seed check would miss).
 */
export const WORKLOADS: Readonly<Record<WorkloadName, (seed: number) => ScenarioResult>> = {
  election,
  raft: (seed) => runScenario(raftScenarios["raft-swarm"]!, { seed, options: { nodes: 3, clients: 1, bugs: ["noUpToDateCheck"] }, trace: { hashPayloads: true } }),
  salted: (seed) => election(seed === SALTED_SEED ? SALTED_SEED * 1_000_000 + process.pid : seed),
};

/** The names of the determinism workloads. */
export type WorkloadName = "election" | "raft" | "salted";

function election(seed: number): ScenarioResult {
  return runScenario(electionScenario, { seed, options: { bugs: ["forgetVote"] }, trace: { hashPayloads: true } });
}

/** The fingerprint of one seed of a workload. */
export function fingerprint(seed: number, workload: WorkloadName = "election"): SeedFingerprint {
  const o = WORKLOADS[workload](seed).outcome;
  return { seed, kind: o.kind, step: o.step, timeUs: o.timeUs, traceHash: o.traceHash };
}

/** Fingerprints of seeds from..from+count-1 of a workload, in order. */
export function fingerprintRange(from: number, count: number, workload: WorkloadName = "election"): SeedFingerprint[] {
  const out: SeedFingerprint[] = [];
  for (let seed = from; seed < from + count; seed++) out.push(fingerprint(seed, workload));
  return out;
}
