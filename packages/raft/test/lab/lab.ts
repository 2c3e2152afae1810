import { agree, appliedCount as countApplied, type KvWrite } from "@faultline/core";
import type { RaftCluster, RaftCommand } from "../../src/index.js";

/** Whether an applied Raft command is the lab's put of `write`. */
const isWrite = (command: RaftCommand, write: KvWrite): boolean => command.kind === "kv" && command.op.f === write.f && command.op.value === write.value;

/** How many nodes applied a put of `value` to the lab key at `index`. */
export function appliedCount(c: RaftCluster, index: number, value: number): number {
  return countApplied(c, index, { f: "put", key: "lab", value }, isWrite);
}

/** The 6.824 tester's `one()` (core's `agree`): `value` put to the lab key, applied by `expected` nodes; returns its index. */
export function one(c: RaftCluster, value: number, expected: number, withinMs = 10_000): number {
  return agree(c, { f: "put", key: "lab", value }, { expected, withinMs, isWrite });
}

/** The leader that a majority follows now, found by proposing nothing: the node whose role is leader in the highest term. */
export function leaderId(c: RaftCluster): string {
  const leaders = c.leaders();
  if (leaders.length === 0) throw new Error("no leader");
  return leaders.reduce((a, b) => (b.currentTerm > a.currentTerm ? b : a)).inspect().id;
}
