import { ConfigError } from "../../errors.js";
import { ReportError } from "../../runner/report.js";
import { ModuleLoadError } from "../load-module.js";
import { SweepError } from "../sweep-pool.js";
import { UsageError } from "./args.js";
import { determinismCommand } from "./cmd-determinism.js";
import { demoCommand } from "./cmd-demo.js";
import { huntCommand } from "./cmd-hunt.js";
import { listCommand } from "./cmd-list.js";
import { replayCommand, shrinkCommand } from "./cmd-report.js";
import { runCommand } from "./cmd-run.js";
import { sweepCommand } from "./cmd-sweep.js";
import { viewCommand } from "./cmd-view.js";
import { plotCommand } from "./cmd-plot.js";
import { checkCommand } from "./cmd-check.js";
import { EXIT_CODES } from "./exit-codes.js";
import { processIo, type CliIo } from "./io.js";

export { EXIT_CODES } from "./exit-codes.js";

const USAGE = `usage: faultline <command> ...

  list <module>                                   the scenarios a module exports (options, planted bugs)
  run <module> --seed S [--scenario NAME] [--opt key=value]... [--report-dir DIR] [--json]
                                                  runs one seed: outcome, trace hash, report (failures only)
  sweep <module> [--scenario NAME] [--seeds N] [--from S] [--workers W] [--shard k/n]
                 [--opt key=value]... [--stop-on-failure] [--report-dir DIR] [--require-probes] [--json]
  replay <report.json> [--trace out.jsonl] [--metrics out.prom] [--module M]
  shrink <report.json> [--out shrunk.json] [--max-runs N] [--module M] [--json]
  determinism <module> --scenario NAME --seed S [--opt key=value]...
  hunt <module> [--budget-seeds N] [--bug NAME]... [--workers W] [--max-shrink-runs N] [--report-dir DIR] [--json]
                                                  sweeps each planted bug's scenario to its first safety violation,
                                                  shrinks it; exit 0 all caught, 1 a bug escaped its budget
  view <report.json | trace.jsonl> -o out.html [--module M] [--max-events N]
                                                  a self-contained HTML page: space-time diagram, step cursor,
                                                  node states, plots (a report is replayed with the full trace)
  plot <report.json | trace.jsonl> --kind latency|commit|lag|elections -o out.svg [--module M]
  check <history> --model NAME [--format jepsen-edn|jepsen-log|jsonl] [--consistency linearizable|sequential|causal]
        [--variant CC|CCv|CM] [--reading jepsen|etcd] [--initial JSON] [--independent] [--max-steps N] [--json]
                                                  checks a history file: verdict, witness, statistics;
                                                  exit 0 valid, 1 violation, 2 unknown (budget), 64 usage
  demo [--seeds N] [--workers W] [--packages a,b] sweep the protocol packages the project depends on, then catch,
                                                  shrink and replay a planted bug

<module> is an installed package's name or a .ts/.js file exporting \`scenarios\`.
exit codes: 0 ok, 1 safety violation, 2 liveness failure, 3 crash (user code threw), 4 budget exceeded,
            5 replay not reproduced / nondeterministic, 6 required probe never hit (sweep --require-probes),
            64 usage error, 130 interrupted
`;

const COMMANDS: Record<string, (argv: string[], io: CliIo) => Promise<number>> = {
  list: listCommand,
  run: runCommand,
  sweep: sweepCommand,
  replay: replayCommand,
  shrink: shrinkCommand,
  determinism: determinismCommand,
  demo: demoCommand,
  hunt: huntCommand,
  view: viewCommand,
  plot: plotCommand,
  check: checkCommand,
};

/**
 * Runs the `faultline` CLI with `argv` (without the node and script paths) and returns the exit code.
 * Bad input (unknown flag or command, missing module, bad shard, damaged report) prints one line, exit 64.
 */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    io.out(USAGE);
    return command === undefined ? EXIT_CODES.usage : EXIT_CODES.ok;
  }
  const run = COMMANDS[command];
  if (run === undefined) {
    io.err(`faultline: unknown command ${JSON.stringify(command)} (commands: ${Object.keys(COMMANDS).join(", ")}; try faultline --help)\n`);
    return EXIT_CODES.usage;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(USAGE);
    return EXIT_CODES.ok;
  }
  try {
    return await run(rest, io);
  } catch (error) {
    if (isUsageError(error)) {
      io.err(`faultline ${command}: ${(error as Error).message.split("\n")[0]}\n`);
      return EXIT_CODES.usage;
    }
    const cause = error instanceof SweepError && error.cause instanceof Error ? `\ncaused by (in a worker): ${error.cause.stack ?? error.cause.message}` : "";
    io.err(`faultline ${command}: internal error: ${(error as Error)?.stack ?? String(error)}${cause}\n`);
    return EXIT_CODES.internal;
  }
}

function isUsageError(error: unknown): boolean {
  // what a worker caught decides: a ConfigError is the user's to fix, anything else a bug (as in-process)
  if (error instanceof SweepError && error.cause !== undefined) return isUsageError(error.cause);
  if (error instanceof UsageError || error instanceof ConfigError || error instanceof ModuleLoadError || error instanceof ReportError || error instanceof SweepError) return true;
  // a scenario module may hold its own copy of @faultline/core (source vs dist): match by name too
  const name = (error as Error | undefined)?.name;
  if (name === "ConfigError" || name === "ReportError" || name === "ModuleLoadError") return true;
  // a file-system error (an unwritable --report-dir or --trace path) is the user's to fix: one line is enough
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" && /^E[A-Z]+$/.test(code);
}
