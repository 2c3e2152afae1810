import { viewCommandFor } from "./cmd-view.js";
import { writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { replay } from "../../runner/replay.js";
import { shrinkReport } from "../../runner/shrink.js";
import type { FailureReport } from "../../runner/report.js";
import { toJsonLines } from "../../trace/jsonl.js";
import { isModulePath, loadScenarioModule, ModuleLoadError, pickScenario, type LoadedModule } from "../load-module.js";
import { displayPath, moduleRelativeTo, readReportFile, writeReportAt } from "../report-files.js";
import { intFlag, parseCommandArgs, UsageError } from "./args.js";
import { EXIT_CODES } from "./exit-codes.js";
import { formatSchedule } from "./format.js";
import { formatParameters } from "./format-parameters.js";
import type { CliIo } from "./io.js";

/** How a user points a report at its scenarios when they are not where the report says. */
const POINT_ELSEWHERE = "pass --module <package or file> to load the report's scenarios from elsewhere";

/**
 * Reads a report and loads its scenario module (or `--module`), and checks that the module has the report's
 * scenario. All of it is validated before anything runs; what cannot be found is named, with what is known.
 */
export async function openReport(path: string, moduleFlag: unknown, io: CliIo) {
  const reportPath = resolve(io.cwd, path);
  const report = readReportFile(reportPath);
  let loaded: LoadedModule;
  if (typeof moduleFlag === "string") loaded = await loadScenarioModule(moduleFlag, io.cwd);
  else if (report.module !== undefined) loaded = await loadReportModule(report.module, reportPath, io.cwd);
  else throw new UsageError(`the report names no module; ${POINT_ELSEWHERE}`);
  pickScenario(loaded, report.scenario, POINT_ELSEWHERE);
  return { report, scenarios: loaded.scenarios };
}

/**
 * Loads the module a report names: a file (the path read back from the report, now absolute), or a package
 * resolved from the working directory, else from the report's own directory (the project it was written in).
 */
async function loadReportModule(spec: string, reportPath: string, cwd: string): Promise<LoadedModule> {
  try {
    return await loadScenarioModule(spec, cwd);
  } catch (error) {
    if (!(error instanceof ModuleLoadError)) throw error;
    if (!isModulePath(spec)) {
      const fromReport = await loadScenarioModule(spec, dirname(reportPath)).catch(() => undefined);
      if (fromReport !== undefined) return fromReport;
    }
    const written = moduleRelativeTo(spec, reportPath);
    const searched = isModulePath(spec) ? "" : ` (also searched from ${dirname(reportPath)} upwards)`;
    throw new ModuleLoadError(`${error.message}${searched}; the report ${displayPath(reportPath)} names module ${JSON.stringify(written)}; ${POINT_ELSEWHERE}`);
  }
}

/**
 * `faultline replay <report.json> [--trace out.jsonl] [--metrics out.prom] [--module M]`: re-runs the report
 * and checks the trace hash. Exits with the outcome's code, or 5 when the run did not reproduce.
 */
export async function replayCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs("replay", argv, { trace: { type: "string" }, metrics: { type: "string" }, module: { type: "string" } }, { min: 1, max: 1, names: "<report.json>" });
  const { report, scenarios } = await openReport(args.positionals[0]!, args.values.module, io);
  const traceFile = args.values.trace as string | undefined;
  const r = replay(report, scenarios, traceFile !== undefined ? { trace: { retention: "full" } } : {});
  io.out(`replayed ${report.scenario} seed ${report.seed}: ${r.outcome.kind}${r.outcome.invariant ? ` (${r.outcome.invariant})` : ""}\n  ${r.outcome.message}\n`);
  if (r.result.parameters !== undefined) io.out(`  parameters: ${formatParameters(r.result.parameters)}\n`);
  io.out(`  trace hash ${r.outcome.traceHash} (report: ${report.failure.traceHash}) at step ${r.outcome.step}, ${r.outcome.timeUs / 1000} ms\n`);
  io.out(r.reproduced ? "  reproduced: same outcome, trace hash and trace tail\n" : `  NOT reproduced: ${r.mismatch} (has the scenario's code changed?)\n`);
  io.out(`  view: ${viewCommandFor(displayPath(resolve(io.cwd, args.positionals[0]!)))}\n`);
  if (traceFile !== undefined) {
    writeFileSync(traceFile, toJsonLines(r.result.simulation.trace.events()));
    io.out(`  trace: ${r.result.simulation.trace.count} events written to ${traceFile}\n`);
  }
  const metricsFile = args.values.metrics as string | undefined;
  if (metricsFile !== undefined) {
    writeFileSync(metricsFile, r.result.simulation.metrics.toPrometheus());
    io.out(`  metrics written to ${metricsFile}\n`);
  }
  return r.reproduced ? EXIT_CODES[r.outcome.kind] : EXIT_CODES.notReproduced;
}

/**
 * `faultline shrink <report.json> [--out shrunk.json] [--max-runs N] [--module M] [--json]`: shrinks the
 * report's schedule (seed fixed) and writes the shrunk report next to it.
 */
export async function shrinkCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = { out: { type: "string" }, "max-runs": { type: "string" }, module: { type: "string" }, json: { type: "boolean" } } as const;
  const args = parseCommandArgs("shrink", argv, flags, { min: 1, max: 1, names: "<report.json>" });
  const path = args.positionals[0]!;
  const { report, scenarios } = await openReport(path, args.values.module, io);
  const result = shrinkReport(report, scenarios, { maxRuns: intFlag(args.values["max-runs"], "max-runs", 300, 1, 100_000) });
  const out = (args.values.out as string | undefined) ?? join(dirname(path), basename(path).replace(/(\.json)?$/, ".shrunk.json"));
  const written = writeReportAt(out, result.report);
  if (args.values.json) {
    io.out(`${JSON.stringify({ report: written, before: result.before, after: result.after, runs: result.runs, schedule: result.schedule })}\n`);
  } else {
    io.out(describeShrink(report, result, written));
  }
  return EXIT_CODES[result.outcome.kind];
}

/** Before/after sizes, the shrunk schedule and its replay command. */
export function describeShrink(original: FailureReport, result: ReturnType<typeof shrinkReport>, written: string): string {
  const b = result.before;
  const a = result.after;
  return `shrunk ${original.scenario} seed ${original.seed} (${result.outcome.kind}${result.outcome.invariant ? `: ${result.outcome.invariant}` : ""}) in ${result.runs} runs${result.exhausted ? " (run budget reached)" : ""}\n`
    + `  faults ${b.faults} -> ${a.faults}, trace events ${b.events} -> ${a.events}, steps ${b.steps} -> ${a.steps}\n`
    + `  ${result.outcome.message}\n`
    + `shrunk schedule:\n${formatSchedule(result.schedule)}`
    + `report: ${displayPath(written)}\nreplay: npx faultline replay ${JSON.stringify(displayPath(written))}\nview: ${viewCommandFor(displayPath(written))}\n`;
}
