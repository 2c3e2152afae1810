import { describe, expect, it } from "vitest";
import {
  defineScenario, makeReport, replay, runScenario, shrinkSchedule,
  type FaultSchedule, type NodeBehavior, type NodeContext, type NodeId, type SimulationView,
} from "@faultline/core";

type Msg = { type: "Write"; v: number } | { type: "Ack"; v: number };

/** Sends writes 1, 2, ... to n2 every 10 ms and remembers the highest one acknowledged. */
class Writer implements NodeBehavior<Msg> {
  acked = 0;
  private next = 1;
  onStart(ctx: NodeContext<Msg>): void {
    ctx.setTimer("write", 10);
  }
  onTimer(ctx: NodeContext<Msg>): void {
    ctx.send("n2", { type: "Write", v: this.next++ });
    ctx.setTimer("write", 10);
  }
  onMessage(_ctx: NodeContext<Msg>, _from: NodeId, msg: Msg): void {
    if (msg.type === "Ack") this.acked = Math.max(this.acked, msg.v);
  }
}

/** The planted mistake: acknowledges a write before syncing it. Only a crash between the two loses it. */
class AckBeforeSync implements NodeBehavior<Msg> {
  onStart(): void {}
  onTimer(): void {}
  onMessage(ctx: NodeContext<Msg>, from: NodeId, msg: Msg): void {
    if (msg.type !== "Write") return;
    ctx.storage.put("value", msg.v);
    ctx.send(from, { type: "Ack", v: msg.v });
    ctx.storage.sync();
  }
}

const ackedWritesSurvive = {
  name: "acked-writes-survive",
  check: (view: SimulationView) => {
    if (!view.isUp("n2") || view.incarnation("n2") < 2) return undefined;
    const acked = view.behavior<Writer>("n1")?.acked ?? 0;
    const stored = view.storage("n2").get<number>("value") ?? 0;
    return stored < acked ? `write ${acked} was acknowledged but n2 restarted with ${stored}` : undefined;
  },
};

const store = defineScenario({
  id: "ack-before-sync-store",
  description: "a store that acknowledges before it syncs",
  build: () => ({
    nodes: ["n1", "n2"],
    behavior: (id: NodeId) => (id === "n1" ? new Writer() : new AckBeforeSync()),
    network: { default: { latency: { kind: "constant", ms: 1 } } },
    durationMs: 400,
    invariants: [ackedWritesSurvive],
  }),
});

const noisy: FaultSchedule = [
  { atMs: 20, fault: { kind: "link", from: "n1", link: { latency: { kind: "constant", ms: 3 } } } },
  { atMs: 30, fault: { kind: "clock", node: "n1", skewMs: 40 } },
  { atMs: 45, fault: { kind: "trigger", node: "n2", on: { send: "Ack" }, when: "before-reply", then: { kind: "crash", node: "n2" }, endsAfterMs: 60, forMs: 200 } },
  { atMs: 50, fault: { kind: "pause", node: "n1" } },
  { atMs: 70, fault: { kind: "resume", node: "n1" } },
  { atMs: 300, fault: { kind: "restore-links" } },
];

describe("triggers in failing runs: shrinking and replay", () => {
  it("the ack-before-sync mistake is caught only with the trigger: a crash between the reply and the sync", () => {
    expect(runScenario(store, { seed: 1, schedule: noisy }).outcome.kind).toBe("safety");
    const withoutTrigger = noisy.filter((e) => e.fault.kind !== "trigger");
    expect(runScenario(store, { seed: 1, schedule: withoutTrigger }).outcome.kind).toBe("ok");
  });

  it("shrinking keeps the trigger as one unit with the crash it arms, drops the rest, and shortens its downtime", () => {
    const s = shrinkSchedule(store, { seed: 1, schedule: noisy });
    expect(s.outcome.kind).toBe("safety");
    expect(s.schedule).toHaveLength(1);
    const [only] = s.schedule;
    expect(only!.fault).toMatchObject({ kind: "trigger", node: "n2", on: { send: "Ack" }, when: "before-reply", then: { kind: "crash", node: "n2" } });
    expect((only!.fault as { endsAfterMs: number }).endsAfterMs).toBeLessThan(60);
  });

  it("a report of a run with a trigger replays with the same trace hash", () => {
    const result = runScenario(store, { seed: 4, schedule: noisy });
    expect(result.outcome.kind).toBe("safety");
    const report = JSON.parse(JSON.stringify(makeReport(result)));
    const again = replay(report, store);
    expect(again.reproduced).toBe(true);
    expect(again.outcome.traceHash).toBe(result.outcome.traceHash);
  });

  it("the liveness phase disarms the triggers still armed (and injects no disarm in runs without triggers)", () => {
    const lively = defineScenario({
      id: "store-liveness",
      description: "the store with a liveness phase: writes go on being acknowledged",
      build: () => ({ ...store.build(1, {}), invariants: [], liveness: { withinMs: 200, progress: (view: SimulationView) => view.isUp("n2") && (view.behavior<Writer>("n1")?.acked ?? 0) > 45 } }),
    });
    // armed just before the safety phase ends (400 ms): n2's next Ack comes in the liveness phase
    const late: FaultSchedule = [{ atMs: 399, fault: { kind: "trigger", node: "n2", on: { send: "Ack" }, then: { kind: "crash", node: "n2" } } }];
    const r = runScenario(lively, { seed: 1, schedule: late });
    expect(r.outcome.kind).toBe("ok");
    const applied = (events: readonly { kind: string; data?: unknown }[]) =>
      events.filter((e) => e.kind === "fault_applied").map((e) => (e.data as { fault: { kind: string } }).fault.kind);
    expect(applied(r.simulation.trace.tail(10_000))).toEqual(["trigger", "disarm", "heal", "restore-links"]);
    expect(r.simulation.trace.tail(10_000).some((e) => e.kind === "trigger_fired")).toBe(false);
    expect(applied(runScenario(lively, { seed: 1, schedule: [] }).simulation.trace.tail(10_000))).toEqual(["heal", "restore-links"]);
  });
});
