import { describe, expect, it } from "vitest";
import { cluster, completed, runFor, runUntil } from "./helpers.js";

const correct = ["n2", "n3", "n4"];

describe("view changes", () => {
  it("a silent primary is replaced: backups time out, the new primary's NEW-VIEW is installed and clients go on", () => {
    const c = cluster({ nodes: 4, clients: 2 });
    runFor(c, 300);
    c.sim.inject({ kind: "byzantine", node: "n1", behavior: "silent" });
    const before = completed(c);
    runFor(c, 2000);
    expect(completed(c)).toBeGreaterThan(before + 10);
    for (const id of correct) expect(c.node(id)!.inspect()).toMatchObject({ view: 1, active: true, primary: "n2" });
    expect(c.sim.probes.count("pbft.newViewInstalled")).toBeGreaterThanOrEqual(3);
  });

  it("a failed view change doubles the timeout: the next primary is cut off too, so view 1 fails and view 2 follows (n = 7)", () => {
    const c = cluster({ nodes: 7, clients: 2 });
    runFor(c, 300);
    c.sim.inject({ kind: "byzantine", node: "n1", behavior: "silent" });
    c.sim.inject({ kind: "disconnect", node: "n2" });
    const others = ["n3", "n4", "n5", "n6", "n7"];
    expect(runUntil(c, 5000, () => others.every((id) => c.node(id)!.inspect().view === 2 && c.node(id)!.active))).toBe(true);
    expect(c.sim.probes.count("pbft.timeoutDoubled")).toBeGreaterThan(0);
    c.sim.inject({ kind: "connect", node: "n2" });
    const before = completed(c);
    runFor(c, 2000);
    expect(completed(c)).toBeGreaterThan(before);
    expect(c.node("n2")!.inspect()).toMatchObject({ view: 2, active: true }); // it caught up with the NEW-VIEW it missed
  });

  it("with f+1 replicas unavailable (a silent primary and a cut-off backup at n = 4) no view change completes; after the cut heals one does", () => {
    const c = cluster({ nodes: 4, clients: 1 });
    runFor(c, 300);
    c.sim.inject({ kind: "byzantine", node: "n1", behavior: "silent" });
    c.sim.inject({ kind: "disconnect", node: "n2" });
    runFor(c, 3000);
    expect(["n3", "n4"].some((id) => c.node(id)!.active)).toBe(false);
    c.sim.inject({ kind: "connect", node: "n2" });
    expect(runUntil(c, 20_000, () => correct.every((id) => c.node(id)!.active))).toBe(true);
  });

  it("the f+1 rule: one replica flooding view changes moves no correct replica", () => {
    const c = cluster({ nodes: 4, clients: 1 });
    runFor(c, 10);
    c.sim.inject({ kind: "byzantine", node: "n4", behavior: "viewChangeFlood" });
    runFor(c, 2000);
    expect(c.sim.messages.sent("n4", "view-change")).toBeGreaterThan(20);
    for (const id of ["n1", "n2", "n3"]) expect(c.node(id)!.inspect()).toMatchObject({ view: 0, active: true });
  });

  it("a replica joins a view change once f+1 others ask for a higher view, before its own timer", () => {
    const c = cluster({ nodes: 7, clients: 1 });
    runFor(c, 200);
    // f+1 = 3 replicas ask for ever higher views: the correct ones join before their timers expire
    for (const id of ["n5", "n6", "n7"]) c.sim.inject({ kind: "byzantine", node: id, behavior: "viewChangeFlood" });
    runFor(c, 500);
    expect(c.sim.probes.count("pbft.joinedViewChange")).toBeGreaterThan(0);
  });

  it("a new primary whose O drops the prepared requests is rejected, and the next view orders them", () => {
    const c = cluster({ nodes: 4, clients: 2 });
    runFor(c, 300);
    c.sim.inject({ kind: "byzantine", node: "n2", behavior: "badNewView" });
    c.sim.inject({ kind: "disconnect", node: "n1" }); // the view-0 primary goes away: n2 leads view 1, badly
    expect(runUntil(c, 6000, () => ["n3", "n4"].every((id) => c.node(id)!.inspect().view >= 2 && c.node(id)!.active))).toBe(true);
    expect(c.sim.probes.count("pbft.newViewRejected")).toBeGreaterThan(0);
    const before = completed(c);
    c.sim.inject({ kind: "connect", node: "n1" });
    runFor(c, 2000);
    expect(completed(c)).toBeGreaterThan(before);
  });

  it("an equivocating primary cannot get two requests committed at one number; the cluster keeps going", () => {
    for (let seed = 1; seed <= 3; seed++) {
      const c = cluster({ nodes: 4, clients: 3, seed });
      c.sim.inject({ kind: "byzantine", node: "n1", behavior: "equivocate" });
      runFor(c, 3000); // CommitAgreement and the other invariants run after every step
      expect(completed(c), `seed ${seed}`).toBeGreaterThan(20);
      for (const id of correct) expect(c.node(id)!.lastExecuted, `seed ${seed} ${id}`).toBeGreaterThan(20); // the lied-to half caught up
    }
  });
});
