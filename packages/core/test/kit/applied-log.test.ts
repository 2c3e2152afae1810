import { describe, expect, it } from "vitest";
import { AppliedLog, ConfigError, Simulation, SimulatedStorage, proposeOn, utf8Length, type NodeBehavior, type NodeContext } from "@faultline/core";

describe("AppliedLog (the kit's record of applied commands)", () => {
  it("keeps one command per index in index order, across re-applies after a restart", () => {
    const log = new AppliedLog<string>();
    log.record("n1", 2, "b", 1);
    log.record("n1", 1, "a", 1);
    log.record("n1", 1, "a", 1); // re-applied after a restart
    expect(log.of("n1")).toEqual([{ index: 1, term: 1, command: "a" }, { index: 2, term: 1, command: "b" }]);
    expect(log.count("n1")).toBe(2);
    expect(log.at("n1", 2)?.command).toBe("b");
    expect(log.of("n2")).toEqual([]);
    expect(() => log.record("n1", 0, "x")).toThrow(ConfigError);
  });
});

describe("SimulatedStorage.syncedBytes (persisted size)", () => {
  it("counts synced keys, log names and records in UTF-8, and nothing unsynced", () => {
    const s = new SimulatedStorage();
    s.put("k", "é"); // key 1 byte + JSON "\"é\"" 4 bytes
    s.append("log", 12); // name 3 + record 2
    expect(s.syncedBytes()).toBe(0);
    s.sync();
    expect(s.syncedBytes()).toBe(1 + 4 + 3 + 2);
    s.put("unsynced", 1);
    expect(s.syncedBytes()).toBe(10);
    s.crash();
    expect(s.syncedBytes()).toBe(10);
    expect(utf8Length("a\u00e9\u20ac\u{1f600}")).toBe(1 + 2 + 3 + 4);
  });
});

class Echo implements NodeBehavior<string> {
  got: string[] = [];
  onStart(): void {}
  onMessage(_ctx: NodeContext<string>, _from: string, msg: string): void {
    this.got.push(msg);
  }
  onTimer(): void {}
  propose(ctx: NodeContext<string>, value: string): number {
    ctx.broadcast(value);
    return value.length;
  }
}

describe("Simulation.invokeOn (the hook under the propose API)", () => {
  it("runs as a step of the node: its sends are traced and delivered, and the invariants see it", () => {
    const sim = new Simulation({ seed: 1 });
    sim.addNodes(["a", "b"], () => new Echo());
    const seen: string[][] = [];
    sim.addInvariant({ name: "watch", check: (v) => void seen.push([...v.stepNodes]) });
    sim.run({ untilMs: 1 });
    const n = sim.invokeOn<Echo, number>("a", (b, ctx) => b.propose(ctx, "hello"));
    expect(n).toBe(5);
    expect(seen.at(-1)).toEqual(["a"]);
    sim.run({ untilMs: 50 });
    expect(sim.behavior<Echo>("b")!.got).toEqual(["hello"]);
  });

  it("returns undefined for a node that is down, and proposeOn turns that into NODE_DOWN", () => {
    const sim = new Simulation({ seed: 1 });
    sim.addNodes(["a", "b"], () => new Echo());
    sim.run({ untilMs: 1 });
    sim.inject({ kind: "crash", node: "a" });
    expect(sim.invokeOn("a", () => 1)).toBeUndefined();
    expect(proposeOn(sim, "a", "x", () => ({ accepted: true, index: 1 }))).toEqual({ accepted: false, code: "NODE_DOWN" });
    expect(() => sim.invokeOn("zz", () => 1)).toThrow(ConfigError);
  });

  it("an exception inside is a crash outcome, as from a handler", () => {
    const sim = new Simulation({ seed: 1 });
    sim.addNodes(["a"], () => new Echo());
    sim.run({ untilMs: 1 });
    sim.invokeOn("a", () => {
      throw new Error("boom");
    });
    expect(sim.stopped?.kind).toBe("crash");
    expect(sim.stopped?.message).toMatch(/boom/);
  });
});
