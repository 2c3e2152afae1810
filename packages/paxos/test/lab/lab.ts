import { agree, appliedCount as countApplied, type KvWrite } from "@faultline/core";
import type { PaxosCluster, PaxosCommand } from "../../src/index.js";

/** Whether an applied Paxos command is the lab's put of `write`. */
const isWrite = (command: PaxosCommand, write: KvWrite): boolean => command.kind === "kv" && command.op.f === write.f && command.op.value === write.value;

/** How many nodes applied a put of `value` to the lab key at `slot`. */
export function appliedCount(c: PaxosCluster, slot: number, value: number): number {
  return countApplied(c, slot, { f: "put", key: "lab", value }, isWrite);
}

/** The 6.824 tester's `one()` (core's `agree`): `value` put to the lab key, applied by `expected` nodes; returns its slot. */
export function one(c: PaxosCluster, value: number, expected: number, withinMs = 10_000): number {
  return agree(c, { f: "put", key: "lab", value }, { expected, withinMs, isWrite });
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
