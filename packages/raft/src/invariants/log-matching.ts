import type { Invariant, NodeId } from "@faultline/core";
import { RaftStepObserver, termAt } from "./observer.js";

interface EntryRecord {
  digest: string;
  prevTerm: number;
  node: NodeId;
}

/**
 * Log Matching (Raft §5.3): if two logs hold an entry with the same index and term, the logs are identical
 * up to that index.
 *
 * Checked incrementally through the property the paper proves it from: a leader creates at most one entry
 * per index in its term, and the consistency check copies it only after a matching predecessor. So over the
 * whole run, each (index, term) pair must always carry the same command digest and sit after an entry of the
 * same term. By induction on the index, two logs that agree on (index, term) then agree on every earlier
 * entry. Each step checks only the entries that changed.
 */
export function logMatching(observer = new RaftStepObserver()): Invariant {
  const seen = new Map<string, EntryRecord>();
  return {
    name: "LogMatching",
    messageEvents: false, // it reads the step's handler nodes and log events only
    check(view) {
      observer.sync(view);
      for (const { id, inspection: insp, change } of observer.up) {
        const s = insp.snapshotIndex;
        for (let idx = Math.max(change.firstChanged, s + 1); idx <= change.newLast; idx++) {
          const e = insp.entries[idx - s - 1]!;
          const prevTerm = termAt(insp, idx - 1)!;
          const key = `${idx}:${e.term}`;
          const known = seen.get(key);
          if (known === undefined) {
            seen.set(key, { digest: e.digest, prevTerm, node: id });
            continue;
          }
          if (known.digest !== e.digest) {
            return `entry (index ${idx}, term ${e.term}) differs: ${id} has ${e.digest}, ${known.node} had ${known.digest}`;
          }
          if (known.prevTerm !== prevTerm) {
            return `logs with entry (index ${idx}, term ${e.term}) differ before it: on ${id} index ${idx - 1} has term ${prevTerm}, on ${known.node} term ${known.prevTerm}`;
          }
        }
      }
      return undefined;
    },
  };
}
