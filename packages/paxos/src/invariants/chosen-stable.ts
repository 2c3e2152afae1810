import type { Invariant } from "@faultline/core";
import { ballotName, compareBallots } from "../ballot.js";
import type { ChosenValue } from "./chosen-tracker.js";
import { PaxosStepObserver, type Acceptance } from "./observer.js";

/**
 * Once (b, s, v) is chosen, every acceptance in slot s at a ballot above b carries v (Lamport's P2a, the fact a
 * new leader's adoption rule exists to keep). Checked both ways each step: a new acceptance against the values
 * already chosen in its slot, and a newly chosen value against every acceptance recorded above it.
 */
export function chosenStable(observer = new PaxosStepObserver()): Invariant {
  return {
    name: "ChosenStable",
    messageEvents: false, // it reads acceptance events only
    check(view) {
      observer.sync(view);
      for (const a of observer.acceptances) {
        const problem = againstChosen(a, observer.tracker.chosenIn(a.pvalue.slot));
        if (problem !== undefined) return problem;
      }
      for (const c of observer.newlyChosen) {
        const other = observer.tracker.votesAbove(c.slot, c.ballot).find((v) => v.digest !== c.digest);
        if (other !== undefined) {
          return `slot ${c.slot}: ${c.digest} is chosen at ballot ${ballotName(c.ballot)}, but ${[...other.acceptors].join(", ")} accepted ${other.digest} at the higher ballot ${ballotName(other.ballot)}`;
        }
      }
      return undefined;
    },
  };
}

function againstChosen(a: Acceptance, chosen: readonly ChosenValue[]): string | undefined {
  for (const c of chosen) {
    if (compareBallots(a.pvalue.ballot, c.ballot) > 0 && a.pvalue.digest !== c.digest) {
      return `slot ${c.slot}: ${c.digest} was chosen at ballot ${ballotName(c.ballot)}, but ${a.node} accepted ${a.pvalue.digest} at the higher ballot ${ballotName(a.pvalue.ballot)}`;
    }
  }
  return undefined;
}
