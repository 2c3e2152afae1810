import type { Invariant } from "@faultline/core";
import { appliedAgreement } from "./applied-agreement.js";
import { appliedChosen } from "./applied-chosen.js";
import { appliedContiguous } from "./applied-contiguous.js";
import { chosenStable } from "./chosen-stable.js";
import { chosenUnique } from "./chosen-unique.js";
import { durableState } from "./durable-state.js";
import { gapsFilled } from "./gaps-filled.js";
import { PaxosStepObserver } from "./observer.js";
import { preemptionBackoff } from "./preemption-backoff.js";
import { promiseMonotonic } from "./promise-monotonic.js";

/** The names of the Multi-Paxos invariants, as they appear in violation outcomes. */
export const PAXOS_INVARIANT_NAMES = [
  "ChosenUnique",
  "ChosenStable",
  "PromiseMonotonic",
  "DurableState",
  "AppliedAgreement",
  "AppliedContiguous",
  "AppliedChosen",
  "GapsFilled",
  "PreemptionBackoff",
] as const;

/** A Multi-Paxos invariant name. */
export type PaxosInvariantName = (typeof PAXOS_INVARIANT_NAMES)[number];

/**
 * Every Multi-Paxos invariant, created fresh for one run. They share one step observer, so each step inspects
 * each touched node and reads each new acceptance once, whatever the number of invariants. Pass `only` to pick
 * a subset.
 */
export function paxosInvariants(only?: readonly PaxosInvariantName[]): Invariant[] {
  const observer = new PaxosStepObserver();
  const all: Record<PaxosInvariantName, () => Invariant> = {
    ChosenUnique: () => chosenUnique(observer),
    ChosenStable: () => chosenStable(observer),
    PromiseMonotonic: () => promiseMonotonic(observer),
    DurableState: () => durableState(observer),
    AppliedAgreement: () => appliedAgreement(observer),
    AppliedContiguous: () => appliedContiguous(observer),
    AppliedChosen: () => appliedChosen(observer),
    GapsFilled: () => gapsFilled(observer),
    PreemptionBackoff: () => preemptionBackoff(observer),
  };
  return (only ?? PAXOS_INVARIANT_NAMES).map((name) => all[name]());
}

export {
  chosenUnique, chosenStable, promiseMonotonic, durableState, appliedAgreement, appliedContiguous, appliedChosen, gapsFilled, preemptionBackoff,
  PaxosStepObserver,
};
