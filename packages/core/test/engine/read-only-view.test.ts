import { describe, expect, it } from "vitest";
import * as core from "@faultline/core";
import { Simulation, type Invariant, type SimulationView } from "@faultline/core";
import { behavior, ids } from "./helpers.js";

/** Each node writes and syncs a counter, appends to a log, and counts a metric, every 5 ms. */
const writer = behavior({
  onStart: (ctx) => ctx.setTimer("t", 5),
  onTimer: (ctx) => {
    const n = (ctx.storage.get<number>("n") ?? 0) + 1;
    ctx.storage.put("n", n);
    ctx.storage.append("log", { n });
    ctx.storage.sync();
    ctx.storage.put("pending", n); // left unsynced
    ctx.metrics.inc("writes_total", { node: ctx.id });
    ctx.setTimer("t", 5);
  },
});

/** Runs a 3-node writer cluster with `check` as its invariant; returns the simulation and its outcome. */
function runWith(check: (view: SimulationView) => string | undefined, untilMs = 20) {
  const sim = new Simulation({ seed: 1 }).addNodes(ids(3), writer);
  sim.addInvariant({ name: "probe-the-view", check });
  return { sim, outcome: sim.run({ untilMs }) };
}

/** Runs `fn` on the view an invariant receives (after the first write), and returns what it returned. */
function onView<T>(fn: (view: SimulationView) => T): T {
  let result: { value: T } | undefined;
  runWith((view) => {
    if (result === undefined && view.stepCount > 5) result = { value: fn(view) };
    return undefined;
  });
  return result!.value;
}

describe("the view invariants get is read-only, by type and at run time (issue 11, defect 7)", () => {
  it("its storage reads (get, logLength, readLog, readAll, unsyncedWrites, syncedBytes) and cannot write or sync", () => {
    const seen = onView((view) => {
      const disk = view.storage("n1");
      const loose = disk as unknown as Record<string, unknown>;
      return {
        n: disk.get<number>("n"), logLength: disk.logLength("log"), first: disk.readLog("log", 0), all: disk.readAll("log").length,
        unsynced: disk.unsyncedWrites, bytes: disk.syncedBytes() > 0,
        writers: ["put", "sync", "delete", "append", "truncateLog", "crash", "loseUnsynced", "corrupt"].filter((m) => loose[m] !== undefined),
        frozen: Object.isFrozen(disk),
      };
    });
    expect(seen).toEqual({ n: 1, logLength: 1, first: { n: 1 }, all: 1, unsynced: 1, bytes: true, writers: [], frozen: true });
  });

  it("an invariant that calls view.storage(id).put (or sync, through a cast) fails the run as a crash, and the disk is untouched", () => {
    const { sim, outcome } = runWith((view) => {
      (view.storage("n1") as unknown as { put(k: string, v: unknown): void }).put("n", 999);
      return undefined;
    });
    expect(outcome.kind).toBe("crash");
    expect(outcome.message).toMatch(/invariant probe-the-view threw: TypeError/);
    expect(sim.storage("n1").get("n")).not.toBe(999);
    const sync = runWith((view) => void (view.storage("n1") as unknown as { sync(): void }).sync());
    expect(sync.outcome.kind).toBe("crash");
  });

  it("its metrics read (value, total, histogram, toPrometheus) and cannot count", () => {
    const seen = onView((view) => {
      const loose = view.metrics as unknown as Record<string, unknown>;
      return {
        value: view.metrics.value("writes_total", { node: "n1" }), total: view.metrics.total("writes_total") >= 1,
        text: view.metrics.toPrometheus().includes("writes_total"),
        writers: ["inc", "set", "observe", "describe", "addCollector"].filter((m) => loose[m] !== undefined),
      };
    });
    expect(seen).toEqual({ value: 1, total: true, text: true, writers: [] });
  });

  it("its history reads and refuses to record", () => {
    const seen = onView((view) => {
      const refused: string[] = [];
      for (const write of [() => view.history.invoke("c1", "write", 1), () => view.history.append({ opId: 0, type: "invoke", process: "c1", f: "w", value: 1 })]) {
        try {
          write();
        } catch (error) {
          refused.push((error as Error).name);
        }
      }
      return { refused, length: view.history.length, isHistory: view.history instanceof core.History };
    });
    expect(seen).toEqual({ refused: ["ConfigError", "ConfigError"], length: 0, isHistory: true });
  });

  it("stepCount, nowUs and the view itself cannot be assigned; its id lists are frozen", () => {
    const seen = onView((view) => {
      const attempts: Record<string, boolean> = {};
      const tryIt = (name: string, fn: () => void) => {
        try {
          fn();
          attempts[name] = false;
        } catch {
          attempts[name] = true;
        }
      };
      const loose = view as unknown as Record<string, unknown>;
      tryIt("stepCount", () => void (loose.stepCount = 0));
      tryIt("nowUs", () => void (loose.nowUs = 0));
      tryIt("extra", () => void (loose.sim = 1));
      tryIt("nodeIds", () => void (view.nodeIds as string[]).push("n9"));
      tryIt("clientIds", () => void (view.clientIds as string[]).push("c9"));
      return { attempts, stepCount: view.stepCount, frozen: Object.isFrozen(view) };
    });
    expect(seen.attempts).toEqual({ stepCount: true, nowUs: true, extra: true, nodeIds: true, clientIds: true });
    expect(seen.stepCount).toBeGreaterThan(5);
    expect(seen.frozen).toBe(true);
  });

  it("writing into the step's scratch lists (read-only by type, not frozen: measured too costly) cannot change the run", () => {
    const plain = runWith(() => undefined, 40);
    const meddling = runWith((view) => {
      (view.stepEvents as unknown[]).push({ kind: "node_crashed", node: "n1" });
      (view.stepNodes as string[]).splice(0);
      return undefined;
    }, 40);
    expect(meddling.outcome.kind).toBe("ok");
    expect(meddling.outcome.traceHash).toBe(plain.outcome.traceHash);
    expect(meddling.sim.stepCount).toBe(plain.sim.stepCount);
  });

  it("a run's until predicate gets the same read-only view", () => {
    const sim = new Simulation({ seed: 1 }).addNodes(ids(2), writer);
    let writers: unknown;
    sim.run({ untilMs: 20, until: (view) => ((writers = (view.storage("n1") as unknown as { put?: unknown }).put), false) });
    expect(writers).toBeUndefined();
  });
});

describe("the engine's internals are off the public surface (issue 11, defect 7)", () => {
  const INTERNALS = [
    "thaw", "bootNode", "outcome", "sendFrom", "discardFrozen", "runtime", "record", "noteHandler", "armTimer", "logFrom",
    "probeCounter", "buggifier", "triggers", "triggerAction", "armTrigger", "disarmTriggers", "scheduleFaultAfter", "runByzantine",
    "queue", "byId", "invariants", "accounting", "engine",
  ];

  it("a Simulation has none of them, not even through a cast", () => {
    const sim = new Simulation({ seed: 1 }).addNodes(ids(2), writer);
    sim.run({ untilMs: 10 });
    const loose = sim as unknown as Record<string, unknown>;
    expect(INTERNALS.filter((name) => loose[name] !== undefined)).toEqual([]);
    expect(Object.keys(sim).filter((k) => !k.startsWith("_"))).toEqual([]); // eventemitter3 keeps _events and _eventsCount
  });

  it("its network reads (links, in-flight counts, cuts) and cannot route, degrade or heal: faults change it", () => {
    const sim = new Simulation({ seed: 1 }).addNodes(ids(2), writer);
    sim.inject({ kind: "disconnect", node: "n1" });
    const net = sim.network as unknown as Record<string, unknown>;
    const cuts = sim.network.partitions as unknown as Record<string, unknown>;
    expect(["route", "degrade", "restoreLinks", "landed", "setSenderStream", "setTypeNamer"].filter((m) => net[m] !== undefined)).toEqual([]);
    expect(["partition", "isolate", "ring", "block", "disconnect", "connect", "heal"].filter((m) => cuts[m] !== undefined)).toEqual([]);
    expect(sim.network.partitions.active).toBe(true);
    expect(sim.network.partitions.isDisconnected("n1")).toBe(true);
    expect(sim.network.partitions.blocks("n1", "n2")).toBe(true);
    expect(sim.network.link("n1", "n2").lossProbability).toBe(0);
    expect(sim.network.inFlight(0, 1)).toBe(0);
    expect(() => { (cuts as { active: boolean }).active = false; }).toThrow(TypeError);
  });

  it("stepCount and nowUs are read-only: assigning them throws in strict mode and changes nothing", () => {
    const sim = new Simulation({ seed: 1 }).addNodes(ids(2), writer);
    sim.run({ untilMs: 10 });
    const steps = sim.stepCount;
    const loose = sim as unknown as Record<string, unknown>;
    expect(() => { loose.stepCount = 0; }).toThrow(TypeError);
    expect(() => { loose.nowUs = 0; }).toThrow(TypeError);
    expect(() => { loose.stopped = undefined; }).toThrow(TypeError);
    expect(sim.stepCount).toBe(steps);
  });

  it("the package exports no engine internals", () => {
    const exported = Object.keys(core);
    for (const name of ["Engine", "engineOf", "NodeRuntime", "TriggerTable", "NodeHalted", "MessageAccounting", "ProbeCounter"]) expect(exported).not.toContain(name);
  });

  it("the public API still reads, runs and injects: status, isUp, storage (full access, for tests that damage a disk), buggifyRecord, allIds", () => {
    const sim = new Simulation({ seed: 1 }).addNodes(ids(2), writer);
    sim.run({ untilMs: 12 });
    expect(sim.status("n1")).toBe("up");
    expect(() => sim.status("zz")).toThrow(core.ConfigError);
    sim.storage("n1").put("damaged", true); // the Simulation's own handle on a disk stays full-access
    expect(sim.storage("n1").get("damaged")).toBe(true);
    expect(sim.buggifyRecord()).toMatchObject({ enabled: false, marks: {} });
    expect(sim.allIds()).toEqual(["n1", "n2"]);
    sim.inject({ kind: "crash", node: "n2" });
    expect(sim.isUp("n2")).toBe(false);
    expect(sim.view.isUp("n2")).toBe(false);
    const invariant: Invariant = { name: "ok", check: () => undefined };
    expect(sim.addInvariant(invariant)).toBe(sim);
  });
});
