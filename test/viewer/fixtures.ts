import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeReport, runScenario, type FailureReport, type TraceEvent } from "@faultline/core";
import { scenarios as raftScenarios } from "@faultline/raft";
import { sourceFromReport, viewerHtml, type ViewSource } from "../../packages/core/src/nodejs/viewer/index.js";

/** A real Raft failure: raft-swarm with the planted bug noUpToDateCheck, the first failing seed of 1..20 (a safety violation). */
export function raftFailureReport(): FailureReport {
  const scenario = raftScenarios["raft-swarm"]!;
  for (let seed = 1; seed <= 20; seed++) {
    const result = runScenario(scenario, { seed, options: { bugs: ["noUpToDateCheck"] } });
    if (result.outcome.kind === "safety") return makeReport(result, "@faultline/raft");
  }
  throw new Error("no safety violation in raft-swarm seeds 1..20 with noUpToDateCheck");
}

/** The viewer source and page of a report, the page written to a fresh temporary file. */
export function viewerFile(report: FailureReport, name = "viewer.html"): { source: ViewSource; path: string; html: string } {
  const source = sourceFromReport(report, raftScenarios);
  const html = viewerHtml(source);
  const path = join(mkdtempSync(join(tmpdir(), "fl-viewer-")), name);
  writeFileSync(path, html);
  return { source, path, html };
}

/**
 * The deliveries (and drops) whose flight meets the window [t0, t1], counted here from the trace events
 * themselves (not from the viewer's arrow table): each paired with the latest send of its message id, kept
 * when sender and receiver are both shown and its message type is shown.
 */
export function flightsInWindow(events: readonly TraceEvent[], t0: number, t1: number, keep: (e: TraceEvent) => boolean = () => true): { delivered: number; dropped: number } {
  const sentAt = new Map<number, number>();
  let delivered = 0;
  let dropped = 0;
  for (const e of events) {
    if (e.msgId === undefined) continue;
    if (e.kind === "message_sent") sentAt.set(e.msgId, e.timeUs);
    if (e.kind !== "message_delivered" && e.kind !== "message_dropped") continue;
    const start = sentAt.get(e.msgId) ?? e.timeUs;
    if (start > t1 || e.timeUs < t0 || !keep(e)) continue;
    if (e.kind === "message_delivered") delivered++;
    else dropped++;
  }
  return { delivered, dropped };
}
