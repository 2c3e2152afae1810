import type { PbftCluster } from "../../src/index.js";

/** How many replicas executed a put of `value` to the lab key at `index`. */
export function appliedCount(c: PbftCluster, index: number, value: number): number {
  return c.nodes.filter((id) => c.applied(id).some((a) => a.index === index && a.command.kind === "request" && a.command.op.f === "put" && a.command.op.value === value)).length;
}

/** Runs `ms` of simulated time; throws on a violation. */
export function runFor(c: PbftCluster, ms: number): void {
  const outcome = c.sim.run({ untilMs: c.sim.nowUs / 1000 + ms });
  if (outcome.kind !== "ok") throw new Error(`${outcome.kind}: ${outcome.invariant ?? ""} ${outcome.message}`);
}

/**
 * The 6.824 tester's `one()` on the kit's API: offer `value` to each replica in turn until one takes it (the
 * primary; a backup refuses with NOT_LEADER, relaying it), then wait until `expected` replicas executed it
 * where it landed; retry for `withinMs`, starting after the replica that took it last. Returns that index.
 */
export function one(c: PbftCluster, value: number, expected: number, withinMs = 10_000): number {
  const deadlineMs = c.sim.nowUs / 1000 + withinMs;
  let start = 0;
  while (c.sim.nowUs / 1000 < deadlineMs) {
    for (let k = 0; k < c.nodes.length; k++) {
      const id = c.nodes[(start + k) % c.nodes.length]!;
      const r = c.propose(id, { f: "put", key: "lab", value });
      if (!r.accepted) continue;
      start = (start + k + 1) % c.nodes.length; // a primary that cannot commit (cut off) costs one round, then the next is asked
      const until = () => appliedCount(c, r.index, value) >= expected;
      const outcome = c.sim.run({ untilMs: c.sim.nowUs / 1000 + 2000, until });
      if (outcome.kind !== "ok") throw new Error(`${outcome.kind}: ${outcome.invariant ?? ""} ${outcome.message}`);
      if (until()) return r.index;
      break;
    }
    runFor(c, 50);
  }
  throw new Error(`one(${value}) did not reach ${expected} replicas within ${withinMs} ms`);
}
