import { describe, expect, it } from "vitest";
import { cluster, leaderOf, runUntil } from "./helpers.js";

describe("leader election", () => {
  for (const n of [3, 5, 7]) {
    it(`elects one leader within 1 s with a reliable network (${n} nodes), and the term then stays stable`, () => {
      for (let seed = 1; seed <= 10; seed++) {
        const c = cluster(seed, { nodes: n });
        expect(runUntil(c, 1000, () => leaderOf(c) !== undefined)).toBe(true);
        const leader = leaderOf(c)!;
        const term = leader.currentTerm;
        c.sim.run({ untilMs: 5000 });
        expect(c.leaders().map((l) => l.inspect().id)).toEqual([leader.inspect().id]);
        for (const id of c.nodes) expect(c.node(id)!.currentTerm).toBe(term);
      }
    });
  }
});
