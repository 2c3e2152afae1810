/**
 * Finds the planted `forgetVote` bug by sweeping seeds, prints the failure report's summary, replays the
 * report to the same trace hash, and shows the correct protocol passing the same seed.
 *
 *   npx tsx --conditions=@faultline/source examples/buggy-election/main.ts [maxSeeds]
 */
import { makeReport, replay, runScenario, type FailureReport } from "@faultline/core";
import { electionScenario, scenarios } from "./index.js";

const DEFAULT_MAX_SEEDS = 1000;

/** Runs seeds 1..maxSeeds of the buggy election until one fails; returns its report, or undefined. */
export function findFirstFailure(maxSeeds: number, bugs: string[] = ["forgetVote"]): { report: FailureReport; seedsRun: number } | undefined {
  for (let seed = 1; seed <= maxSeeds; seed++) {
    const result = runScenario(electionScenario, { seed, options: { bugs } });
    if (result.outcome.kind !== "ok") return { report: makeReport(result, "examples/buggy-election/index.ts"), seedsRun: seed };
  }
  return undefined;
}

function summarize(report: FailureReport): string {
  const f = report.failure;
  return [
    `scenario   ${report.scenario}  options ${JSON.stringify(report.options)}`,
    `seed       ${report.seed}`,
    `outcome    ${f.kind}: ${f.invariant ?? ""}`,
    `message    ${f.message}`,
    `at         step ${f.step}, ${f.timeUs / 1000} ms of simulated time`,
    `schedule   ${report.schedule.length} faults; swarm families ${report.profile?.families.join(", ") ?? "-"}`,
    `traceHash  ${f.traceHash}`,
  ].join("\n");
}

function main(): void {
  const maxSeeds = Number(process.argv[2] ?? DEFAULT_MAX_SEEDS);
  const found = findFirstFailure(maxSeeds);
  if (found === undefined) {
    console.log(`no failure in seeds 1..${maxSeeds}`);
    process.exitCode = 1;
    return;
  }
  const { report, seedsRun } = found;
  console.log(`found a violation after ${seedsRun} seed(s):\n${summarize(report)}\n`);

  const again = replay(report, scenarios);
  console.log(`replay: ${again.outcome.kind}, trace hash ${again.outcome.traceHash} (${again.reproduced ? "reproduced bit for bit" : "DIVERGED"})`);

  const fixed = runScenario(electionScenario, { seed: report.seed, options: { bugs: [] } });
  console.log(`the correct protocol (vote synced before replying) on seed ${report.seed}: ${fixed.outcome.kind}`);
  if (!again.reproduced || fixed.outcome.kind !== "ok") process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) main();
