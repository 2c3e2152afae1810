/**
 * The benchmark runner: loads every `bench/suites/*.ts` module (sorted by file name), runs each suite's
 * `run()` and prints its figures as a table, or with `--json` exactly one flat JSON object of named
 * figures on stdout (progress goes to stderr, so stdout stays machine-readable).
 *
 *   pnpm bench                 every suite, table
 *   pnpm bench -- --json       every suite, one JSON object
 *   pnpm bench -- core raft    only suites whose file name contains "core" or "raft"
 *
 * A suite that throws is reported (stderr, a `bench.failed.<suite>` figure of 1 in the JSON) and the
 * others still run; the process then exits with status 1.
 */
import { readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";

/** What a suite module exports. */
interface SuiteModule {
  run(): Promise<Record<string, number>>;
}

interface Args {
  json: boolean;
  filters: string[];
}

/** pnpm 10 forwards `pnpm bench -- --json` either as `-- --json` or as `--json`: accept both. */
function parseArgs(argv: readonly string[]): Args {
  const args: Args = { json: false, filters: [] };
  for (const arg of argv) {
    if (arg === "--") continue;
    if (arg === "--json") args.json = true;
    else if (arg === "--help" || arg === "-h") {
      process.stderr.write("usage: tsx bench/run.ts [--json] [suite-name-filter ...]\n");
      process.exit(0);
    } else if (arg.startsWith("-")) throw new Error(`unknown option ${arg} (expected --json or suite name filters)`);
    else args.filters.push(arg);
  }
  return args;
}

/** Suite files, sorted by name, that match any filter (all when there is none). */
function suiteFiles(filters: readonly string[]): string[] {
  const dir = join(dirname(fileURLToPath(import.meta.url)), "suites");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .sort()
    .filter((f) => filters.length === 0 || filters.some((x) => basename(f, ".ts").includes(x)))
    .map((f) => join(dir, f));
}

/** Runs one suite; a throw or a malformed result becomes an error message instead of aborting the run. */
async function runSuite(file: string): Promise<{ figures: Record<string, number>; error?: string; seconds: number }> {
  const t0 = performance.now();
  try {
    const mod = (await import(pathToFileURL(file).href)) as Partial<SuiteModule>;
    if (typeof mod.run !== "function") throw new Error("the module does not export run()");
    const figures = await mod.run();
    for (const [name, value] of Object.entries(figures ?? {})) {
      if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`figure ${name} is not a finite number: ${String(value)}`);
    }
    return { figures: figures ?? {}, seconds: (performance.now() - t0) / 1000 };
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { figures: {}, error: message, seconds: (performance.now() - t0) / 1000 };
  }
}

function printTable(rows: ReadonlyArray<[string, number]>): void {
  const width = Math.max(6, ...rows.map(([name]) => name.length));
  console.log(`${"figure".padEnd(width)}  value`);
  console.log(`${"-".repeat(width)}  ${"-".repeat(16)}`);
  for (const [name, value] of rows) {
    const shown = Number.isInteger(value) ? value.toLocaleString("en-US") : value.toFixed(3);
    console.log(`${name.padEnd(width)}  ${shown.padStart(16)}`);
  }
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const files = suiteFiles(args.filters);
  if (files.length === 0) {
    process.stderr.write(`no bench suite matches ${args.filters.join(", ")}\n`);
    return 1;
  }
  const all: Record<string, number> = {};
  const failed: string[] = [];
  for (const file of files) {
    const suite = basename(file, ".ts");
    process.stderr.write(`bench: ${suite} ...\n`);
    const result = await runSuite(file);
    if (result.error !== undefined) {
      failed.push(suite);
      all[`bench.failed.${suite}`] = 1;
      process.stderr.write(`bench: suite ${suite} FAILED after ${result.seconds.toFixed(1)} s:\n${result.error}\n`);
      continue;
    }
    Object.assign(all, result.figures);
    process.stderr.write(`bench: ${suite} done in ${result.seconds.toFixed(1)} s\n`);
  }
  if (args.json) process.stdout.write(JSON.stringify(all) + "\n");
  else printTable(Object.entries(all));
  if (failed.length > 0) process.stderr.write(`bench: ${failed.length} suite(s) failed: ${failed.join(", ")}\n`);
  return failed.length > 0 ? 1 : 0;
}

process.exitCode = await main();
