import type { NodeId } from "@faultline/core";
import type { PbftBugSet } from "../bugs.js";
import type { Digest } from "../messages.js";

/**
 * The cluster's shape and PBFT's certificate sizes, in one place. With n = 3f+1 the quorum is 2f+1; with
 * more replicas it is core's byzantine quorum ceil((n+f+1)/2), so that two quorums always share a correct
 * replica.
 */
export interface Quorums {
  readonly replicas: readonly NodeId[];
  readonly n: number;
  readonly f: number;
  /** 2f+1: view changes in a NEW-VIEW, checkpoints in a stable proof, commits for committed-local. */
  readonly quorum: number;
  /** 2f: the matching prepares from distinct backups that, with the pre-prepare, make a request prepared. */
  readonly preparedVotes: number;
  /** 2f+1: matching commits (its own included) for committed-local. */
  readonly commitVotes: number;
  /** f+1: a weak certificate, one correct member at least (the join rule, checkpoints beyond the window, a client's replies). */
  readonly weak: number;
  /** Whether a vote for `digest` counts toward a certificate of `expected` (the planted bug counts any digest). */
  matches(digest: Digest, expected: Digest): boolean;
  /** Whether a checkpoint for `digest` counts toward a stable proof of `expected`. */
  checkpointMatches(digest: Digest, expected: Digest): boolean;
  /** The primary of `view`: replicas[view mod n]. */
  primary(view: number): NodeId;
}

/** The quorums of a cluster of `replicas` tolerating `f`, with the planted bugs that change them. */
export function quorums(replicas: readonly NodeId[], f: number, quorum: number, bugs: PbftBugSet): Quorums {
  const short = bugs.has("wrongQuorum") ? 1 : 0; // planted bug: every certificate one vote short
  const anyDigest = bugs.has("unmatchedDigest"); // planted bug: votes counted without comparing (v, n, d)
  const anyCheckpoint = bugs.has("uncheckedCheckpointDigest"); // planted bug: checkpoint proofs not compared by digest
  return {
    replicas, n: replicas.length, f, quorum,
    preparedVotes: quorum - 1 - short,
    commitVotes: quorum - short,
    weak: f + 1,
    matches: (digest, expected) => anyDigest || digest === expected,
    checkpointMatches: (digest, expected) => anyCheckpoint || digest === expected,
    primary: (view) => replicas[view % replicas.length]!,
  };
}
