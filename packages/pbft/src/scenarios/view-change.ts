import { RandomStream, defineScenario, generateSchedule, type FaultSchedule, type NodeId, type Seed } from "@faultline/core";
import { PBFT_BUGS } from "../bugs.js";
import { pbftNodeIds } from "../cluster.js";
import { PBFT_PROBES } from "../exploration.js";
import type { PbftByzantineBehavior } from "../node/byzantine.js";
import { behaviorList, clusterSize, exploreOptionDocs, type PbftScenarioOptions } from "./options.js";
import { PBFT_PARAMETERS } from "./parameters.js";
import { pbftPlan } from "./plan.js";

/** The primary's behaviours pbft-view-change draws from by default. */
const VIEW_CHANGE_BEHAVIORS: readonly PbftByzantineBehavior[] = ["silent", "equivocate"];

/**
 * The faults of one pbft-view-change seed: the view-0 primary (n1) turns byzantine early, then the next
 * primaries (n2, n3, ...) are cut off one after the other for a while, so view changes fail and follow each
 * other (timeouts double), across checkpoints (K is small); light network faults come on top.
 */
export function viewChangeSchedule(seed: Seed, nodes: readonly NodeId[], behaviors: readonly PbftByzantineBehavior[]): FaultSchedule {
  const rng = new RandomStream(seed, "faults:view-change");
  const out: FaultSchedule = [{ atMs: Math.round(200 + rng.float() * 1300), fault: { kind: "byzantine", node: nodes[0]!, behavior: rng.pick(behaviors) } }];
  const cuts = 1 + Math.floor(rng.float() * Math.min(3, nodes.length - 2));
  let t = out[0]!.atMs + Math.round(rng.float() * 400);
  for (let k = 1; k <= cuts; k++) {
    const lengthMs = Math.round(300 + rng.float() * 1500);
    out.push({ atMs: t, fault: { kind: "disconnect", node: nodes[k]! } }, { atMs: t + lengthMs, fault: { kind: "connect", node: nodes[k]! } });
    t += Math.round(lengthMs * rng.float() + 100);
  }
  const light = generateSchedule(new RandomStream(seed, "faults"), nodes, {
    faultWindowMs: 7000, maxDown: 0, families: ["loss", "latency", "duplicate", "block"], linkScope: "cluster",
  }).schedule;
  return [...out, ...light].sort((a, b) => a.atMs - b.atMs);
}

/**
 * pbft-view-change: the view-0 primary turns byzantine (silent or equivocating, drawn per seed), and the next
 * primaries are cut off one after the other, so view changes fail and follow each other, with checkpoints
 * every few requests between them (K drawn from 2 to 32, or given); clients write for 8 s; then liveness.
 */
export const pbftViewChange = defineScenario<PbftScenarioOptions>({
  id: "pbft-view-change",
  description: "a byzantine view-0 primary (silent or equivocating) and the next primaries cut off in turn: consecutive view changes across checkpoints, clients writing",
  bugs: PBFT_BUGS,
  parameters: PBFT_PARAMETERS,
  probes: { ...PBFT_PROBES, "pbft.newViewInstalled": { ...PBFT_PROBES["pbft.newViewInstalled"], required: true }, "pbft.timeoutDoubled": { ...PBFT_PROBES["pbft.timeoutDoubled"], required: true } },
  options: exploreOptionDocs({ behaviors: VIEW_CHANGE_BEHAVIORS }),
  build(seed, options) {
    const n = clusterSize(options);
    const schedule = viewChangeSchedule(seed, pbftNodeIds(n), behaviorList(options, VIEW_CHANGE_BEHAVIORS));
    return pbftPlan(options, { explore: { seed }, durationMs: 8000, faults: { schedule } });
  },
});
