import { describe, expect, it } from "vitest";
import { REPORT_FORMAT_VERSION, checkDeterminism, defineScenario, makeReport, parseReport, replay, runScenario, type NodeBehavior, type Scenario } from "@faultline/core";
import { nodeIds } from "../fixtures/ping.js";

const constantNet = { default: { latency: { kind: "constant" as const, ms: 1 } } };

/** What the nodes of {@link tagged} write into every message; a test changes it between a run and its replay. */
let tag = "v1";

/**
 * Each node sends a numbered note carrying `tag` to its right-hand peer every 5 ms; an invariant fires at the
 * 40th note. The payload's `tag` changes no event: only the payload differs.
 */
const tagged: Scenario = defineScenario({
  id: "tagged-notes",
  description: "notes carrying a tag; fails at the 40th note",
  build: () => {
    let notes = 0;
    const behavior = (): NodeBehavior<{ n: number; tag: string }> => ({
      onStart: (ctx) => ctx.setTimer("note", 5),
      onMessage: () => void notes++,
      onTimer: (ctx, name) => {
        const peers = ctx.peers;
        ctx.send(peers[(peers.indexOf(ctx.id) + 1) % peers.length] ?? ctx.id, { n: notes, tag });
        ctx.setTimer(name, 5);
      },
    });
    return {
      nodes: nodeIds(3), behavior, network: constantNet, durationMs: 200,
      invariants: [{ name: "fewer-than-40-notes", check: () => (notes >= 40 ? `${notes} notes` : undefined) }],
    };
  },
});

describe("one trace hash: reports record their trace options, and replay uses them", () => {
  it("a report records the run's trace options, every default filled in", () => {
    tag = "v1";
    const plain = makeReport(runScenario(tagged, { seed: 1 }));
    expect(plain.formatVersion).toBe(REPORT_FORMAT_VERSION);
    expect(plain.trace).toEqual({ retention: "ring", ringSize: 256, maxEvents: 5_000_000, hashPayloads: false });
    const hashed = makeReport(runScenario(tagged, { seed: 1, trace: { hashPayloads: true } }));
    expect(hashed.trace).toMatchObject({ hashPayloads: true });
    expect(hashed.failure.traceHash).not.toBe(plain.failure.traceHash);
  });

  it("a report written with payload hashing replays with it, to the same hash", () => {
    tag = "v1";
    const report = makeReport(runScenario(tagged, { seed: 2, trace: { hashPayloads: true } }));
    const again = replay(JSON.stringify(report), tagged);
    expect(again.outcome.traceHash).toBe(report.failure.traceHash);
    expect(again.reproduced).toBe(true);
    // a caller's trace options (full retention for a viewer) do not change the hash definition
    expect(replay(report, tagged, { trace: { retention: "full" } }).outcome.traceHash).toBe(report.failure.traceHash);
  });

  it("a changed payload does not replay as reproduced: the trace tail's data is compared too", () => {
    tag = "v1";
    const report = makeReport(runScenario(tagged, { seed: 3 }));
    tag = "v2";
    const again = replay(report, tagged);
    tag = "v1";
    expect(again.outcome.traceHash).toBe(report.failure.traceHash); // payloads are not in the default hash
    expect(again.reproduced).toBe(false);
    expect(again.mismatch).toMatch(/trace tail/);
    expect(replay(report, tagged).reproduced).toBe(true);
  });

  it("with payload hashing a changed payload changes the hash itself", () => {
    tag = "v1";
    const report = makeReport(runScenario(tagged, { seed: 3, trace: { hashPayloads: true } }));
    tag = "v2";
    const again = replay(report, tagged);
    tag = "v1";
    expect(again.outcome.traceHash).not.toBe(report.failure.traceHash);
    expect(again.reproduced).toBe(false);
  });

  it("the determinism check shows the same hash as the run and its report", () => {
    tag = "v1";
    const run = runScenario(tagged, { seed: 4 });
    const check = checkDeterminism(tagged, 4);
    expect(check.deterministic).toBe(true);
    expect(check.hashes).toEqual([run.outcome.traceHash, run.outcome.traceHash]);
    expect(makeReport(run).failure.traceHash).toBe(check.hashes[0]);
  });

  it("the determinism check still finds a payload that differs between two runs", () => {
    let runs = 0;
    const drifting = defineScenario({
      ...tagged,
      id: "drifting",
      build: (seed, options) => {
        runs++;
        const plan = tagged.build(seed, options);
        const base = plan.behavior;
        const stamp = runs; // differs between the check's two runs, in the payload only
        return { ...plan, behavior: (id: string) => {
          const b = base(id);
          return { ...b, onTimer: (ctx, name) => { ctx.send(ctx.peers[0] ?? ctx.id, { stamp }); b.onTimer(ctx, name); } };
        } };
      },
    });
    const check = checkDeterminism(drifting, 5);
    expect(check.deterministic).toBe(false);
    expect(check.divergence?.first?.kind).toBe("message_sent");
  });

  it("a format-1 report (no trace options, hash without payloads) still replays", () => {
    tag = "v1";
    const report = makeReport(runScenario(tagged, { seed: 6 }));
    const { trace: _recorded, ...v1 } = { ...report, formatVersion: 1 };
    expect(parseReport(v1).formatVersion).toBe(1);
    expect(replay(v1, tagged).reproduced).toBe(true);
  });

  it("recorded trace options are validated like any report field", () => {
    tag = "v1";
    const report = makeReport(runScenario(tagged, { seed: 1 }));
    expect(() => parseReport({ ...report, trace: "full" })).toThrow(/field trace/);
    expect(() => parseReport({ ...report, trace: { ...report.trace, hashPayloads: "yes" } })).toThrow(/field trace.hashPayloads/);
  });
});
