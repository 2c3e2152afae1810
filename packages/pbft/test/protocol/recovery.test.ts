import { describe, expect, it } from "vitest";
import { cluster, completed, executed, runFor, runUntil } from "./helpers.js";

describe("checkpoints, state transfer and restarts", () => {
  it("a backup cut off while the others checkpoint past its window catches up by state transfer", () => {
    const c = cluster({ nodes: 4, clients: 2, pbft: { checkpointInterval: 2 } });
    runFor(c, 200);
    c.sim.inject({ kind: "disconnect", node: "n3" });
    runFor(c, 1500);
    const lag = c.node("n3")!.lastExecuted;
    expect(c.node("n1")!.inspect().lowWatermark).toBeGreaterThan(lag + 4); // its window is behind the others' stable checkpoint
    c.sim.inject({ kind: "connect", node: "n3" });
    expect(runUntil(c, 3000, () => c.node("n3")!.lastExecuted >= c.node("n1")!.inspect().lowWatermark)).toBe(true);
    expect(c.sim.probes.count("pbft.stateTransferred")).toBeGreaterThan(0);
  });

  it("a backup that missed a few commits catches up from committed certificates; the others stay in their view", () => {
    const c = cluster({ nodes: 4, clients: 2, pbft: { checkpointInterval: 64 } });
    runFor(c, 200);
    c.sim.inject({ kind: "disconnect", node: "n4" });
    runFor(c, 300);
    c.sim.inject({ kind: "connect", node: "n4" });
    runFor(c, 1000);
    expect(c.sim.probes.count("pbft.committedByCertificate")).toBeGreaterThan(0);
    // alone, its timer ran out and it asked for view 1: it cannot go back, but it executes what the others commit
    expect(["n1", "n2", "n3"].every((id) => c.node(id)!.inspect().view === 0)).toBe(true);
    const last = executed(c);
    expect(Math.max(...last) - Math.min(...last)).toBeLessThanOrEqual(8); // it asks every status interval (100 ms)
  });

  it("a restarted replica recovers its view, stable checkpoint and votes from disk, and rejoins", () => {
    const c = cluster({ nodes: 4, clients: 2, pbft: { checkpointInterval: 4 } });
    runFor(c, 300);
    c.sim.inject({ kind: "byzantine", node: "n1", behavior: "silent" });
    runFor(c, 1500); // view 1
    const before = c.node("n3")!.inspect();
    expect(before.view).toBeGreaterThanOrEqual(1);
    c.sim.inject({ kind: "crash", node: "n3" });
    c.sim.inject({ kind: "restart", node: "n3" });
    const after = c.node("n3")!.inspect();
    expect(after.view).toBe(before.view);
    expect(after.lowWatermark).toBe(before.lowWatermark);
    expect(after.lastExecuted).toBe(before.lowWatermark); // the state above the stable checkpoint is re-executed
    expect(c.sim.probes.count("pbft.recoveredFromDisk")).toBeGreaterThan(0);
    const done = completed(c);
    runFor(c, 1500);
    expect(completed(c)).toBeGreaterThan(done);
    expect(c.node("n3")!.lastExecuted).toBeGreaterThan(after.lastExecuted);
  });

  it("a restarted replica that was byzantine stays byzantine", () => {
    const c = cluster({ nodes: 4, clients: 1 });
    runFor(c, 100);
    c.sim.inject({ kind: "byzantine", node: "n4", behavior: "wrongReply" });
    c.sim.inject({ kind: "crash", node: "n4" });
    c.sim.inject({ kind: "restart", node: "n4" });
    expect(c.node("n4")!.inspect().byzantine).toBe("wrongReply");
    runFor(c, 500);
  });
});

describe("lost checkpoint messages", () => {
  it("a replica whose window filled up because its checkpoint messages were lost sends them again, so the window moves on", () => {
    // every replica's checkpoint messages of the first 300 ms are lost: with K = 2 and L = 4 the window is full by then
    const c = cluster({ nodes: 4, clients: 2, pbft: { checkpointInterval: 2, watermarkWindow: 4 }, dropCheckpointsUntilMs: 300 });
    runFor(c, 300);
    expect(Math.max(...executed(c))).toBeLessThanOrEqual(4);
    const before = completed(c);
    runFor(c, 3000);
    expect(completed(c)).toBeGreaterThan(before + 20);
    expect(c.node("n1")!.inspect().lowWatermark).toBeGreaterThan(4);
  });
});
