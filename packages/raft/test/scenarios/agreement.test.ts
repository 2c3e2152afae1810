import { describe, expect, it } from "vitest";
import { addProbe, cluster, commitPut, currentLeader, inspect, leaders, logSignature, put, runFor, runUntil } from "./harness.js";

/** Elects a leader among n nodes (seeded), lets it settle, then partitions it alone from the rest. */
function cutOffTheLeader(n: number, seed: number) {
  const sim = cluster({ nodes: n, seed });
  const probe = addProbe(sim);
  runUntil(sim, () => leaders(sim).length === 1, 1000);
  runFor(sim, 200);
  const old = currentLeader(sim)!;
  const rest = sim.nodeIds.filter((id) => id !== old);
  sim.inject({ kind: "partition", groups: [[old], rest] });
  return { sim, probe, old, rest };
}

describe.each([3, 5, 7])("agreement with %i nodes", (n) => {
  it("entries commit despite a failed follower, and the follower catches up after it restarts", () => {
    const sim = cluster({ nodes: n, seed: 21 });
    const probe = addProbe(sim);
    runUntil(sim, () => leaders(sim).length === 1, 1000);
    const leader = currentLeader(sim)!;
    const follower = sim.nodeIds.find((id) => id !== leader)!;
    sim.inject({ kind: "crash", node: follower });
    for (let k = 0; k < 5; k++) expect(commitPut(sim, probe, "a", k)).toBe(true);
    sim.inject({ kind: "restart", node: follower });
    const target = inspect(sim, leader)!.commitIndex;
    expect(runUntil(sim, () => (inspect(sim, follower)?.lastApplied ?? 0) >= target, 2000)).toBeDefined();
    expect(logSignature(sim, follower)).toEqual(logSignature(sim, leader).slice(0, logSignature(sim, follower).length));
  });

  it("a stale leader cut off with its uncommitted entries rejoins and has them overwritten", () => {
    const { sim, probe, old, rest } = cutOffTheLeader(n, 22);
    const lost = put(sim, probe, old, "s", "lost");
    runFor(sim, 50);
    const staleIndex = inspect(sim, old)!.entries.at(-1)!.index;
    expect(inspect(sim, old)!.entries.at(-1)!.digest).toContain("lost");
    runUntil(sim, () => currentLeader(sim, rest) !== undefined, 3000);
    for (let k = 0; k < 3; k++) expect(commitPut(sim, probe, "s", `kept-${k}`)).toBe(true);
    sim.inject({ kind: "heal" });
    const fresh = currentLeader(sim, rest)!;
    expect(runUntil(sim, () => inspect(sim, old)!.lastApplied >= inspect(sim, fresh)!.commitIndex, 2000)).toBeDefined();
    expect(logSignature(sim, old, staleIndex)[0]).toBe(logSignature(sim, fresh, staleIndex)[0]);
    expect(JSON.stringify(inspect(sim, old)!.entries)).not.toContain('"lost"');
    expect(probe.reply(lost)?.ok).not.toBe(true);
  });

  it("a leader backs up over more than 50 conflicting entries within a second (conflict-term hints)", () => {
    const { sim, probe, old, rest } = cutOffTheLeader(n, 23);
    for (let k = 0; k < 60; k++) put(sim, probe, old, "b", `stale-${k}`);
    runFor(sim, 100);
    expect(inspect(sim, old)!.entries.length).toBeGreaterThan(60);
    runUntil(sim, () => currentLeader(sim, rest) !== undefined, 3000);
    const fresh = currentLeader(sim, rest)!;
    for (let k = 0; k < 60; k++) put(sim, probe, fresh, "b", `new-${k}`);
    runUntil(sim, () => inspect(sim, fresh)!.commitIndex >= inspect(sim, fresh)!.entries.length, 2000);
    sim.inject({ kind: "heal" });
    const healedAtMs = sim.nowUs / 1000;
    const same = () => inspect(sim, old)!.commitIndex === inspect(sim, fresh)!.commitIndex && logSignature(sim, old).join() === logSignature(sim, fresh).join();
    expect(runUntil(sim, same, 1000), "the old leader's log did not match within 1 s").toBeDefined();
    expect(sim.nowUs / 1000 - healedAtMs).toBeLessThan(1000);
  });

  it("the whole cluster restarts and keeps every committed entry, then commits new ones", () => {
    const sim = cluster({ nodes: n, seed: 24 });
    const probe = addProbe(sim);
    runUntil(sim, () => leaders(sim).length === 1, 1000);
    for (let k = 0; k < 5; k++) expect(commitPut(sim, probe, "w", k)).toBe(true);
    const leader = currentLeader(sim)!;
    const committed = logSignature(sim, leader).slice(0, inspect(sim, leader)!.commitIndex);
    for (const id of sim.nodeIds) sim.inject({ kind: "crash", node: id });
    runFor(sim, 100);
    for (const id of sim.nodeIds) sim.inject({ kind: "restart", node: id });
    expect(runUntil(sim, () => leaders(sim).length === 1, 2000)).toBeDefined();
    const next = currentLeader(sim)!;
    expect(logSignature(sim, next).slice(0, committed.length)).toEqual(committed);
    expect(commitPut(sim, probe, "w", "after-restart")).toBe(true);
  });
});
