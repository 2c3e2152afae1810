import type { Invariant } from "@faultline/core";
import { ballotName } from "../ballot.js";
import { PaxosStepObserver } from "./observer.js";

/**
 * At most one value is chosen per slot (Paxos safety): no two different commands are each accepted by a majority
 * of acceptors at some ballot, over the whole run. "Chosen" is computed by the observer from acceptor states.
 */
export function chosenUnique(observer = new PaxosStepObserver()): Invariant {
  return {
    name: "ChosenUnique",
    messageEvents: false, // it reads acceptance events only
    check(view) {
      observer.sync(view);
      const c = observer.conflicts[0];
      if (c === undefined) return undefined;
      return `slot ${c.first.slot}: ${c.first.digest} was chosen at ballot ${ballotName(c.first.ballot)} and ${c.second.digest} at ballot ${ballotName(c.second.ballot)}`;
    },
  };
}
