import type { Invariant, NodeId } from "@faultline/core";
import { PbftStepObserver } from "./observer.js";

/**
 * Checkpoints agree: the service state of every correct replica at a checkpoint's sequence number has one
 * digest, whether the replica executed its way there, made it stable, or installed it by state transfer.
 * A replica that installed a wrong state (a byzantine state transfer) shows here at once.
 */
export function checkpointAgreement(observer = new PbftStepObserver()): Invariant {
  const digests = new Map<number, { digest: string; node: NodeId; how: string }>();
  return {
    name: "CheckpointAgreement",
    messageEvents: false,
    check(view) {
      observer.sync(view);
      for (const e of observer.events) {
        if (e.event !== "checkpoint_taken" && e.event !== "checkpoint_stable" && e.event !== "state_transferred") continue;
        const seq = e.data.seq as number;
        const digest = e.data.digest as string;
        const known = digests.get(seq);
        if (known === undefined) digests.set(seq, { digest, node: e.node, how: e.event });
        else if (known.digest !== digest) return `state at sequence number ${seq}: ${e.node} has ${digest} (${e.event}) but ${known.node} has ${known.digest} (${known.how})`;
      }
      return undefined;
    },
  };
}
