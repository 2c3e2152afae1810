import type { NodeId, RunOutcome, Simulation, TraceEvent } from "@faultline/core";
import type { AppendRequest } from "../../src/messages.js";
import type { RaftBug } from "../../src/bugs.js";
import type { RaftInvariantName } from "../../src/invariants/index.js";
import { addProbe, cluster, currentLeader, inspect, put } from "../scenarios/harness.js";

/** What the Figure 8 schedule produced: the outcome, and whether the final leader is the one the figure says. */
export interface Figure8Result {
  outcome: RunOutcome;
  /** The node that leads at the end of the "S1" phase, and whether it applied the earlier term's entry at index 2. */
  s1: NodeId;
  s1AppliedIndex2: boolean;
}

/** Runs until `pred` holds after a step (at most `ms`); returns false when a check stopped the run first. */
function runUntil(sim: Simulation, pred: () => boolean, ms: number): boolean {
  const out = sim.run({ untilMs: sim.nowUs / 1000 + ms, until: pred });
  return out.kind === "ok";
}

function appendCarries(e: TraceEvent, from: NodeId, index: number): boolean {
  if (e.kind !== "message_delivered" || e.from !== from) return false;
  const m = e.data as AppendRequest;
  return m.type === "append" && m.entries.some((x) => x.index === index);
}

/**
 * The paper's Figure 8, built by hand on 5 nodes with entry-by-entry replication (names assigned as leaders
 * emerge):
 * (a) A leads term a and replicates index 2 only to B (partition {A,B} | {C,D,E}), then crashes.
 * (b) W wins term c among {C,D,E}; it is cut off at once, so its own index 2 stays on W alone.
 * (c) W crashes; B is cut off; A restarts and wins term d with C and D. It copies its term-a index 2 to C and
 *     D, and right after each copy arrives the link A->C (A->D) is blocked so its term-d entry never follows: index 2
 *     is now on a majority (A, B, C, D) but must not be counted as committed (§5.4.2).
 * (d) A crashes; W restarts (B still cut off) and, with the most up-to-date log, wins term e with C and D and
 *     overwrites index 2. Fine for a correct Raft; a leader that committed index 2 in (c) broke safety.
 */
export function runFigure8(bugs: RaftBug[], seed = 1, invariants?: readonly RaftInvariantName[]): Figure8Result {
  const sim = cluster({ nodes: 5, seed, raft: { bugs, maxEntriesPerAppend: 1 }, invariants });
  const probe = addProbe(sim);
  const done = (): Figure8Result => ({ outcome: sim.stopped ?? sim.run({ untilMs: sim.nowUs / 1000 }), s1: "", s1AppliedIndex2: false });
  if (!runUntil(sim, () => currentLeader(sim) !== undefined, 2000)) return done();
  sim.run({ untilMs: sim.nowUs / 1000 + 300 });
  const a = currentLeader(sim)!;
  const others = sim.nodeIds.filter((id) => id !== a);
  const b = others[0]!;
  const cde = others.slice(1);
  // (a)
  sim.inject({ kind: "partition", groups: [[a, b], cde] });
  put(sim, probe, a, "k", "from-a");
  if (!runUntil(sim, () => (inspect(sim, b)?.entries.length ?? 0) >= 2, 500)) return done();
  sim.inject({ kind: "crash", node: a });
  // (b)
  if (!runUntil(sim, () => currentLeader(sim, cde) !== undefined, 3000)) return done();
  const w = currentLeader(sim, cde)!;
  sim.inject({ kind: "isolate", node: w });
  sim.run({ untilMs: sim.nowUs / 1000 + 50 });
  // (c)
  sim.inject({ kind: "crash", node: w });
  sim.inject({ kind: "heal" });
  sim.inject({ kind: "isolate", node: b });
  sim.inject({ kind: "restart", node: a });
  const cd = cde.filter((id) => id !== w);
  const blocked = new Set<NodeId>();
  const copiedToAll = () => {
    for (const e of sim.stepEvents) {
      if (e.to !== undefined && cd.includes(e.to) && !blocked.has(e.to) && appendCarries(e, a, 2)) {
        sim.inject({ kind: "block", from: a, to: e.to });
        blocked.add(e.to);
      }
    }
    return blocked.size === cd.length;
  };
  if (!runUntil(sim, copiedToAll, 3000)) return done();
  if (!runUntil(sim, () => false, 300)) return done();
  const s1AppliedIndex2 = (inspect(sim, a)?.lastApplied ?? 0) >= 2;
  // (d)
  sim.inject({ kind: "crash", node: a });
  sim.inject({ kind: "heal" });
  sim.inject({ kind: "isolate", node: b });
  sim.inject({ kind: "restart", node: w });
  const outcome = sim.run({ untilMs: sim.nowUs / 1000 + 3000 });
  return { outcome, s1: a, s1AppliedIndex2 };
}
