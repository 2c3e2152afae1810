import { ConfigError, FaultlineError } from "../errors.js";
import type { OutcomeKind } from "../engine/outcome.js";
import type { FaultSchedule } from "../faults/fault.js";
import type { Seed } from "../random/stream.js";
import type { TraceEvent } from "../trace/events.js";
import type { ResolvedTraceOptions } from "../trace/trace.js";
import type { ScenarioOptions } from "./scenario.js";
import type { ScenarioResult } from "./run-scenario.js";
import type { SwarmProfile } from "../faults/generator.js";
import type { ParameterValue } from "./parameters.js";
import { resolveBuggifyOptions, buggifyOptionsOf, type BuggifyRecord } from "../engine/buggify.js";

/**
 * The failure-report format this version writes; it reads every version from 1 up to it.
 * - 2: records the trace options (`trace`: which hash definition the trace hash uses), and a module given as
 *   a file path is relative to the report file, so a project and its reports can move.
 * - 1: no trace options (the hash never covered payloads); a module path was absolute, or relative to the
 *   working directory of the run.
 */
export const REPORT_FORMAT_VERSION = 2;

/** A replay recipe: everything needed to re-run a failure bit for bit. Plain JSON. */
export interface FailureReport {
  format: "faultline-report";
  formatVersion: number;
  /**
   * Where the scenario comes from, when known: a package name (`@faultline/raft`), or a file path. In a
   * report file (format 2) a path is relative to the report's directory (`./` or `../`), so the report
   * travels with its project; in memory (as `makeReport` returns it) it is as given.
   */
  module?: string;
  scenario: string;
  seed: Seed;
  options: ScenarioOptions;
  schedule: FaultSchedule;
  profile?: SwarmProfile;
  /**
   * The protocol parameters the scenario drew for this seed (the parameter swarm), when it drew any. An optional
   * field, so no format change: replay draws them again from the seed and options and compares; a report
   * without it ran a scenario that draws none (or an older Faultline).
   */
  parameters?: Record<string, ParameterValue>;
  /**
   * The trace options of the run (format 2; absent in format 1). `hashPayloads` says which hash
   * definition `failure.traceHash` uses, and replay runs with it.
   */
  trace?: ResolvedTraceOptions;
  /**
   * Buggify in the run, when it was on: its options (probabilities, forced marks) and every mark evaluated
   * with whether it was enabled for this seed. Replay runs with these options (an optional field: no format
   * change; a report without it ran with buggify off).
   */
  buggify?: BuggifyRecord;
  failure: {
    kind: OutcomeKind;
    invariant?: string;
    message: string;
    step: number;
    timeUs: number;
    traceHash: string;
    traceTail: TraceEvent[];
    error?: { name: string; message: string; stack?: string };
  };
  /** The command that replays this report. */
  replayCommand?: string;
}

/** A report was refused: unreadable, corrupted, or from a newer format. Nothing was run. */
export class ReportError extends FaultlineError {}

/** Builds a report from a scenario result. */
export function makeReport(result: ScenarioResult, module?: string): FailureReport {
  const o = result.outcome;
  const report: FailureReport = {
    format: "faultline-report",
    formatVersion: REPORT_FORMAT_VERSION,
    ...(module !== undefined ? { module } : {}),
    scenario: result.scenario,
    seed: result.seed,
    options: result.options,
    schedule: result.schedule,
    ...(result.profile !== undefined ? { profile: result.profile } : {}),
    ...(result.parameters !== undefined ? { parameters: { ...result.parameters } } : {}),
    trace: { ...result.simulation.trace.options },
    ...(result.buggify?.enabled === true ? { buggify: result.buggify } : {}),
    failure: {
      kind: o.kind, invariant: o.invariant, message: o.message, step: o.step, timeUs: o.timeUs,
      traceHash: o.traceHash, traceTail: jsonSafe(o.traceTail) as TraceEvent[], ...(o.error ? { error: o.error } : {}),
    },
  };
  return report;
}

/** Parses and validates a report (from text or an object). Refuses newer formats and damaged reports. */
export function parseReport(input: string | unknown): FailureReport {
  let data: unknown = input;
  if (typeof input === "string") {
    try {
      data = JSON.parse(input);
    } catch (error) {
      throw new ReportError(`the report is not valid JSON (${(error as Error).message}); it may be truncated or corrupted`);
    }
  }
  if (data === null || typeof data !== "object") throw new ReportError("the report must be a JSON object");
  const r = data as Record<string, unknown>;
  if (r.format !== "faultline-report") throw new ReportError('the report lacks format: "faultline-report"; is this a Faultline failure report?');
  if (typeof r.formatVersion !== "number" || !Number.isInteger(r.formatVersion) || r.formatVersion < 1) throw new ReportError("the report's formatVersion must be an integer >= 1");
  if (r.formatVersion > REPORT_FORMAT_VERSION) {
    throw new ReportError(`the report has format version ${r.formatVersion}, newer than this Faultline reads (${REPORT_FORMAT_VERSION}); upgrade @faultline/core`);
  }
  const need = (field: string, ok: boolean) => {
    if (!ok) throw new ReportError(`the report is damaged: field ${field} is missing or malformed`);
  };
  need("scenario", typeof r.scenario === "string");
  need("seed", typeof r.seed === "string" || typeof r.seed === "number");
  need("options", r.options !== null && typeof r.options === "object");
  need("schedule", Array.isArray(r.schedule));
  if (r.parameters !== undefined) checkParameters(r.parameters, need);
  const f = r.failure as Record<string, unknown> | undefined;
  need("failure", f !== null && typeof f === "object");
  need("failure.kind", typeof f!.kind === "string");
  need("failure.traceHash", typeof f!.traceHash === "string" && /^[0-9a-f]{16}$/.test(f!.traceHash as string));
  need("failure.step", typeof f!.step === "number");
  need("failure.traceTail", Array.isArray(f!.traceTail));
  if (r.formatVersion >= 2 || r.trace !== undefined) checkTraceOptions(r.trace, need);
  if (r.buggify !== undefined) checkBuggifyRecord(r.buggify, need);
  return data as FailureReport;
}

/** The recorded trace options: the fields a run resolves, each of its type. */
function checkTraceOptions(value: unknown, need: (field: string, ok: boolean) => void): void {
  need("trace", value !== null && typeof value === "object" && !Array.isArray(value));
  const t = value as Record<string, unknown>;
  need("trace.retention", t.retention === "ring" || t.retention === "full");
  need("trace.ringSize", Number.isInteger(t.ringSize));
  need("trace.maxEvents", Number.isInteger(t.maxEvents));
  need("trace.hashPayloads", typeof t.hashPayloads === "boolean");
}

/** The recorded buggify: options a run accepts, and a boolean per evaluated mark. */
function checkBuggifyRecord(value: unknown, need: (field: string, ok: boolean) => void): void {
  need("buggify", value !== null && typeof value === "object" && !Array.isArray(value));
  const b = value as BuggifyRecord;
  const booleans = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v) && Object.values(v).every((on) => typeof on === "boolean");
  need("buggify.marks", booleans(b.marks));
  need("buggify.forced", b.forced === undefined || booleans(b.forced));
  try {
    resolveBuggifyOptions(buggifyOptionsOf(b));
  } catch (error) {
    need(error instanceof ConfigError ? error.field : "buggify", false);
  }
}

/** The recorded parameters: a record of finite numbers, strings and booleans. */
function checkParameters(value: unknown, need: (field: string, ok: boolean) => void): void {
  need("parameters", value !== null && typeof value === "object" && !Array.isArray(value));
  for (const [name, v] of Object.entries(value as object)) {
    need(`parameters.${name}`, typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v)));
  }
}

/** A one-line command that replays the report file. */
export function replayCommand(reportPath: string): string {
  return `npx faultline replay ${JSON.stringify(reportPath)}`;
}

function jsonSafe(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value ?? null));
  } catch {
    throw new ConfigError("traceTail", "trace events must be JSON-serializable");
  }
}
