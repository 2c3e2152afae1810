import { describe, expect, it } from "vitest";
import { Simulation, type Fault, type TraceEvent } from "@faultline/core";
import { behavior } from "../engine/helpers.js";

/** n1 sends a "Slow" and a "Fast" message to n2 every 10 ms; returns each type's delivery delays (ms). */
function delays(faults: Fault[], options: { messageType?: (m: unknown) => string } = {}): Record<string, number[]> {
  const sender = behavior({
    onStart: (ctx) => ctx.setTimer("t", 10),
    onTimer: (ctx) => {
      ctx.send("n2", { type: "Slow" });
      ctx.send("n2", { type: "Fast" });
      ctx.setTimer("t", 10);
    },
  });
  const sim = new Simulation({ seed: 5, network: { default: { latency: { kind: "constant", ms: 2 } } }, trace: { retention: "full" }, ...options })
    .addNode("n1", sender).addNode("n2", behavior({}));
  sim.run({ untilMs: 1 });
  for (const fault of faults) sim.inject(fault);
  sim.run({ untilMs: 3000 });
  const sentAt = new Map<number, TraceEvent>();
  const out: Record<string, number[]> = { Slow: [], Fast: [] };
  for (const e of sim.trace.events()) {
    if (e.kind === "message_sent") sentAt.set(e.msgId!, e);
    if (e.kind === "message_delivered") {
      const sent = sentAt.get(e.msgId!)!;
      out[(sent.data as { type: string }).type]!.push((e.timeUs - sent.timeUs) / 1000);
    }
  }
  return out;
}

describe("a link fault limited to message types", () => {
  it("delays only the named type, by the reorder bounds it gives, and leaves the others alone", () => {
    const d = delays([{ kind: "link", types: ["Slow"], link: { reorderProbability: 1, reorderDelayMsMin: 400, reorderDelayMsMax: 600 } }]);
    expect(d.Fast!.length).toBeGreaterThan(100);
    expect(new Set(d.Fast)).toEqual(new Set([2]));
    expect(d.Slow!.length).toBeGreaterThan(100);
    expect(Math.min(...d.Slow!)).toBeGreaterThanOrEqual(402);
    expect(Math.max(...d.Slow!)).toBeLessThanOrEqual(602);
  });

  it("duplicates only the named type", () => {
    const d = delays([{ kind: "link", types: ["Fast"], link: { duplicateProbability: 1 } }]);
    expect(d.Fast!.length).toBe(2 * d.Slow!.length);
  });

  it("classifies by the simulation's message type (a custom classifier), and restore-links ends it", () => {
    const byKind = (m: unknown) => ((m as { type: string }).type === "Slow" ? "bulk" : "control");
    const typed = delays([{ kind: "link", types: ["bulk"], link: { reorderProbability: 1, reorderDelayMsMin: 100, reorderDelayMsMax: 100 } }], { messageType: byKind });
    expect(new Set(typed.Slow)).toEqual(new Set([102]));
    expect(new Set(typed.Fast)).toEqual(new Set([2]));
    const restored = delays([{ kind: "link", types: ["Slow"], link: { reorderProbability: 1, reorderDelayMsMin: 100, reorderDelayMsMax: 100 } }, { kind: "restore-links" }]);
    expect(new Set(restored.Slow)).toEqual(new Set([2]));
  });

  it("merges over the link's untyped faults, and only on the links it names", () => {
    const d = delays([
      { kind: "link", link: { latency: { kind: "constant", ms: 7 } } },
      { kind: "link", from: "n2", types: ["Slow"], link: { reorderProbability: 1, reorderDelayMsMin: 100, reorderDelayMsMax: 100 } },
    ]);
    expect(new Set(d.Slow)).toEqual(new Set([7])); // the typed fault is on n2's links, and n1 sends
    expect(new Set(d.Fast)).toEqual(new Set([7]));
  });
});
