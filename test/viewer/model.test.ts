import { mkdirSync, mkdtempSync, rmSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { replay, toJsonLines, type TraceEvent } from "@faultline/core";
import { writeReportFile } from "@faultline/core/node";
import { scenarios as raftScenarios } from "@faultline/raft";
import { cliIn } from "../../packages/core/test/nodejs/run-cli.js";
import { buildViewerData, embedJson, renderPlot, sourceFromJsonLines, sourceFromReport, PLOT_KINDS } from "../../packages/core/src/nodejs/viewer/index.js";
import { ARROW_DROPPED, ARROW_DUPLICATE, ARROW_REORDERED } from "../../packages/core/src/nodejs/viewer/model.js";
import { raftFailureReport } from "./fixtures.js";

const msg = (kind: TraceEvent["kind"], step: number, timeUs: number, from: string, to: string, msgId: number, type = "ping"): TraceEvent =>
  ({ step, timeUs, kind, node: kind === "message_sent" ? from : to, from, to, msgId, data: { type } });

describe("viewer data: arrows, marks and spans from trace events", () => {
  it("one arrow per delivery or drop from its send; a second delivery is a duplicate, an overtaken one a reorder", () => {
    const events: TraceEvent[] = [
      msg("message_sent", 1, 0, "a", "b", 1), msg("message_sent", 1, 0, "a", "b", 2), msg("message_sent", 1, 0, "a", "b", 3),
      msg("message_delivered", 2, 10, "a", "b", 2), msg("message_delivered", 3, 20, "a", "b", 1), // 1 overtaken by 2
      msg("message_delivered", 4, 30, "a", "b", 2), // 2 again
      { ...msg("message_dropped", 5, 40, "a", "b", 3), data: "partitioned" },
      msg("message_delivered", 6, 50, "a", "b", 9), // its send is not in the trace
    ];
    const d = buildViewerData({ title: "t", source: { kind: "trace" }, events });
    expect(d.arrows.send).toEqual([1, 0, 1, 2, -1]);
    expect(d.arrows.end).toEqual([3, 4, 5, 6, 7]);
    expect(d.arrows.flags).toEqual([0, ARROW_REORDERED, ARROW_DUPLICATE, ARROW_DROPPED, 0]);
    expect(d.lanes.map((l) => l.id)).toEqual(["a", "b", "faults"]);
    expect(d.names[d.events.name[0]!]).toBe("ping");
  });

  it("no arrow is flagged on a clean trace (in-order, single deliveries)", () => {
    const events = [msg("message_sent", 1, 0, "a", "b", 1), msg("message_delivered", 2, 5, "a", "b", 1), msg("message_sent", 2, 5, "b", "a", 2), msg("message_delivered", 3, 9, "b", "a", 2)];
    expect(buildViewerData({ title: "t", source: { kind: "trace" }, events }).arrows.flags).toEqual([0, 0]);
  });

  it("spans: down from crash to restart, paused, an isolated node until heal, a partition across lanes", () => {
    const at = (step: number, timeUs: number, e: Partial<TraceEvent>): TraceEvent => ({ step, timeUs, kind: "phase", ...e });
    const events = [
      at(1, 0, { kind: "node_started", node: "a" }), at(1, 0, { kind: "node_started", node: "b" }),
      at(2, 10, { kind: "node_crashed", node: "a" }), at(3, 20, { kind: "node_restarted", node: "a" }),
      at(4, 30, { kind: "node_paused", node: "b" }), at(5, 40, { kind: "node_resumed", node: "b" }),
      at(6, 50, { kind: "partition_detected", event: "isolate", data: { kind: "isolate", node: "b" } }),
      at(7, 60, { kind: "partition_detected", event: "partition", data: { kind: "partition", groups: [["a"], ["b"]] } }),
      at(8, 70, { kind: "partition_healed", event: "heal" }), at(9, 90, { kind: "fault_applied", event: "heal" }),
    ];
    const d = buildViewerData({ title: "t", source: { kind: "trace" }, events });
    expect(d.spans).toEqual([
      { lane: 0, kind: "down", startUs: 10, endUs: 20, label: "down" },
      { lane: 1, kind: "paused", startUs: 30, endUs: 40, label: "paused" },
      { lane: 1, kind: "cut", startUs: 50, endUs: 70, label: "isolate" },
      { lane: -1, kind: "partition", startUs: 60, endUs: 70, label: "a | b" },
    ]);
    expect(d.events.lane[9]).toBe(2); // a fault goes to the faults lane
  });

  it("payloads are clipped to payloadCharsMax", () => {
    const events = [{ ...msg("message_sent", 1, 0, "a", "b", 1), data: { type: "x", blob: "y".repeat(5000) } }];
    const text = buildViewerData({ title: "t", source: { kind: "trace" }, events }, { payloadCharsMax: 100 }).events.data[0]!;
    expect(text.length).toBeLessThan(130);
    expect(text).toMatch(/… \(\d+ chars\)$/);
  });
});

describe("embedding data in the page", () => {
  it("embedJson escapes every < (no </script>, no <!--) and U+2028/9, and parses back to the same value", () => {
    const value = { a: "</script><script>alert(1)</script>", b: "<!--", c: "\u2028\u2029", d: "<img src=x onerror=alert(1)>" };
    const text = embedJson(value);
    expect(text).not.toMatch(/[<\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe("sources: a JSON Lines trace, a report", () => {
  it("a trace written by toJsonLines reads back to the same events", () => {
    const events: TraceEvent[] = [
      msg("message_sent", 1, 0, "a", "b", 1), msg("message_delivered", 2, 5, "a", "b", 1),
      { step: 2, timeUs: 5, kind: "timer_fired", node: "b", event: "tick" },
      { step: 3, timeUs: 7, kind: "log", node: "b", level: "warn", event: "commit_applied", data: { term: 2, index: 4 } },
      { step: 4, timeUs: 9, kind: "fault_applied", node: "a", event: "crash", data: { fault: { kind: "crash", node: "a" }, applied: true } },
    ];
    const back = sourceFromJsonLines(toJsonLines(events), "t.jsonl").events;
    expect(back).toEqual(events.map((e) => (e.kind === "timer_fired" ? { ...e } : e)));
  });

  it("a line that is not JSON, or not a trace line, is a usage error naming the line", () => {
    expect(() => sourceFromJsonLines('{"x":1}\n', "t.jsonl")).toThrow(/t\.jsonl line 1 is not a trace line/);
    expect(() => sourceFromJsonLines("\n{oops\n", "t.jsonl")).toThrow(/t\.jsonl line 2 is not JSON/);
  });

  it("a report is replayed with full retention, reproduces, and records each Raft node's inspected state where it changed", () => {
    const report = raftFailureReport();
    const source = sourceFromReport(report, raftScenarios);
    expect(source.source.reproduced).toBe(true); // recording states changes nothing in the run
    expect(source.events.length).toBe(replay(report, raftScenarios, { trace: { retention: "full" } }).result.simulation.trace.count);
    expect(source.eventsOmitted).toBe(0);
    const n1 = source.states!.n1!;
    expect(n1.length).toBeGreaterThan(5);
    for (let i = 1; i < n1.length; i++) {
      expect(n1[i]![0]).toBeGreaterThan(n1[i - 1]![0]);
      expect(n1[i]![1]).not.toBe(n1[i - 1]![1]);
    }
    expect(JSON.parse(n1[n1.length - 1]![1])).toMatchObject({ id: "n1" });
    expect(source.statesNote).toMatch(/inspect\(\)/);
    expect(source.operations.length).toBeGreaterThan(0);
  });
});

describe("plots", () => {
  it("each kind renders a standalone SVG with marks from the run's data", () => {
    const source = sourceFromReport(raftFailureReport(), raftScenarios);
    for (const kind of PLOT_KINDS) {
      const svg = renderPlot(kind, source);
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg).not.toContain("no data");
      expect(svg.length).toBeLessThan(200_000);
    }
    expect(renderPlot("commit", source).match(/<path d="M[^"]*" fill="none" stroke/g)!.length).toBeGreaterThanOrEqual(3);
  });

  it("an empty input says no data", () => {
    expect(renderPlot("latency", { events: [], operations: [] })).toContain("no data");
  });
});

describe("faultline view and plot", () => {
  it("view writes a page from a report and from a trace file; plot writes an SVG; bad input is a usage error", async () => {
    // inside the workspace, so the report's module (@faultline/raft) resolves from it
    mkdirSync(join(import.meta.dirname, "../../node_modules/.cache"), { recursive: true });
    const dir = mkdtempSync(join(import.meta.dirname, "../../node_modules/.cache/fl-view-cli-"));
    const reportPath = writeReportFile(raftFailureReport(), dir);
    const view = await cliIn(dir, "view", reportPath, "-o", "page.html");
    expect(view.err).toBe("");
    if (view.code !== 0) throw new Error(view.out + view.err);
    expect(view.code).toBe(0);
    expect(view.out).toMatch(/viewer: \d+ events, 5 nodes with states, \d+ KB written to page\.html \(replay reproduced the report\)/);
    const html = readFileSync(join(dir, "page.html"), "utf8");
    expect(html).toContain('<script type="application/json" id="fl-data">');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/); // nothing loaded from elsewhere
    const replayed = await cliIn(dir, "replay", reportPath, "--trace", join(dir, "t.jsonl")); // replay writes --trace relative to the process's directory
    expect(replayed.out).toContain(`view: npx faultline view`);
    const fromTrace = await cliIn(dir, "view", "t.jsonl", "-o", "t.html");
    expect([fromTrace.code, fromTrace.err]).toEqual([0, ""]);
    const plot = await cliIn(dir, "plot", reportPath, "--kind", "elections", "-o", "e.svg");
    expect(plot.code).toBe(0);
    expect(readFileSync(join(dir, "e.svg"), "utf8")).toMatch(/^<\?xml[^]*<svg xmlns/);
    expect((await cliIn(dir, "plot", reportPath, "--kind", "pie", "-o", "x.svg")).err).toMatch(/--kind must be one of latency, commit, lag, elections \(got "pie"\)/);
    expect((await cliIn(dir, "view", reportPath)).err).toMatch(/missing -o/);
    writeFileSync(join(dir, "bad.jsonl"), "nope\n");
    const bad = await cliIn(dir, "view", "bad.jsonl", "-o", "x.html");
    expect([bad.code, bad.err]).toEqual([64, "faultline view: bad.jsonl line 1 is not JSON (a trace file has one JSON object per line)\n"]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("run and sweep print the view command next to the report they write", async () => {
    mkdirSync(join(import.meta.dirname, "../../node_modules/.cache"), { recursive: true });
    const dir = mkdtempSync(join(import.meta.dirname, "../../node_modules/.cache/fl-view-links-"));
    const seed = String(raftFailureReport().seed);
    const common = ["@faultline/raft", "--scenario", "raft-swarm", "--opt", "bugs=noUpToDateCheck", "--report-dir", "reports"];
    const run = await cliIn(dir, "run", ...common, "--seed", seed);
    const sweep = await cliIn(dir, "sweep", ...common, "--from", seed, "--seeds", "1", "--workers", "0");
    const report = `reports/raft-swarm-seed-${seed}-safety`;
    expect(run.out).toContain(`  view: npx faultline view "${report}.json" -o "${report}.html"`);
    expect(sweep.out).toContain(`view seed ${seed}: npx faultline view "${report}.json" -o "${report}.html"`);
    rmSync(dir, { recursive: true, force: true });
  });
});
