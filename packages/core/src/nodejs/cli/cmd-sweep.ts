import { availableParallelism } from "node:os";
import { sweep, type SweepSummary } from "../sweep.js";
import { DEFAULT_REPORT_DIR } from "../report-files.js";
import { intFlag, parseCommandArgs, parseOpts } from "./args.js";
import { EXIT_CODES, exitCodeFor } from "./exit-codes.js";
import { formatSummary, progressPrinter, summaryJson } from "./format.js";
import type { CliIo } from "./io.js";

const FLAGS = {
  scenario: { type: "string" },
  seeds: { type: "string" },
  from: { type: "string" },
  workers: { type: "string" },
  shard: { type: "string" },
  opt: { type: "string", multiple: true },
  json: { type: "boolean" },
  "stop-on-failure": { type: "boolean" },
  "report-dir": { type: "string" },
  "require-probes": { type: "boolean" },
} as const;

/**
 * `faultline sweep <module> [--scenario NAME] [--seeds N] [--from S] [--workers W] [--shard k/n] [--opt k=v]... [--require-probes] [--json]`.
 * SIGINT stops the sweep and prints the summary so far; reports already written stay. With `--require-probes`,
 * a sweep whose seeds all pass but never hit a required probe exits 6.
 */
export async function sweepCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs("sweep", argv, FLAGS, { min: 1, max: 1, names: "<module>" });
  const v = args.values;
  const seeds = intFlag(v.seeds, "seeds", 100, 1);
  const abort = new AbortController();
  // stays registered for the whole sweep: a second Ctrl-C (or one forwarded by the bin shim) is harmless
  const onSigint = () => abort.abort();
  process.on("SIGINT", onSigint);
  const progress = progressPrinter(io, "sweep");
  let summary: SweepSummary;
  try {
    summary = await sweep({ module: args.positionals[0]!, scenario: v.scenario as string | undefined, cwd: io.cwd }, {
      seeds,
      from: intFlag(v.from, "from", 1),
      workers: intFlag(v.workers, "workers", Math.min(availableParallelism(), seeds), 0, 256),
      shard: v.shard as string | undefined,
      options: parseOpts(v.opt as string[] | undefined),
      stopOnFailure: v["stop-on-failure"] === true,
      reportDir: (v["report-dir"] as string | undefined) ?? DEFAULT_REPORT_DIR,
      signal: abort.signal,
      onProgress: (p) => progress.update(p),
    });
  } finally {
    process.removeListener("SIGINT", onSigint);
    progress.end();
  }
  io.out(v.json ? `${JSON.stringify(summaryJson(summary))}\n` : formatSummary(summary));
  if (!v.json && summary.failures.length > 0) io.out(`\nreplay one with: npx faultline replay ${JSON.stringify(summary.failures[0]!.report)}\n`);
  const code = exitCodeFor(summary.failures.map((f) => f.kind));
  if (code !== 0) return code;
  if (summary.interrupted) return EXIT_CODES.interrupted;
  // coverage is judged only on request, and only for a whole sweep: a failure or an interruption says more
  return v["require-probes"] === true && summary.requiredNeverHit.length > 0 ? EXIT_CODES.requiredProbeNeverHit : 0;
}
