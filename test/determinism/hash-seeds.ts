import { runScenario, type OutcomeKind } from "@faultline/core";
import { electionScenario } from "../../examples/buggy-election/index.js";

/** What one run of a seed must reproduce exactly, wherever it runs. */
export interface SeedFingerprint {
  seed: number;
  kind: OutcomeKind;
  step: number;
  timeUs: number;
  traceHash: string;
}

/**
 * The determinism workload: the buggy-election example (5 nodes, swarm faults with crashes and restarts,
 * partitions, loss, lost unsynced writes), with the planted bug on, so that both ok and safety outcomes
 * are covered. Payload hashing is on, so a message that differs in content (not only in timing) shows.
 */
export function fingerprint(seed: number): SeedFingerprint {
  const result = runScenario(electionScenario, { seed, options: { bugs: ["forgetVote"] }, trace: { hashPayloads: true } });
  const o = result.outcome;
  return { seed, kind: o.kind, step: o.step, timeUs: o.timeUs, traceHash: o.traceHash };
}

/** Fingerprints of seeds from..from+count-1, in order. */
export function fingerprintRange(from: number, count: number): SeedFingerprint[] {
  const out: SeedFingerprint[] = [];
  for (let seed = from; seed < from + count; seed++) out.push(fingerprint(seed));
  return out;
}
