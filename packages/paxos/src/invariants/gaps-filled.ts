import type { Invariant } from "@faultline/core";
import { ballotName, sameBallot, type Ballot } from "../ballot.js";
import { PaxosStepObserver } from "./observer.js";

/**
 * A new leader proposes in every open slot (Multi-Paxos's gap filling): when it wins phase 1 it puts, at its
 * ballot, a value in each slot from its start slot up to its first free slot (the highest-ballot value reported,
 * or a no-op), and its own acceptor accepts them in that same step. A slot left empty there is a hole no later
 * slot can be applied past, unless it was already applied. Reads the `leader_elected` and `pvalue_accepted`
 * events of the step, and the leader's applied prefix; a leader that crashed within the step is not judged (a
 * crash may cut its handler short, and it leads no more).
 */
export function gapsFilled(observer = new PaxosStepObserver()): Invariant {
  return {
    name: "GapsFilled",
    messageEvents: false, // it reads the step's log events and inspections only
    check(view) {
      observer.sync(view);
      for (const e of observer.logEvents) {
        if (e.event !== "leader_elected") continue;
        // a node that crashed in this very step (a crash may strike mid-handler) proposes nothing more: moot
        const leader = observer.up.find((n) => n.id === e.node);
        if (leader === undefined) continue;
        const data = e.data as { startSlot: number; nextSlot: number; ballot: string };
        const proposed = new Set<number>();
        let ballot: Ballot | undefined;
        for (const a of observer.acceptances) {
          if (a.node !== e.node || ballotName(a.pvalue.ballot) !== data.ballot) continue;
          if (ballot !== undefined && !sameBallot(ballot, a.pvalue.ballot)) continue;
          ballot = a.pvalue.ballot;
          proposed.add(a.pvalue.slot);
        }
        for (let slot = Math.max(data.startSlot, leader.inspection.appliedThrough + 1); slot < data.nextSlot; slot++) {
          if (!proposed.has(slot)) return `${e.node} won phase 1 at ballot ${data.ballot} and left slot ${slot} empty (its slots run ${data.startSlot} to ${data.nextSlot - 1})`;
        }
      }
      return undefined;
    },
  };
}
