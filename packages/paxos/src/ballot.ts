import type { NodeId } from "@faultline/core";

/**
 * A ballot: a round number and the id of the proposer that owns it. Ballots are unique (a proposer only uses
 * its own id, and never reuses a round: it promises its ballot to itself durably before using it) and
 * totally ordered: by round, then by node id.
 */
export interface Ballot {
  readonly round: number;
  readonly leader: NodeId;
}

/** The ballot below every real one: what an acceptor has promised before it promised anything. */
export const ZERO_BALLOT: Ballot = Object.freeze({ round: 0, leader: "" });

/** Negative when a < b, 0 when equal, positive when a > b. */
export function compareBallots(a: Ballot, b: Ballot): number {
  if (a.round !== b.round) return a.round - b.round;
  return a.leader < b.leader ? -1 : a.leader > b.leader ? 1 : 0;
}

/** Whether two ballots are the same ballot. */
export function sameBallot(a: Ballot, b: Ballot): boolean {
  return a.round === b.round && a.leader === b.leader;
}

/** The larger of two ballots. */
export function maxBallot(a: Ballot, b: Ballot): Ballot {
  return compareBallots(a, b) >= 0 ? a : b;
}

/** A short stable name, `<round>.<leader>`, for logs, digests and map keys. */
export function ballotName(b: Ballot): string {
  return `${b.round}.${b.leader}`;
}
