import type { Simulation } from "../../engine/simulation.js";
import type { Operation } from "../../history/history.js";
import { replay } from "../../runner/replay.js";
import type { FailureReport } from "../../runner/report.js";
import type { ScenarioCatalogue } from "../../runner/scenario.js";
import type { EngineEventKind, TraceEvent } from "../../trace/events.js";
import { UsageError } from "../cli/args.js";
import { captureStates, type StateCaptureLimits } from "./states.js";
import type { ViewerInput } from "./model.js";

/** What the viewer and the plots are made from: the events, the lanes, the states and the client operations. */
export interface ViewSource extends ViewerInput {
  /** Client operations (a report's replay; a trace file holds none). */
  operations: Operation[];
}

/** Options of {@link sourceFromReport}. */
export interface ReportSourceOptions {
  /** Trace events kept (the latest ones; the hash covers all). @defaultValue 1,000,000 */
  maxEvents?: number;
  states?: StateCaptureLimits;
}

/**
 * Replays a report with full trace retention (through `replay`, which checks that it reproduced), recording
 * the nodes' inspected states as it runs.
 */
export function sourceFromReport(report: FailureReport, scenarios: ScenarioCatalogue, options: ReportSourceOptions = {}): ViewSource {
  let captured: ReturnType<typeof captureStates> | undefined;
  const onSimulation = (sim: Simulation) => { captured = captureStates(sim, options.states); };
  const r = replay(report, scenarios, { trace: { retention: "full", maxEvents: options.maxEvents ?? 1_000_000 }, onSimulation });
  const sim = r.result.simulation;
  const events = sim.trace.events();
  const f = report.failure;
  return {
    title: `${report.scenario} seed ${report.seed}: ${f.kind}${f.invariant !== undefined ? ` (${f.invariant})` : ""}`,
    source: {
      kind: "report", scenario: report.scenario, seed: report.seed, reproduced: r.reproduced,
      ...(report.module !== undefined ? { module: report.module } : {}), ...(r.mismatch !== undefined ? { mismatch: r.mismatch } : {}),
    },
    events,
    nodeIds: [...sim.nodeIds],
    clientIds: [...sim.clientIds],
    states: captured?.states ?? {},
    statesNote: captured?.note() ?? "",
    failure: { kind: f.kind, ...(f.invariant !== undefined ? { invariant: f.invariant } : {}), message: f.message, step: f.step, timeUs: f.timeUs },
    eventsOmitted: sim.trace.count - events.length,
    operations: sim.history.operations(),
  };
}

const ENGINE_KINDS = new Set<string>([
  "message_sent", "message_delivered", "message_dropped", "message_duplicated", "timer_fired", "node_started",
  "node_crashed", "node_restarted", "node_paused", "node_resumed", "partition_detected", "partition_healed",
  "fault_applied", "trigger_fired", "phase",
]);

/** Events read back from a JSON Lines trace (`faultline replay --trace`); a malformed line is a UsageError naming it. */
export function sourceFromJsonLines(text: string, name: string): ViewSource {
  const events: TraceEvent[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new UsageError(`${name} line ${i + 1} is not JSON (a trace file has one JSON object per line)`);
    }
    events.push(eventOfLogLine(parsed, `${name} line ${i + 1}`));
  }
  return { title: `trace ${name}`, source: { kind: "trace" }, events, operations: [] };
}

/** The inverse of `toLogLine`: engine fields come back from the context, a protocol log's context is its data. */
function eventOfLogLine(value: unknown, where: string): TraceEvent {
  const line = value as { event?: unknown; node_id?: unknown; level?: unknown; context?: unknown };
  const ctx = line?.context as Record<string, unknown> | undefined;
  if (typeof line?.event !== "string" || ctx === null || typeof ctx !== "object" || typeof ctx.step !== "number" || typeof ctx.time_us !== "number") {
    throw new UsageError(`${where} is not a trace line (needs event, and context with step and time_us)`);
  }
  const { step, time_us: timeUs, from, to, msg_id: msgId, name, message, detail, ...rest } = ctx;
  const isEngine = ENGINE_KINDS.has(line.event);
  const e: TraceEvent = { step: step as number, timeUs: timeUs as number, kind: (isEngine ? line.event : "log") as EngineEventKind };
  if (typeof line.node_id === "string") e.node = line.node_id;
  if (typeof from === "string") e.from = from;
  if (typeof to === "string") e.to = to;
  if (typeof msgId === "number") e.msgId = msgId;
  if (isEngine) {
    if (typeof name === "string") e.event = name;
    const data = message ?? detail;
    if (data !== undefined) e.data = data;
  } else {
    e.event = line.event;
    e.level = typeof line.level === "string" ? line.level : "info";
    e.data = { ...rest, ...(message !== undefined ? { message } : {}), ...(detail !== undefined ? { detail } : {}), ...(name !== undefined ? { name } : {}) };
  }
  return e;
}
