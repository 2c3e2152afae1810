import { describe, expect, it } from "vitest";
import { ConfigError, Simulation, SimulatedStorage, StorageCorruptionError, crc32, type NodeContext, type TraceEvent } from "@faultline/core";
import { behavior } from "../engine/helpers.js";

const first = (names: readonly string[]) => names[0]!;

describe("durable storage", () => {
  it("writes are visible before sync and lost on crash unless synced", () => {
    const s = new SimulatedStorage();
    s.put("a", 1);
    s.sync();
    s.put("b", 2);
    s.put("a", 3);
    s.delete("a");
    expect(s.get("a")).toBeUndefined();
    expect(s.get("b")).toBe(2);
    expect(s.unsyncedWrites).toBe(3);
    s.crash();
    expect(s.get("a")).toBe(1);
    expect(s.get("b")).toBeUndefined();
    expect(s.unsyncedWrites).toBe(0);
  });

  it("a delete is durable only once synced", () => {
    const s = new SimulatedStorage();
    s.put("k", "v");
    s.sync();
    s.delete("k");
    s.crash();
    expect(s.get("k")).toBe("v");
    s.delete("k");
    s.sync();
    s.crash();
    expect(s.get("k")).toBeUndefined();
  });

  it("append returns positions; readLog, readAll and logLength see the live log", () => {
    const s = new SimulatedStorage();
    expect(s.append("log", { i: 0 })).toBe(0);
    expect(s.append("log", { i: 1 })).toBe(1);
    expect(s.logLength("log")).toBe(2);
    expect(s.readLog("log", 1)).toEqual({ i: 1 });
    expect(s.readAll("log")).toEqual([{ i: 0 }, { i: 1 }]);
    expect(s.readAll("other")).toEqual([]);
    expect(s.logLength("other")).toBe(0);
    expect(() => s.readLog("log", 2)).toThrow(ConfigError);
  });

  it("appends and truncations survive a crash exactly up to the last sync", () => {
    const s = new SimulatedStorage();
    for (let i = 0; i < 5; i++) s.append("log", i);
    s.sync();
    s.truncateLog("log", 2);
    s.append("log", "x");
    expect(s.readAll("log")).toEqual([0, 1, "x"]);
    s.crash();
    expect(s.readAll("log")).toEqual([0, 1, 2, 3, 4]);
    s.truncateLog("log", 3);
    s.append("log", "y");
    s.sync();
    s.append("log", "lost");
    s.crash();
    expect(s.readAll("log")).toEqual([0, 1, 2, "y"]);
    expect(() => s.truncateLog("log", -1)).toThrow(/length/);
  });

  it("truncating to the current length or beyond is a no-op and not a write", () => {
    const s = new SimulatedStorage();
    s.append("log", 1);
    s.sync();
    s.truncateLog("log", 1);
    s.truncateLog("log", 10);
    expect(s.unsyncedWrites).toBe(0);
  });

  it("values are stored as JSON: mutating the caller's object after put does not change the disk", () => {
    const s = new SimulatedStorage();
    const value = { votedFor: "n1", log: [1, 2] };
    s.put("state", value);
    s.append("log", value);
    value.votedFor = "n2";
    value.log.push(3);
    expect(s.get("state")).toEqual({ votedFor: "n1", log: [1, 2] });
    expect(s.readLog("log", 0)).toEqual({ votedFor: "n1", log: [1, 2] });
    // and what a read returns is a copy too
    s.get<{ log: number[] }>("state")!.log.push(99);
    expect(s.get("state")).toEqual({ votedFor: "n1", log: [1, 2] });
  });

  it("values that are not JSON-serializable are rejected with a ConfigError", () => {
    const s = new SimulatedStorage();
    expect(() => s.put("k", undefined)).toThrow(ConfigError);
    expect(() => s.put("k", () => 1)).toThrow(ConfigError);
    expect(() => s.put("k", 10n)).toThrow(/JSON-serializable/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => s.append("log", cyclic)).toThrow(ConfigError);
    expect(s.unsyncedWrites).toBe(0);
  });

  it("loseUnsynced drops the unsynced suffix and reports how many writes were lost", () => {
    const s = new SimulatedStorage();
    s.put("a", 1);
    s.sync();
    s.put("a", 2);
    s.append("log", 1);
    expect(s.loseUnsynced()).toBe(2);
    expect(s.get("a")).toBe(1);
    expect(s.logLength("log")).toBe(0);
    expect(s.loseUnsynced()).toBe(0);
  });

  it("a corrupted record fails its checksum when read: StorageCorruptionError names it", () => {
    const s = new SimulatedStorage();
    s.put("term", 7);
    s.append("log", { term: 1 });
    s.append("log", { term: 2 });
    s.sync();
    expect(s.corrupt(first, "log[1]")).toBe("log[1]");
    expect(s.readLog("log", 0)).toEqual({ term: 1 });
    expect(() => s.readLog("log", 1)).toThrow(StorageCorruptionError);
    expect(() => s.readAll("log")).toThrow(/"log\[1\]" failed its checksum/);
    expect(s.get("term")).toBe(7);
    expect(s.corrupt(first, "term")).toBe("term");
    let err: unknown;
    try { s.get("term"); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(StorageCorruptionError);
    expect((err as StorageCorruptionError).key).toBe("term");
    // corruption is on the disk: a crash does not repair it, a new write does
    s.crash();
    expect(() => s.get("term")).toThrow(StorageCorruptionError);
    s.put("term", 8);
    expect(s.get("term")).toBe(8);
  });

  it("corrupt picks among the synced records in sorted order, and does nothing on an empty disk", () => {
    const s = new SimulatedStorage();
    expect(s.corrupt(first)).toBeUndefined();
    s.put("b", 1);
    s.put("unsynced-only", 1);
    s.append("a", 1);
    s.sync();
    s.put("zz", 1);
    let offered: readonly string[] = [];
    s.corrupt((names) => { offered = names; return names[0]!; });
    expect(offered).toEqual(["a[0]", "b", "unsynced-only"]);
  });

  it("a corrupt fault naming a key that is not stored corrupts nothing", () => {
    const s = new SimulatedStorage();
    s.put("a", 1);
    s.sync();
    expect(s.corrupt(first, "missing")).toBeUndefined();
    expect(s.get("a")).toBe(1);
  });

  it("crc32 is the IEEE CRC-32 of the UTF-16LE code units and catches a single flipped bit", () => {
    expect(crc32("123456789")).toBe(2727405687); // zlib.crc32("123456789".encode("utf-16-le"))
    expect(crc32("{\"a\":1}")).not.toBe(crc32("{\"a\":3}"));
  });
});

describe("storage faults in a simulation", () => {
  /** Writes `written` unsynced at start; reads it on a timer at 10 ms. */
  function reader(seen: unknown[]) {
    return behavior({
      onStart: (ctx: NodeContext) => {
        if (ctx.storage.get("durable") === undefined) { ctx.storage.put("durable", "yes"); ctx.storage.sync(); }
        ctx.storage.put("written", "unsynced");
        ctx.setTimer("read", 10);
      },
      onTimer: (ctx: NodeContext) => { seen.push(ctx.storage.get("written") ?? null, ctx.storage.get("durable")); ctx.setTimer("read", 10); },
    });
  }

  it("lose-unsynced drops the node's unsynced writes without telling it; the node stays up", () => {
    const seen: unknown[] = [];
    const sim = new Simulation({ seed: 1, trace: { retention: "full" } });
    sim.addNode("n1", reader(seen));
    sim.schedule([{ atMs: 5, fault: { kind: "storage", node: "n1", mode: "lose-unsynced" } }]);
    sim.run({ untilMs: 10 });
    expect(seen).toEqual([null, "yes"]);
    expect(sim.isUp("n1")).toBe(true);
    const applied = sim.trace.events().find((e) => e.kind === "fault_applied");
    expect(applied).toMatchObject({ event: "storage", data: { applied: true } });
  });

  it("a corrupt record read by a handler fail-stops the node (status failed) instead of crashing the run", () => {
    const seen: unknown[] = [];
    const sim = new Simulation({ seed: 1, network: { default: { latency: { kind: "constant", ms: 1 } } } });
    sim.addNode("n1", reader(seen));
    sim.addNode("n2", behavior({ onStart: (ctx) => ctx.setTimer("ping", 20), onTimer: (ctx) => ctx.send("n1", "ping") }));
    sim.schedule([{ atMs: 5, fault: { kind: "storage", node: "n1", mode: "corrupt", key: "durable" } }]);
    const events: TraceEvent[] = [];
    sim.on("trace", (e) => events.push(e));
    const outcome = sim.run({ untilMs: 50 });
    expect(outcome.kind).toBe("ok");
    expect(sim.status("n1")).toBe("failed");
    expect(sim.isUp("n1")).toBe(false);
    expect(seen).toEqual([]);
    expect(events.find((e) => e.kind === "node_crashed")).toMatchObject({ node: "n1", timeUs: 10_000, data: { reason: "storage-corruption", key: "durable" } });
    expect(events.find((e) => e.kind === "message_dropped")).toMatchObject({ to: "n1", data: "node-down" });
    expect(events.filter((e) => e.kind === "timer_fired" && e.node === "n1").length).toBe(1); // its timers died with it
  });

  it("a node restarted onto a corrupt disk fails again in onStart; the fault picks a record deterministically", () => {
    const run = () => {
      const sim = new Simulation({ seed: "disk" });
      sim.addNode("n1", reader([]));
      sim.schedule([
        { atMs: 1, fault: { kind: "crash", node: "n1" } },
        { atMs: 1, fault: { kind: "storage", node: "n1", mode: "corrupt" } },
        { atMs: 2, fault: { kind: "restart", node: "n1" } },
      ]);
      sim.run({ untilMs: 30 });
      return sim;
    };
    const sim = run();
    expect(sim.status("n1")).toBe("failed");
    expect(sim.storage("n1").syncedSnapshot()).toEqual(run().storage("n1").syncedSnapshot());
  });
});
