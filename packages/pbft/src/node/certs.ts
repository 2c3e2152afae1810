import type { NodeId } from "@faultline/core";
import { authentic, requestDigest } from "../auth.js";
import { NULL_DIGEST, type Commit, type PreparedCert, type PrePrepare, type StableCheckpoint, type ViewChange } from "../messages.js";
import type { Quorums } from "./quorums.js";
import { initialStateDigest } from "./service.js";

/**
 * Checks of the certificates replicas show each other: every member must be authentic (signed by the replica
 * it names), the members distinct, matching, and numerous enough. These are pure functions of the message
 * and the cluster's quorums, shared by every place that accepts a certificate.
 */

/** Whether a pre-prepare is signed by its view's primary and names the digest of the request it carries. */
export function validPrePrepare(pp: PrePrepare, q: Quorums): boolean {
  if (pp === null || typeof pp !== "object" || pp.type !== "pre-prepare" || !authentic(pp)) return false;
  if (pp.replica !== q.primary(pp.view)) return false;
  if (pp.request === null) return pp.digest === NULL_DIGEST;
  return authentic(pp.request) && requestDigest(pp.request) === pp.digest;
}

/** Counts distinct authentic votes of `view`/`seq` that match `digest`, from replicas `eligible` accepts. */
function countVotes(votes: unknown, pp: PrePrepare, type: "prepare" | "commit", q: Quorums, eligible: (r: NodeId) => boolean): number {
  if (!Array.isArray(votes) || votes.length > q.n) return 0;
  const seen = new Set<NodeId>();
  for (const v of votes as Commit[]) {
    if (v === null || typeof v !== "object" || v.type !== type || v.view !== pp.view || v.seq !== pp.seq) continue;
    if (!q.matches(v.digest, pp.digest) || !eligible(v.replica) || seen.has(v.replica) || !authentic(v)) continue;
    seen.add(v.replica);
  }
  return seen.size;
}

/** prepared(m, v, n): a valid pre-prepare and 2f matching prepares from distinct backups (the primary's never count). */
export function validPreparedCert(cert: PreparedCert, q: Quorums): boolean {
  if (cert === null || typeof cert !== "object" || !validPrePrepare(cert.prePrepare, q)) return false;
  const primary = cert.prePrepare.replica;
  return countVotes(cert.prepares, cert.prePrepare, "prepare", q, (r) => r !== primary) >= q.preparedVotes;
}

/** A committed certificate: a valid pre-prepare and 2f+1 matching commits from distinct replicas. */
export function validCommitCert(pp: PrePrepare, commits: readonly Commit[], q: Quorums): boolean {
  return validPrePrepare(pp, q) && countVotes(commits, pp, "commit", q, () => true) >= q.commitVotes;
}

/** A stable checkpoint: the initial state, or 2f+1 matching checkpoint messages from distinct replicas. */
export function validStableCheckpoint(st: StableCheckpoint, q: Quorums): boolean {
  if (st === null || typeof st !== "object" || !Number.isInteger(st.seq) || st.seq < 0 || !Array.isArray(st.proof)) return false;
  if (st.seq === 0) return st.digest === initialStateDigest();
  if (st.proof.length > q.n) return false;
  const seen = new Set<NodeId>();
  for (const c of st.proof) {
    if (c === null || typeof c !== "object" || c.type !== "checkpoint" || c.seq !== st.seq || !q.checkpointMatches(c.digest, st.digest)) continue;
    if (seen.has(c.replica) || !q.replicas.includes(c.replica) || !authentic(c)) continue;
    seen.add(c.replica);
  }
  return seen.size >= q.quorum;
}

/**
 * A view change a replica may count: signed by its sender, with a valid stable checkpoint, and prepared
 * certificates of earlier views, one per sequence number, inside the sender's window above that checkpoint.
 */
export function validViewChange(vc: ViewChange, q: Quorums, watermarkWindow: number): boolean {
  if (vc === null || typeof vc !== "object" || vc.type !== "view-change" || !q.replicas.includes(vc.replica)) return false;
  if (!Array.isArray(vc.prepared) || vc.prepared.length > watermarkWindow || !authentic(vc)) return false;
  if (!validStableCheckpoint(vc.stable, q)) return false;
  const seqs = new Set<number>();
  for (const cert of vc.prepared) {
    const pp = cert?.prePrepare;
    if (pp === undefined || pp.view >= vc.view || pp.seq <= vc.stable.seq || pp.seq > vc.stable.seq + watermarkWindow || seqs.has(pp.seq)) return false;
    if (!validPreparedCert(cert, q)) return false;
    seqs.add(pp.seq);
  }
  return true;
}
