import type { PaxosCluster } from "../../src/index.js";
import { runFor, runUntil } from "../protocol/helpers.js";

/** How many nodes applied a put of `value` to the lab key at `slot`. */
export function appliedCount(c: PaxosCluster, slot: number, value: number): number {
  return c.nodes.filter((id) => c.applied(id).some((a) => a.index === slot && a.command.kind === "kv" && a.command.op.value === value)).length;
}

/**
 * The 6.824 tester's `one()`, on the kit's API: offer `value` to each node in turn until one leader takes it,
 * then wait until `expected` nodes applied it at the slot it landed in; retry for `withinMs`. Returns the slot.
 */
export function one(c: PaxosCluster, value: number, expected: number, withinMs = 10_000): number {
  const deadlineMs = c.sim.nowUs / 1000 + withinMs;
  let start = 0;
  while (c.sim.nowUs / 1000 < deadlineMs) {
    for (let k = 0; k < c.nodes.length; k++) {
      const id = c.nodes[(start + k) % c.nodes.length]!;
      if (!c.sim.isUp(id)) continue;
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

/** The id of the running leader with the highest ballot. */
export function leaderId(c: PaxosCluster): string {
  const leaders = c.leaders();
  if (leaders.length === 0) throw new Error("no leader");
  return leaders.reduce((a, b) => (b.leaderBallot()!.round > a.leaderBallot()!.round ? b : a)).inspect().id;
}

/** The lab key's values a node applied, in slot order. */
export function labValues(c: PaxosCluster, id: string): unknown[] {
  return c.applied(id).flatMap((a) => (a.command.kind === "kv" && a.command.op.key === "lab" ? [a.command.op.value] : []));
}
