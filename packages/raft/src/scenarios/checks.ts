import { checkLinearizable, type CheckVerdict, type Simulation } from "@faultline/core";
import { raftKvModel } from "./kv-model.js";

/** Search budget of the end-of-run linearizability check: bounded, so a hard history gives `unknown`, not a hang. */
export const LINEARIZABILITY_MAX_STEPS = 2_000_000;

/**
 * The end-of-run linearizability check of a Raft KV history (per key: get, put, cas). Catches stale reads
 * (a deposed leader answering from its own state) and lost or duplicated writes that the log invariants miss.
 */
export function linearizableKv(sim: Simulation): CheckVerdict {
  return checkLinearizable(sim.history, raftKvModel(), { maxSteps: LINEARIZABILITY_MAX_STEPS });
}
