import type { BugCatalogue } from "@faultline/core";

/**
 * Planted bugs: small, plausible mistakes from the PBFT bug catalogue (PROTOCOLS.md), each next to the
 * correct code path and off by default. They prove that the checks catch real mistakes; never enable them
 * outside tests and demos.
 */
export const PBFT_BUGS = {
  unmatchedDigest:
    "prepares and commits are counted by view and sequence number without comparing digests, so votes for different requests add up: two requests commit at one sequence number (CommitAgreement)",
  wrongQuorum:
    "quorums one short: prepared with 2f-1 matching prepares and committed-local with 2f commits (instead of 2f and 2f+1); an equivocating primary gets two requests committed at one sequence number (CommitAgreement)",
  executeOnPrepared:
    "a replica executes a request once it is prepared instead of committed-local; a view change that never heard of it orders something else there (ExecutedPrefixAgreement, CommitAgreement)",
  lowestViewCertificate:
    "a new primary re-proposes, for each sequence number, the prepared certificate of the lowest view in V instead of the highest; an old, superseded request comes back (CommitAgreement)",
  trustNewView:
    "backups accept a NEW-VIEW's O without recomputing it from V; a byzantine new primary drops requests that were committed (CommitAgreement)",
  noNullRequests:
    "a new primary leaves the sequence numbers nothing prepared at empty instead of filling them with null requests: the new view has holes it can never execute past (NewViewNoGaps)",
  acceptFirstReply:
    "the client accepts the first reply instead of f+1 matching replies from distinct replicas; a byzantine replica's wrong result reaches the history (ClientResult)",
  uncheckedCheckpointDigest:
    "a checkpoint proof is counted by sequence number without comparing the state digests, so a lagging replica installs a byzantine replica's state by state transfer (CheckpointAgreement)",
} as const;

/** A planted-bug name. */
export type PbftBug = keyof typeof PBFT_BUGS;

/** The enabled planted bugs, checked with `has`. */
export type PbftBugSet = ReadonlySet<PbftBug>;

/** The checks that see two requests ordered at one sequence number. */
const AGREEMENT = ["CommitAgreement", "ExecutedPrefixAgreement"];

/**
 * The planted bugs as a hunt catalogue (core's `BugCatalogue`): each with the scenario whose random seeds find it,
 * the byzantine behaviours the hunt draws from (the one that exposes it), and the checks meant to catch it.
 * `faultline hunt @faultline/pbft` sweeps each from seed 1 to its first safety violation and shrinks it.
 */
export const bugs: BugCatalogue = {
  unmatchedDigest: { description: PBFT_BUGS.unmatchedDigest, scenario: "pbft-byzantine-swarm", options: { behaviors: ["equivocate"] }, caughtBy: AGREEMENT },
  wrongQuorum: { description: PBFT_BUGS.wrongQuorum, scenario: "pbft-byzantine-swarm", options: { behaviors: ["equivocate"] }, caughtBy: AGREEMENT },
  executeOnPrepared: { description: PBFT_BUGS.executeOnPrepared, scenario: "pbft-view-change", caughtBy: [...AGREEMENT, "ClientResult", "linearizability"] },
  lowestViewCertificate: { description: PBFT_BUGS.lowestViewCertificate, scenario: "pbft-view-change", options: { behaviors: ["replay"] }, caughtBy: AGREEMENT },
  trustNewView: { description: PBFT_BUGS.trustNewView, scenario: "pbft-byzantine-swarm", options: { behaviors: ["badNewView"] }, caughtBy: AGREEMENT },
  noNullRequests: { description: PBFT_BUGS.noNullRequests, scenario: "pbft-view-change", caughtBy: ["NewViewNoGaps"] },
  acceptFirstReply: { description: PBFT_BUGS.acceptFirstReply, scenario: "pbft-byzantine-swarm", options: { behaviors: ["wrongReply"] }, caughtBy: ["ClientResult", "linearizability"] },
  uncheckedCheckpointDigest: {
    description: PBFT_BUGS.uncheckedCheckpointDigest, scenario: "pbft-state-transfer", options: { behaviors: ["badCheckpoint"], byzantine: 1 }, caughtBy: ["CheckpointAgreement", ...AGREEMENT],
  },
};
