import { describe, expect, it } from "vitest";
import { makeReport, parseReport, replay, ReportError, runScenario, shrinkReport, type FailureReport } from "@faultline/core";
import { gossip } from "../fixtures/gossip.js";

const BUG = { bugs: ["countDuplicates"] };

/** The first seed from 1 at which gossip with the planted bug fails, with buggify as the scenario sets it. */
function firstFailure(options: Record<string, unknown> = BUG) {
  for (let seed = 1; seed <= 50; seed++) {
    const result = runScenario(gossip, { seed, options });
    if (result.outcome.kind !== "ok") return result;
  }
  throw new Error("no seed in 1..50 failed");
}

describe("buggify in results, reports and replay", () => {
  it("a bug only a buggified path reaches is found by random seeds; without buggify the same seeds pass", () => {
    const found = firstFailure();
    expect(found.outcome.invariant).toBe("each-ping-counted-once");
    for (let seed = 1; seed <= Number(found.seed); seed++) {
      expect(runScenario(gossip, { seed, options: { ...BUG, buggify: false } }).outcome.kind).toBe("ok");
    }
  });

  it("the report records the marks evaluated and whether each was enabled; replay reproduces the trace hash", () => {
    const failed = firstFailure();
    const report = makeReport(failed);
    expect(report.buggify).toEqual({ enabled: true, activationProbability: 0.5, fireProbability: 0.25, marks: failed.buggify.marks });
    expect(report.buggify!.marks["gossip.resend"]).toBe(true); // the mark the bug needs
    const again = replay(JSON.parse(JSON.stringify(report)) as FailureReport, gossip);
    expect(again.reproduced).toBe(true);
    expect(again.outcome.traceHash).toBe(failed.outcome.traceHash);
    expect(again.result.buggify).toEqual(failed.buggify);
  });

  it("forced marks are recorded, and replay forces them again", () => {
    // seed 3 draws neither mark enabled: it passes, unless the run forces gossip.resend on
    expect(runScenario(gossip, { seed: 3, options: BUG }).buggify.marks).toEqual({ "gossip.resend": false, "gossip.skipTick": false });
    const forced = runScenario(gossip, { seed: 3, options: BUG, buggify: { enabled: true, activationProbability: 0.5, marks: { "gossip.resend": true } } });
    expect(forced.outcome.kind).toBe("safety");
    const report = makeReport(forced);
    expect(report.buggify!.forced).toEqual({ "gossip.resend": true });
    expect(replay(report, gossip).reproduced).toBe(true);
    // without the forced mark the seed's own draw runs, and the report does not reproduce: the record matters
    const unforced = structuredClone(report);
    delete unforced.buggify!.forced;
    expect(replay(unforced, gossip).reproduced).toBe(false);
  });

  it("a run with buggify off writes no buggify field: reports keep their shape", () => {
    const failing = runScenario(gossip, { seed: 3, options: { ...BUG, buggify: false }, schedule: [{ atMs: 1, fault: { kind: "crash", node: "n1" } }] });
    expect(failing.buggify.enabled).toBe(false);
    expect("buggify" in makeReport(failing)).toBe(false);
  });

  it("a damaged buggify record is refused before anything runs", () => {
    const report = makeReport(firstFailure());
    const damage = (change: (r: any) => void) => {
      const copy = structuredClone(report) as any;
      change(copy);
      return () => parseReport(copy);
    };
    expect(damage((r) => (r.buggify.marks["gossip.resend"] = "yes"))).toThrow(new ReportError("the report is damaged: field buggify.marks is missing or malformed"));
    expect(damage((r) => (r.buggify.forced = ["gossip.resend"]))).toThrow(/field buggify\.forced is missing/);
    expect(damage((r) => (r.buggify.fireProbability = 2))).toThrow(/field buggify\.fireProbability is missing/);
    expect(damage((r) => delete r.buggify.enabled)).toThrow(/field buggify\.enabled is missing/);
  });

  it("shrinking forces off the enabled marks the failure does not need, and the shrunk report replays", () => {
    const failed = runScenario(gossip, { seed: 5, options: BUG });
    expect(failed.outcome.kind).toBe("safety");
    expect(failed.buggify.marks).toEqual({ "gossip.resend": true, "gossip.skipTick": true });
    const shrunk = shrinkReport(makeReport(failed), gossip);
    expect(shrunk.buggify!.marks).toEqual({ "gossip.skipTick": false });
    expect(shrunk.report.buggify!.forced).toEqual({ "gossip.skipTick": false });
    expect(shrunk.report.buggify!.marks).toEqual({ "gossip.resend": true, "gossip.skipTick": false });
    expect(shrunk.outcome.invariant).toBe("each-ping-counted-once");
    expect(replay(shrunk.report, gossip).reproduced).toBe(true);
    // and the pass can be turned off
    expect(shrinkReport(makeReport(failed), gossip, { shrinkMarks: false }).report.buggify!.forced).toBeUndefined();
  });
});
