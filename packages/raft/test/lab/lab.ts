import type { RaftCluster } from "../../src/index.js";
import { runFor, runUntil } from "../protocol/helpers.js";

/** How many nodes applied a put of `value` to the lab key at `index`. */
export function appliedCount(c: RaftCluster, index: number, value: number): number {
  return c.nodes.filter((id) => c.applied(id).some((a) => a.index === index && a.command.kind === "kv" && a.command.op.value === value)).length;
}

/**
 * The 6.824 tester's `one()`, on the kit's API: offer `value` to each node in turn until one leader takes
 * it, then wait until `expected` nodes applied it at the index it landed at; retry for `withinMs`.
 * Returns that index. A leader that cannot commit (cut off from its majority) costs one round of waiting.
 */
export function one(c: RaftCluster, value: number, expected: number, withinMs = 10_000): number {
  const deadlineMs = c.sim.nowUs / 1000 + withinMs;
  let start = 0;
  while (c.sim.nowUs / 1000 < deadlineMs) {
    for (let k = 0; k < c.nodes.length; k++) {
      const id = c.nodes[(start + k) % c.nodes.length]!;
      const r = c.propose(id, { f: "put", key: "lab", value });
      if (!r.accepted) continue;
      start = (start + k + 1) % c.nodes.length;
      if (runUntil(c, 2000, () => appliedCount(c, r.index, value) >= expected)) return r.index;
      break;
    }
    runFor(c, 50);
  }
  throw new Error(`one(${value}) did not reach agreement on ${expected} nodes within ${withinMs} ms`);
}

/** The leader that a majority follows now, found by proposing nothing: the node whose role is leader in the highest term. */
export function leaderId(c: RaftCluster): string {
  const leaders = c.leaders();
  if (leaders.length === 0) throw new Error("no leader");
  return leaders.reduce((a, b) => (b.currentTerm > a.currentTerm ? b : a)).inspect().id;
}
