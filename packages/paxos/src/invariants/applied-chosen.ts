import type { Invariant } from "@faultline/core";
import { ballotName } from "../ballot.js";
import { PaxosStepObserver } from "./observer.js";

/**
 * A replica applies at a slot only the value chosen there: a leader decides, and a follower learns, a value
 * only once a majority of acceptors accepted it at one ballot. Compares each `commit_applied` event with what
 * the observer computed as chosen from acceptor states; catches a leader that counted acceptances it must not.
 */
export function appliedChosen(observer = new PaxosStepObserver()): Invariant {
  return {
    name: "AppliedChosen",
    messageEvents: false, // it reads log events only
    check(view) {
      observer.sync(view);
      for (const e of observer.logEvents) {
        if (e.event !== "commit_applied") continue;
        const data = e.data as { slot: number; digest: string; ballot: string };
        const chosen = observer.tracker.chosenIn(data.slot);
        if (chosen.some((c) => c.digest === data.digest)) continue;
        const what = chosen.length === 0 ? "nothing was chosen there" : `the chosen value is ${chosen[0]!.digest} (ballot ${ballotName(chosen[0]!.ballot)})`;
        return `${e.node} applied ${data.digest} (ballot ${data.ballot}) at slot ${data.slot}, but ${what}`;
      }
      return undefined;
    },
  };
}
