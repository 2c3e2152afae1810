import type { Invariant } from "@faultline/core";
import { PbftStepObserver } from "./observer.js";

/**
 * A new view has no holes: the O a correct replica installs orders every sequence number in (min-s, max-s],
 * a request carried over or a null request. A hole is a number no replica can ever execute past: the cluster
 * stalls for good (the liveness phase would only time out; this names the cause at the step it happens).
 */
export function newViewNoGaps(observer = new PbftStepObserver()): Invariant {
  return {
    name: "NewViewNoGaps",
    messageEvents: false,
    check(view) {
      observer.sync(view);
      for (const e of observer.events) {
        if (e.event !== "new_view_installed") continue;
        const minSeq = e.data.minSeq as number;
        const maxSeq = e.data.maxSeq as number;
        const seqs = e.data.seqs as number[];
        for (let n = minSeq + 1, i = 0; n <= maxSeq; n++, i++) {
          if (seqs[i] !== n) return `${e.node} installed view ${String(e.data.view)} whose O misses sequence number ${n} (min-s ${minSeq}, max-s ${maxSeq})`;
        }
      }
      return undefined;
    },
  };
}
