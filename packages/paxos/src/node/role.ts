import type { NodeId } from "@faultline/core";
import type { Ballot } from "../ballot.js";
import type { LeaderState } from "./leader.js";
import type { PromiseReport } from "./phase1.js";

/** The proposer's role, a discriminated union: a follower, a candidate in phase 1, or a leader. */
export type Role =
  | { kind: "follower" }
  | { kind: "candidate"; ballot: Ballot; fromSlot: number; promises: Map<NodeId, PromiseReport> }
  | { kind: "leader"; state: LeaderState };

/** The exhaustiveness check of a switch over a union. */
export function unreachable(x: never): never {
  throw new Error(`unreachable: ${JSON.stringify(x)}`);
}
