import { describe, expect, it } from "vitest";
import { gapsFilled, preemptionBackoff } from "../../src/invariants/index.js";
import { FakeCluster, bal, pv, type FakeLog } from "./fake-view.js";

const N = ["n1", "n2", "n3"];
const elected = (node: string, ballot: string, startSlot: number, nextSlot: number): FakeLog => ({ node, event: "leader_elected", data: { term: 2, ballot, startSlot, nextSlot } });

describe("GapsFilled", () => {
  it("fires when a new leader leaves an open slot without a proposal", () => {
    const c = new FakeCluster(N, gapsFilled());
    const b = bal(2, "n1");
    expect(c.step({ n1: { role: "leader", accepts: [pv(4, b, "a"), pv(6, b, "noop")] } }, [elected("n1", "2.n1", 4, 7)])).toMatch(/n1 won phase 1 at ballot 2.n1 and left slot 5 empty \(its slots run 4 to 6\)/);
  });

  it("stays quiet when every open slot gets a value or a no-op, and for slots the leader already applied", () => {
    const c = new FakeCluster(N, gapsFilled());
    const b = bal(2, "n1");
    expect(c.step({ n1: { role: "leader", accepts: [pv(4, b, "a"), pv(5, b, "noop"), pv(6, b, "b")] } }, [elected("n1", "2.n1", 4, 7)])).toBeUndefined();
    expect(c.step({ n2: { role: "leader", appliedThrough: 8, accepts: [pv(9, bal(3, "n2"), "c")] } }, [elected("n2", "3.n2", 7, 10)])).toBeUndefined();
    expect(c.step({ n3: { role: "leader" } }, [elected("n3", "4.n3", 10, 10)])).toBeUndefined();
  });
});

describe("PreemptionBackoff", () => {
  const preempted = (node: string, ballot: string): FakeLog => ({ node, event: "preempted", data: { term: 1, ballot, by: "n3" } });
  const started = (node: string, ballot: string): FakeLog => ({ node, event: "election_started", data: { term: 2, ballot, fromSlot: 1 } });

  it("fires when a preempted proposer starts phase 1 again in the same step", () => {
    const c = new FakeCluster(N, preemptionBackoff());
    expect(c.step({ n1: {} }, [preempted("n1", "1.n1"), started("n1", "2.n1")])).toMatch(/n1 lost ballot 1.n1 \(by n3\) and started phase 1 again at 2.n1 in the same step/);
  });

  it("stays quiet when it starts again in a later step, or another node starts", () => {
    const c = new FakeCluster(N, preemptionBackoff());
    expect(c.step({ n1: {} }, [preempted("n1", "1.n1")])).toBeUndefined();
    expect(c.step({ n1: {} }, [started("n1", "2.n1")])).toBeUndefined();
    expect(c.step({ n1: {}, n2: {} }, [preempted("n1", "2.n1"), started("n2", "3.n2")])).toBeUndefined();
  });
});

describe("GapsFilled and crashes", () => {
  it("does not judge a leader that crashed within the step in which it won (a crash cut its handler short)", () => {
    const c = new FakeCluster(N, gapsFilled());
    const b = bal(2, "n1");
    expect(c.step({ n1: { role: "leader", accepts: [pv(4, b, "a")] } }, [elected("n1", "2.n1", 4, 7)], ["n1"])).toBeUndefined();
  });
});
