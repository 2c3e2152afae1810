import type { PbftBugSet } from "../bugs.js";
import { NULL_DIGEST, type Digest, type PreparedCert, type PrePrepare, type RequestMsg, type StableCheckpoint, type ViewChange } from "../messages.js";

/** One entry of O: what the new view orders at a sequence number (a request carried over, or a null request). */
export interface OrderEntry {
  seq: number;
  digest: Digest;
  request: RequestMsg | null;
}

/** What a NEW-VIEW must contain, computed from its set V of view changes. */
export interface NewViewPlan {
  /** min-s: the latest stable checkpoint in V (with its proof), where the new view starts. */
  checkpoint: StableCheckpoint;
  /** max-s: the highest sequence number of a prepared certificate in V (min-s when there is none). */
  maxSeq: number;
  /** O, in sequence order: for every n in (min-s, max-s], the request prepared in the highest view in V, or a null request. */
  order: OrderEntry[];
  /** How many numbers V holds prepared certificates of different requests for (where choosing the highest view matters). */
  conflicts: number;
}

/**
 * Computes O from V (Castro & Liskov §4.4): the new primary does it to build its NEW-VIEW, and every backup
 * does it again to check the NEW-VIEW it gets (a byzantine new primary could otherwise drop or change a
 * prepared request). V's members must have been validated (certs.ts) first. Pure and deterministic.
 *
 * The planted bugs change it on the primary's side and the backups' alike (both run this code):
 * `lowestViewCertificate` takes the certificate of the lowest view, `noNullRequests` leaves gaps empty.
 */
export function computeNewView(V: readonly ViewChange[], bugs: PbftBugSet): NewViewPlan {
  let checkpoint = V[0]!.stable;
  for (const vc of V) if (vc.stable.seq > checkpoint.seq) checkpoint = vc.stable;
  const minSeq = checkpoint.seq;
  const chosen = new Map<number, PrePrepare>();
  let maxSeq = minSeq;
  const lowest = bugs.has("lowestViewCertificate");
  const conflicting = new Set<number>();
  for (const vc of V) {
    for (const cert of vc.prepared) {
      const pp = cert.prePrepare;
      if (pp.seq <= minSeq) continue;
      maxSeq = Math.max(maxSeq, pp.seq);
      const known = chosen.get(pp.seq);
      if (known !== undefined && known.digest !== pp.digest) conflicting.add(pp.seq);
      // the request prepared in the highest view is the only one that can have committed (planted bug: the lowest)
      if (known === undefined || (lowest ? pp.view < known.view : pp.view > known.view)) chosen.set(pp.seq, pp);
    }
  }
  const order: OrderEntry[] = [];
  for (let seq = minSeq + 1; seq <= maxSeq; seq++) {
    const pp = chosen.get(seq);
    if (pp !== undefined) order.push({ seq, digest: pp.digest, request: pp.request });
    else if (!bugs.has("noNullRequests")) order.push({ seq, digest: NULL_DIGEST, request: null }); // a null request fills the gap
  }
  return { checkpoint, maxSeq, order, conflicts: conflicting.size };
}

/** Whether the pre-prepares of a NEW-VIEW order exactly what the plan computed from its V. */
export function matchesPlan(prePrepares: readonly PrePrepare[], plan: NewViewPlan): boolean {
  if (prePrepares.length !== plan.order.length) return false;
  for (let i = 0; i < prePrepares.length; i++) {
    const pp = prePrepares[i]!;
    const want = plan.order[i]!;
    if (pp.seq !== want.seq || pp.digest !== want.digest) return false;
  }
  return true;
}

/** The replica's prepared certificates above its stable checkpoint, for its VIEW-CHANGE (P), in sequence order. */
export function preparedSet(certs: Iterable<PreparedCert>, stableSeq: number, watermarkWindow: number): PreparedCert[] {
  const out: PreparedCert[] = [];
  for (const c of certs) if (c.prePrepare.seq > stableSeq && c.prePrepare.seq <= stableSeq + watermarkWindow) out.push(c);
  return out.sort((a, b) => a.prePrepare.seq - b.prePrepare.seq);
}
