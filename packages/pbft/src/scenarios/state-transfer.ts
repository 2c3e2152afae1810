import { RandomStream, defineScenario, type FaultSchedule, type NodeId, type Seed } from "@faultline/core";
import { PBFT_BUGS } from "../bugs.js";
import { pbftNodeIds } from "../cluster.js";
import { PBFT_PROBES } from "../exploration.js";
import type { PbftByzantineBehavior } from "../node/byzantine.js";
import { byzantineFaults } from "./faults.js";
import { behaviorList, behaviorsDoc, clusterSize, commonOptionDocs, tolerance, type PbftScenarioOptions } from "./options.js";
import { pbftPlan } from "./plan.js";

/** Options of pbft-state-transfer. */
export interface PbftStateTransferOptions extends PbftScenarioOptions {
  /** Replicas (other than the lagging one) that turn byzantine. */
  byzantine?: number;
}

const STATE_BEHAVIORS: readonly PbftByzantineBehavior[] = ["badCheckpoint", "wrongDigest", "replay"];

/**
 * The faults of one pbft-state-transfer seed: a correct backup is cut off from the other replicas (clients
 * still reach it) for 1.5-4 s, sometimes crashing and restarting inside that time, while `byzantine` other
 * replicas turn byzantine.
 */
export function stateTransferSchedule(seed: Seed, nodes: readonly NodeId[], byzantine: number, behaviors: readonly PbftByzantineBehavior[]): FaultSchedule {
  const rng = new RandomStream(seed, "faults:state-transfer");
  const lagging = nodes[1 + Math.floor(rng.float() * (nodes.length - 1))]!;
  const fromMs = Math.round(300 + rng.float() * 1200);
  const untilMs = fromMs + Math.round(1500 + rng.float() * 2500);
  const out: FaultSchedule = [{ atMs: fromMs, fault: { kind: "disconnect", node: lagging } }, { atMs: untilMs, fault: { kind: "connect", node: lagging } }];
  if (rng.chance(0.5)) {
    const crashMs = Math.round(fromMs + rng.float() * (untilMs - fromMs));
    out.push({ atMs: crashMs, fault: { kind: "crash", node: lagging } }, { atMs: Math.round(crashMs + 50 + rng.float() * 500), fault: { kind: "restart", node: lagging } });
  }
  const among = nodes.filter((id) => id !== lagging);
  out.push(...byzantineFaults(rng, nodes, { count: byzantine, behaviors, fromMs: 0, untilMs: fromMs, among }));
  return out.sort((a, b) => a.atMs - b.atMs);
}

/**
 * pbft-state-transfer: a backup is cut off while the others go on and take checkpoints every 2 requests, so
 * their stable checkpoints pass its window and their logs drop what it misses; when it comes back it must
 * catch up by state transfer (a stable checkpoint's state with its proof). Byzantine replicas (f-1 by
 * default) may serve wrong states and checkpoints.
 */
export const pbftStateTransfer = defineScenario<PbftStateTransferOptions>({
  id: "pbft-state-transfer",
  description: "a backup cut off (and maybe restarted) while the others checkpoint every 2 requests; it catches up by state transfer; byzantine replicas may lie about states",
  bugs: PBFT_BUGS,
  probes: { ...PBFT_PROBES, "pbft.stateTransferred": { ...PBFT_PROBES["pbft.stateTransferred"], required: true } },
  options: {
    ...commonOptionDocs(),
    behaviors: behaviorsDoc(STATE_BEHAVIORS),
    checkpointInterval: { ...commonOptionDocs().checkpointInterval!, default: 2 },
    byzantine: { description: "replicas, besides the lagging one, that turn byzantine (at most f; default f-1)", default: undefined, type: "number", integer: true, min: 0, max: 3 },
  },
  build(seed, options) {
    const n = clusterSize(options);
    const f = tolerance(n);
    const byzantine = Math.min(f, options.byzantine ?? f - 1);
    const schedule = stateTransferSchedule(seed, pbftNodeIds(n), byzantine, behaviorList(options, STATE_BEHAVIORS));
    return pbftPlan(options, { durationMs: 8000, opIntervalMs: 5, faults: { schedule } });
  },
});
