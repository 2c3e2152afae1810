import type { Invariant, NodeId, TraceEvent } from "@faultline/core";
import { PaxosStepObserver } from "./observer.js";

/**
 * Applied slots are contiguous: each replica applies slot k+1 right after slot k (`commit_applied`, in order),
 * a snapshot install never moves its applied state back, and `appliedThrough` matches the applies it
 * announced. After a (re)start the cursor starts where the recovered state says (its appliedThrough before
 * the applies of that step).
 */
export function appliedContiguous(observer = new PaxosStepObserver()): Invariant {
  const cursor = new Map<NodeId, number>();
  return {
    name: "AppliedContiguous",
    messageEvents: false, // it reads the step's log events and inspections only
    check(view) {
      observer.sync(view);
      for (const id of observer.restarted) cursor.delete(id);
      for (const { id, inspection } of observer.up) {
        if (cursor.has(id)) continue;
        const applies = observer.logEvents.filter((e) => e.node === id && e.event === "commit_applied").length;
        cursor.set(id, inspection.appliedThrough - applies);
      }
      for (const e of observer.logEvents) {
        const problem = advance(e, cursor);
        if (problem !== undefined) return problem;
      }
      for (const { id, inspection } of observer.up) {
        const at = cursor.get(id);
        if (at !== undefined && inspection.appliedThrough !== at) return `${id} reports appliedThrough ${inspection.appliedThrough} but announced applies up to ${at}`;
      }
      return undefined;
    },
  };
}

function advance(e: TraceEvent, cursor: Map<NodeId, number>): string | undefined {
  const id = e.node!;
  const at = cursor.get(id);
  if (at === undefined) return undefined;
  const slot = (e.data as { slot?: number } | undefined)?.slot ?? 0;
  if (e.event === "commit_applied") {
    if (slot !== at + 1) return `${id} applied slot ${slot} right after slot ${at}`;
    cursor.set(id, slot);
  } else if (e.event === "snapshot_installed") {
    if (slot < at) return `${id} installed a snapshot of slot ${slot}, behind its applied slot ${at}`;
    cursor.set(id, slot);
  }
  return undefined;
}
