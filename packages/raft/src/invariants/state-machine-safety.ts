import type { Invariant, NodeId } from "@faultline/core";
import { RaftStepObserver } from "./observer.js";

interface Applied {
  entryTerm: number;
  digest: string;
  node: NodeId;
}

/**
 * State Machine Safety (Raft §5.4.3): once a server has applied an entry at an index, no server ever applies
 * a different entry at that index, over the whole run (restarts included). Observes the `commit_applied`
 * events; an entry is identified by its term and command digest. A `snapshot_installed` event must agree with
 * the term already applied at its index.
 */
export function stateMachineSafety(observer = new RaftStepObserver()): Invariant {
  const applied = new Map<number, Applied>();
  return {
    name: "StateMachineSafety",
    messageEvents: false, // it reads the step's handler nodes and log events only
    check(view) {
      observer.sync(view);
      for (const e of observer.logEvents) {
        const data = e.data as Record<string, unknown> | undefined;
        if (e.event === "commit_applied") {
          const index = data?.index as number;
          const entryTerm = data?.entryTerm as number;
          const digest = data?.digest as string;
          const known = applied.get(index);
          if (known === undefined) applied.set(index, { entryTerm, digest, node: e.node! });
          else if (known.entryTerm !== entryTerm || known.digest !== digest) {
            return `index ${index}: ${e.node} applied (term ${entryTerm}) ${digest} but ${known.node} applied (term ${known.entryTerm}) ${known.digest}`;
          }
        } else if (e.event === "snapshot_installed") {
          const index = data?.snapshotIndex as number;
          const known = applied.get(index);
          if (known !== undefined && known.entryTerm !== data?.snapshotTerm) {
            return `index ${index}: ${e.node} installed a snapshot ending in term ${String(data?.snapshotTerm)} but ${known.node} applied an entry of term ${known.entryTerm} there`;
          }
        }
      }
      return undefined;
    },
  };
}
