import { describe, expect, it } from "vitest";
import { cluster, electLeader, runFor, runUntil } from "./helpers.js";

describe.each([3, 5, 7])("message cost in a stable leadership, %i nodes", (n) => {
  it("one command costs phase 2 only: one accept and one accepted per follower, no phase 1", () => {
    const c = cluster(51, { nodes: n });
    const leader = electLeader(c);
    runFor(c, 200);
    const count = (type: string) => c.sim.messages.sent(undefined, type);
    const before = { prepare: count("prepare"), promise: count("promise"), accept: count("accept"), accepted: count("accepted") };
    const commands = 20;
    for (let i = 0; i < commands; i++) {
      const r = c.propose(leader, { f: "put", key: "k", value: i });
      expect(r.accepted).toBe(true);
      const slot = (r as { index: number }).index;
      expect(runUntil(c, 200, () => c.node(leader)!.inspect().appliedThrough >= slot)).toBe(true);
    }
    expect(count("prepare") - before.prepare).toBe(0);
    expect(count("promise") - before.promise).toBe(0);
    expect(count("accept") - before.accept).toBe(commands * (n - 1));
    expect(count("accepted") - before.accepted).toBe(commands * (n - 1));
  });

  it("an idle leader sends one heartbeat per follower per interval, and nothing else", () => {
    const c = cluster(52, { nodes: n });
    const leader = electLeader(c);
    runFor(c, 200);
    const sentBefore = c.sim.messages.sent(leader);
    const heartbeatsBefore = c.sim.messages.sent(leader, "heartbeat");
    runFor(c, 1000); // 20 heartbeat intervals of 50 ms
    const heartbeats = c.sim.messages.sent(leader, "heartbeat") - heartbeatsBefore;
    expect(heartbeats).toBeGreaterThanOrEqual(19 * (n - 1));
    expect(heartbeats).toBeLessThanOrEqual(21 * (n - 1));
    expect(c.sim.messages.sent(leader) - sentBefore).toBe(heartbeats);
  });
});
