import { viewCommandFor } from "./cmd-view.js";
import { sweep } from "../sweep.js";
import { DEFAULT_REPORT_DIR, displayPath } from "../report-files.js";
import { intFlag, parseCommandArgs, parseOpts, UsageError } from "./args.js";
import { EXIT_CODES } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { formatParameters } from "./format-parameters.js";

const FLAGS = {
  seed: { type: "string" },
  scenario: { type: "string" },
  opt: { type: "string", multiple: true },
  "report-dir": { type: "string" },
  json: { type: "boolean" },
} as const;

/**
 * `faultline run <module> --seed S [--scenario NAME] [--opt k=v]... [--report-dir DIR] [--json]`: runs one
 * seed and prints its outcome, the protocol parameters it drew (if any), trace hash and (for a failure) the report written. It is a one-seed sweep run
 * in this thread, so seed S gives exactly what `sweep --from S --seeds 1` gives: the same hash, the same
 * report. A passing seed writes no report. Exits with the outcome's code.
 */
export async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs("run", argv, FLAGS, { min: 1, max: 1, names: "<module>" });
  const v = args.values;
  if (v.seed === undefined) throw new UsageError("--seed is required (the seed to run, e.g. --seed 26)");
  const seed = intFlag(v.seed, "seed", 0); // sweep's seeds: whole numbers from 0
  const summary = await sweep({ module: args.positionals[0]!, scenario: v.scenario as string | undefined, cwd: io.cwd }, {
    seeds: 1,
    from: seed,
    workers: 0,
    options: parseOpts(v.opt as string[] | undefined),
    reportDir: (v["report-dir"] as string | undefined) ?? DEFAULT_REPORT_DIR,
    collectResults: true,
  });
  const result = summary.results![0]!;
  const report = summary.failures[0]?.report;
  if (v.json) {
    const out = { scenario: summary.scenario, seed, kind: result.kind, ...(result.invariant !== undefined ? { invariant: result.invariant } : {}), message: result.message, ...(result.parameters !== undefined ? { parameters: result.parameters } : {}), traceHash: result.traceHash, steps: result.steps, simulatedMs: result.simulatedMs, report: report ?? null };
    io.out(`${JSON.stringify(out)}\n`);
    return EXIT_CODES[result.kind];
  }
  io.out(`${summary.scenario} seed ${seed}: ${result.kind}${result.invariant !== undefined ? ` (${result.invariant})` : ""}\n`);
  if (result.kind !== "ok") io.out(`  ${result.message}\n`);
  if (result.parameters !== undefined) io.out(`  parameters: ${formatParameters(result.parameters)}\n`);
  io.out(`  trace hash ${result.traceHash} at step ${result.steps}, ${result.simulatedMs} ms\n`);
  if (report === undefined) {
    io.out("  no report (a passing seed writes none)\n");
  } else {
    io.out(`  report: ${displayPath(report)}\n  replay: npx faultline replay ${JSON.stringify(displayPath(report))}\n  view: ${viewCommandFor(displayPath(report))}\n`);
  }
  return EXIT_CODES[result.kind];
}
