import type { Invariant, NodeId } from "@faultline/core";
import { PbftStepObserver, inspectReplica } from "./observer.js";

/**
 * What must survive a restart: a correct replica never comes back in an earlier view than it was in. A
 * replica that asked for view v+1 (or entered it) promised to ignore view v; one that forgot it could prepare
 * in view v again, as a byzantine replica would. The replica writes its view before the messages that depend
 * on it leave, so a crash at any step must find it on disk.
 */
export function durableView(observer = new PbftStepObserver()): Invariant {
  const highest = new Map<NodeId, number>();
  return {
    name: "DurableView",
    messageEvents: false,
    check(view) {
      observer.sync(view);
      for (const id of observer.touchedReplicas) {
        const i = inspectReplica(view, id);
        if (i === undefined) continue;
        const before = highest.get(id) ?? 0;
        if (observer.restarted.has(id) && i.view < before) return `${id} restarted in view ${i.view}, but it was in view ${before} before its crash`;
        if (i.view > before) highest.set(id, i.view);
      }
      return undefined;
    },
  };
}
