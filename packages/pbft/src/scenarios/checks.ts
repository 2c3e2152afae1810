import { casRegisterModel, checkLinearizable, type CheckVerdict, type Simulation } from "@faultline/core";

/** Search budget of the end-of-run linearizability check: bounded, so a hard history gives `unknown`, not a hang. */
export const LINEARIZABILITY_MAX_STEPS = 2_000_000;

/**
 * The end-of-run linearizability check of a PBFT history: the workload is core's register workload (read,
 * write and cas per key), checked with core's cas-register model. A wrong result a client accepted, or a
 * request executed twice, shows here too.
 */
export function linearizableRegisters(sim: Simulation): CheckVerdict {
  return checkLinearizable(sim.history, casRegisterModel(), { maxSteps: LINEARIZABILITY_MAX_STEPS });
}
