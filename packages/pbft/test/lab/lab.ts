import { agree, appliedCount as coreAppliedCount, type KvWrite } from "@faultline/core";
import type { PbftCluster, PbftCommand } from "../../src/index.js";

/** Whether an executed command is the lab write `write`. */
const isWrite = (command: PbftCommand, write: KvWrite): boolean => command.kind === "request" && command.op.f === write.f && command.op.key === write.key && "value" in command.op && command.op.value === write.value;

/** How many replicas executed a put of `value` to the lab key at `index`. */
export function appliedCount(c: PbftCluster, index: number, value: number): number {
  return coreAppliedCount(c, index, { f: "put", key: "lab", value }, isWrite);
}

/** Runs `ms` of simulated time; throws on a violation. */
export function runFor(c: PbftCluster, ms: number): void {
  const outcome = c.sim.run({ untilMs: c.sim.nowUs / 1000 + ms });
  if (outcome.kind !== "ok") throw new Error(`${outcome.kind}: ${outcome.invariant ?? ""} ${outcome.message}`);
}

/**
 * The 6.824 tester's `one()` (core's `agree`): offer a put of `value` to each replica in turn until one takes it
 * (the primary; a backup refuses with NOT_LEADER, relaying it), then wait until `expected` replicas executed it
 * where it landed. Returns that index.
 */
export function one(c: PbftCluster, value: number, expected: number, withinMs = 10_000): number {
  return agree(c, { f: "put", key: "lab", value }, { expected, isWrite, withinMs });
}
