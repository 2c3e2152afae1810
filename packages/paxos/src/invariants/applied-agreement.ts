import type { Invariant, NodeId } from "@faultline/core";
import { PaxosStepObserver } from "./observer.js";

/**
 * Applied prefixes agree: once a replica has applied a command at a slot, no replica ever applies a different
 * command there, over the whole run (restarts included). Reads the `commit_applied` events.
 */
export function appliedAgreement(observer = new PaxosStepObserver()): Invariant {
  const applied = new Map<number, { digest: string; node: NodeId }>();
  return {
    name: "AppliedAgreement",
    messageEvents: false, // it reads the step's log events only
    check(view) {
      observer.sync(view);
      for (const e of observer.logEvents) {
        if (e.event !== "commit_applied") continue;
        const data = e.data as { slot: number; digest: string };
        const known = applied.get(data.slot);
        if (known === undefined) applied.set(data.slot, { digest: data.digest, node: e.node! });
        else if (known.digest !== data.digest) return `slot ${data.slot}: ${e.node} applied ${data.digest} but ${known.node} applied ${known.digest}`;
      }
      return undefined;
    },
  };
}
