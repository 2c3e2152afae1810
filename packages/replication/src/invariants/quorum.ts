import { stableJson, type Invariant, type NodeId } from "@faultline/core";
import type { StoredValue } from "../quorum/data-types.js";
import type { QuorumInspection } from "../quorum/inspect.js";
import { inspectAs } from "./step-log.js";

/**
 * EqualUpdatesEqualState: strong eventual consistency (Shapiro et al.): any two replicas of a key that have
 * seen the same writes (equal causal contexts) hold the same state. A merge that is not commutative,
 * associative and idempotent breaks it as soon as two replicas merge the same writes in different orders,
 * long before they would be compared at quiescence. Looks only at the keys whose state changed in the step
 * (states are replaced, never mutated, so a changed state is a new object).
 */
export function equalUpdatesEqualState(nodes: readonly NodeId[]): Invariant {
  const lastSeen = new Map<NodeId, Map<string, StoredValue>>();
  return {
    name: "EqualUpdatesEqualState",
    messageEvents: false,
    check(view) {
      for (const id of view.stepNodes) {
        if (!nodes.includes(id)) continue;
        const mine = inspectAs<QuorumInspection>(view, id);
        if (mine === undefined) continue;
        let last = lastSeen.get(id);
        if (last === undefined) lastSeen.set(id, (last = new Map()));
        for (const [key, state] of mine.values) {
          if (last.get(key) === state) continue;
          last.set(key, state);
          const message = compareWithReplicas(view, mine, key, state);
          if (message !== undefined) return message;
        }
      }
      return undefined;
    },
  };
}

function compareWithReplicas(view: Parameters<Invariant["check"]>[0], mine: QuorumInspection, key: string, state: StoredValue): string | undefined {
  const ctx = stableJson(state.ctx);
  const data = stableJson(state.data);
  for (const other of mine.preference(key)) {
    if (other === mine.id) continue;
    const theirs = inspectAs<QuorumInspection>(view, other)?.values.get(key);
    if (theirs === undefined || stableJson(theirs.ctx) !== ctx) continue;
    const theirData = stableJson(theirs.data);
    if (theirData !== data) return `${mine.id} and ${other} have seen the same writes to ${JSON.stringify(key)} (context ${ctx}) but hold different states: ${data} vs ${theirData}`;
  }
  return undefined;
}

/**
 * DotCounterSurvivesRestart: a node's dot counter never goes back, across its restarts too. A counter that came
 * back lower would stamp a new write with a dot already used, and two different writes would pass for one.
 */
export function dotCounterSurvivesRestart(nodes: readonly NodeId[]): Invariant {
  const highest = new Map<NodeId, number>();
  return {
    name: "DotCounterSurvivesRestart",
    messageEvents: false,
    check(view) {
      for (const id of view.stepNodes) {
        if (!nodes.includes(id)) continue;
        const counter = inspectAs<QuorumInspection>(view, id)?.counter;
        if (counter === undefined) continue;
        const before = highest.get(id) ?? 0;
        if (counter < before) return `${id} had used dots up to ${before}, and now (incarnation ${view.incarnation(id)}) its counter is ${counter}`;
        highest.set(id, counter);
      }
      return undefined;
    },
  };
}

/** The quorum invariants for one run. */
export function quorumInvariants(nodes: readonly NodeId[]): Invariant[] {
  return [equalUpdatesEqualState(nodes), dotCounterSurvivesRestart(nodes)];
}
