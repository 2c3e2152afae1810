import type { Invariant, NodeId } from "@faultline/core";
import { PbftStepObserver } from "./observer.js";

/**
 * Executed prefixes agree: every correct replica executes the same request (or null request) at each sequence
 * number, and executes numbers in order, one after the other (a restart goes back to its stable checkpoint, a
 * state transfer jumps ahead: both start a new run of numbers).
 */
export function executedPrefixAgreement(observer = new PbftStepObserver()): Invariant {
  const executed = new Map<number, { digest: string; node: NodeId }>();
  const lastSeq = new Map<NodeId, number>();
  return {
    name: "ExecutedPrefixAgreement",
    messageEvents: false,
    check(view) {
      observer.sync(view);
      for (const id of observer.restarted) lastSeq.delete(id);
      for (const e of observer.events) {
        if (e.event === "state_transferred") lastSeq.set(e.node, e.data.seq as number);
        if (e.event !== "executed") continue;
        const seq = e.data.seq as number;
        const digest = e.data.digest as string;
        const last = lastSeq.get(e.node);
        if (last !== undefined && seq !== last + 1) return `${e.node} executed sequence number ${seq} right after ${last}`;
        lastSeq.set(e.node, seq);
        const known = executed.get(seq);
        if (known === undefined) executed.set(seq, { digest, node: e.node });
        else if (known.digest !== digest) return `sequence number ${seq}: ${e.node} executed ${digest} but ${known.node} executed ${known.digest}`;
      }
      return undefined;
    },
  };
}
