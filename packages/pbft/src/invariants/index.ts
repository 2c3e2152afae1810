import type { Invariant } from "@faultline/core";
import { checkpointAgreement } from "./checkpoint-agreement.js";
import { clientResult } from "./client-result.js";
import { commitAgreement } from "./commit-agreement.js";
import { durableView } from "./durable-view.js";
import { executeOnce } from "./execute-once.js";
import { executedPrefixAgreement } from "./executed-prefix.js";
import { newViewNoGaps } from "./new-view-no-gaps.js";
import { PbftStepObserver } from "./observer.js";

/** The names of the PBFT invariants, as they appear in violation outcomes. */
export const PBFT_INVARIANT_NAMES = [
  "CommitAgreement", "ExecutedPrefixAgreement", "CheckpointAgreement", "ExecuteOnce", "ClientResult", "NewViewNoGaps", "DurableView",
] as const;

/** A PBFT invariant name. */
export type PbftInvariantName = (typeof PBFT_INVARIANT_NAMES)[number];

/**
 * Every PBFT invariant, created fresh for one run, checked among the correct replicas after every step. They
 * share one step observer. Pass `only` to pick a subset.
 */
export function pbftInvariants(only?: readonly PbftInvariantName[]): Invariant[] {
  const observer = new PbftStepObserver();
  const all: Record<PbftInvariantName, () => Invariant> = {
    CommitAgreement: () => commitAgreement(observer),
    ExecutedPrefixAgreement: () => executedPrefixAgreement(observer),
    CheckpointAgreement: () => checkpointAgreement(observer),
    ExecuteOnce: () => executeOnce(observer),
    ClientResult: () => clientResult(observer),
    NewViewNoGaps: () => newViewNoGaps(observer),
    DurableView: () => durableView(observer),
  };
  return (only ?? PBFT_INVARIANT_NAMES).map((name) => all[name]());
}

export { checkpointAgreement, clientResult, commitAgreement, durableView, executeOnce, executedPrefixAgreement, newViewNoGaps, PbftStepObserver };
