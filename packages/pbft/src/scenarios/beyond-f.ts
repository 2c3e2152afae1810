import { RandomStream, defineScenario, type FaultSchedule, type NodeId, type Seed } from "@faultline/core";
import { PBFT_BUGS } from "../bugs.js";
import { pbftNodeIds } from "../cluster.js";
import { clusterSize, commonOptionDocs, tolerance, type PbftScenarioOptions } from "./options.js";
import { pbftPlan } from "./plan.js";

/**
 * The faults of one pbft-beyond-f seed: the view-0 primary equivocates (its pre-prepares differ between the
 * even- and odd-placed backups) and f other replicas vote for whatever each replica prepared: f+1 byzantine
 * replicas, one more than the cluster tolerates. The voters are placed so that each side keeps exactly f
 * correct backups: with the voters' votes, both sides reach a quorum for their own request.
 */
export function beyondFSchedule(seed: Seed, nodes: readonly NodeId[], f: number): FaultSchedule {
  const rng = new RandomStream(seed, "faults:beyond-f");
  const backups = nodes.slice(1);
  const sides = [backups.filter((_, i) => i % 2 === 0), backups.filter((_, i) => i % 2 === 1)];
  const out: FaultSchedule = [{ atMs: Math.round(50 + rng.float() * 450), fault: { kind: "byzantine", node: nodes[0]!, behavior: "equivocate" } }];
  for (const side of sides) {
    const pool = [...side];
    for (let i = 0; i < side.length - f && pool.length > 0; i++) {
      const node = pool.splice(Math.floor(rng.float() * pool.length), 1)[0]!;
      out.push({ atMs: Math.round(50 + rng.float() * 450), fault: { kind: "byzantine", node, behavior: "conflictingVotes" } });
    }
  }
  return out.sort((a, b) => a.atMs - b.atMs);
}

/**
 * pbft-beyond-f: f+1 byzantine replicas (an equivocating primary and f replicas voting for whatever each
 * replica prepared). PBFT promises nothing here: two correct replicas commit different requests at one
 * sequence number, and CommitAgreement must say so. A sweep of this scenario is EXPECTED to fail; it shows
 * that the bound f matters and that the checks see what happens beyond it.
 */
export const pbftBeyondF = defineScenario<PbftScenarioOptions>({
  id: "pbft-beyond-f",
  description: "f+1 byzantine replicas (equivocating primary, conflicting votes): beyond the tolerance, CommitAgreement is expected to fire",
  bugs: PBFT_BUGS,
  options: commonOptionDocs(),
  build(seed, options) {
    const n = clusterSize(options);
    const schedule = beyondFSchedule(seed, pbftNodeIds(n), tolerance(n));
    return pbftPlan(options, { durationMs: 5000, faults: { schedule } });
  },
});
