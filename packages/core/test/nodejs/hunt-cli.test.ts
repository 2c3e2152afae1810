import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { EXIT_CODES, readReportFile } from "@faultline/core/node";
import { cliIn } from "./run-cli.js";
import { drawParameters } from "@faultline/core";
import { scenarios } from "./fixtures/hunt-module.js";

const fixture = fileURLToPath(new URL("./fixtures/hunt-module.ts", import.meta.url));
const examples = fileURLToPath(new URL("../../src/testing/example-scenarios.ts", import.meta.url));
const root = fileURLToPath(new URL("../../../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "faultline-hunt-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...argv: string[]) => cliIn(root, ...argv);

/** A module with the fixture's scenarios and the given `bugs` export (source text). */
function moduleWithBugs(name: string, bugs: string): string {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, `import { scenarios, bugs as fixtureBugs } from ${JSON.stringify(pathToFileURL(fixture).href)};\nexport { scenarios };\nexport const bugs = ${bugs};\n`);
  return file;
}

const hunt = (...extra: string[]) => cli("hunt", fixture, "--budget-seeds", "20", "--workers", "0", "--report-dir", join(dir, "reports"), ...extra);

interface JsonRow { bug: string; scenario: string; seedsRun: number; caughtAtSeed: number | null; kind: string | null; check: string | null; faultsBefore: number | null; faultsAfter: number | null; wallMs: number; expectedCheck: boolean | null; passedOver: Record<string, number>; shrunkReport: string | null }

describe("faultline hunt: each planted bug swept from seed 1 to its first safety violation, then shrunk", () => {
  it("--json: the caught bug with its seed, check and shrunk fault count; the escaped one with null; exit 1", async () => {
    const r = await hunt("--json");
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out) as { module: string; bugs: JsonRow[] };
    expect(out.module).toBe(fixture);
    const [caught, escaped] = out.bugs;
    for (const row of out.bugs) {
      expect(Object.keys(row).slice(0, 9)).toEqual(["bug", "scenario", "seedsRun", "caughtAtSeed", "kind", "check", "faultsBefore", "faultsAfter", "wallMs"]);
    }
    expect(caught).toMatchObject({ bug: "ackBeforeSync", scenario: "counter-swarm", kind: "safety", check: "acknowledged-increments-survive-crashes", expectedCheck: true });
    expect(caught!.caughtAtSeed).toBe(caught!.seedsRun);
    expect(caught!.faultsAfter!).toBeGreaterThan(0);
    expect(caught!.faultsAfter!).toBeLessThan(caught!.faultsBefore!);
    expect(readReportFile(caught!.shrunkReport!).schedule.length).toBe(caught!.faultsAfter);
    // noRetry only ever fails liveness: swept past on every failing seed, never caught
    expect(escaped).toMatchObject({ bug: "noRetry", seedsRun: 20, caughtAtSeed: null, kind: null, check: null, faultsBefore: null, faultsAfter: null, expectedCheck: null, shrunkReport: null });
    expect(escaped!.passedOver.liveness).toBeGreaterThan(0);
  }, 60_000);

  it("the table shows seeds, outcome, check, caughtBy, faults before -> after and what was swept past", async () => {
    const r = await hunt();
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^bug\s+scenario\s+seeds\s+wall\s+outcome\s+check\s+caughtBy\s+faults\s+swept past$/m);
    expect(r.out).toMatch(/^ackBeforeSync\s+counter-swarm\s+\d+\s+[\d.]+ s\s+safety\s+acknowledged-increments-survive-crashes\s+yes\s+(\d+) -> (\d+)\s+(-|\d+ \w+)/m);
    expect(r.out).toMatch(/^noRetry\s+counter-swarm\s+ESCAPED \(20\)\s+[\d.]+ s\s+-\s+-\s+-\s+-\s+\d+ liveness$/m);
    expect(r.out).toMatch(/ackBeforeSync: npx faultline replay ".*ackBeforeSync-seed-\d+\.shrunk\.json"/);
    expect(r.out).toContain("1 of 2 planted bugs caught; escaped their budget: noRetry");
  }, 60_000);

  it("every bug caught exits 0; the shrunk report replays to the same failure", async () => {
    const r = await hunt("--bug", "ackBeforeSync", "--json");
    expect(r.code).toBe(EXIT_CODES.ok);
    const [row] = (JSON.parse(r.out) as { bugs: JsonRow[] }).bugs;
    expect(existsSync(row!.shrunkReport!)).toBe(true);
    expect((await cli("replay", row!.shrunkReport!)).code).toBe(EXIT_CODES.safety);
  }, 60_000);

  it("on worker threads it catches the same bug at the same seed and shrinks it the same way", async () => {
    const inProcess = (JSON.parse((await hunt("--bug", "ackBeforeSync", "--json")).out) as { bugs: JsonRow[] }).bugs[0]!;
    const onWorkers = (JSON.parse((await cli("hunt", fixture, "--budget-seeds", "20", "--workers", "2", "--bug", "ackBeforeSync", "--report-dir", join(dir, "w"), "--json")).out) as { bugs: JsonRow[] }).bugs[0]!;
    for (const field of ["caughtAtSeed", "seedsRun", "check", "faultsBefore", "faultsAfter"] as const) expect(onWorkers[field]).toEqual(inProcess[field]);
  }, 60_000);

  it("a check outside the bug's caughtBy is marked, and still counts as caught", async () => {
    const mod = moduleWithBugs("other-check", `{ ackBeforeSync: { ...fixtureBugs.ackBeforeSync, caughtBy: ["some-other-check"] } }`);
    const r = await cli("hunt", mod, "--budget-seeds", "20", "--workers", "0", "--report-dir", join(dir, "other"));
    expect(r.code).toBe(EXIT_CODES.ok);
    expect(r.out).toMatch(/^ackBeforeSync\s+counter-swarm\s+\d+\s+[\d.]+ s\s+safety\s+acknowledged-increments-survive-crashes\s+NO\s/m);
    expect(r.out).toContain("caught by a check outside their caughtBy: ackBeforeSync");
  }, 60_000);

  it("bad input exits 64 with one line naming the problem", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["hunt"], /^faultline hunt: missing <module>$/],
      [["hunt", examples], /does not export `bugs`/],
      [["hunt", fixture, "--bug", "nope"], /--bug: "nope" is not a planted bug of .*hunt-module.ts \(known: ackBeforeSync, noRetry\)$/],
      [["hunt", fixture, "--budget-seeds", "0"], /--budget-seeds: must be an integer >= 1 \(got 0\)$/],
      [["hunt", moduleWithBugs("bad-scenario", `{ noRetry: { description: "x", scenario: "nope" } }`)], /bugs\.noRetry\.scenario: must name a scenario of the catalogue \(known: counter-swarm, counter-params\)/],
      [["hunt", fixture, "--budget"], /unknown option --budget; did you mean --budget-seeds\?$/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(" ")).toBe(EXIT_CODES.usage);
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.err.trim()).toMatch(message);
    }
  }, 60_000);
});

describe("the parameter swarm in the CLI", () => {
  it("list shows a scenario's parameters with their ranges; --json has them", async () => {
    const r = await cli("list", fixture);
    expect(r.out).toMatch(/^\s+parameter latencyMsMax\s+an integer from 2 to 40\s+the slowest one-way delay$/m);
    expect(r.out).toMatch(/^\s+parameter lossRatio\s+a number from 0.001 to 0.1, log-uniform\s/m);
    expect(r.out).toMatch(/^\s+parameter nodes\s+one of 3, 4, 5\s+cluster size$/m);
    const json = JSON.parse((await cli("list", fixture, "--json")).out) as Array<{ id: string; parameters: Record<string, unknown> }>;
    expect(Object.keys(json.find((s) => s.id === "counter-params")!.parameters)).toEqual(["nodes", "latencyMsMax", "lossRatio"]);
    expect(json.find((s) => s.id === "counter-swarm")!.parameters).toEqual({});
  });

  it("run prints the parameters its seed drew; --json has them", async () => {
    const expected = drawParameters(3, scenarios["counter-params"]!.parameters!);
    const text = await cli("run", fixture, "--scenario", "counter-params", "--seed", "3", "--report-dir", join(dir, "run"));
    expect(text.out).toContain(`  parameters: latencyMsMax=${expected.latencyMsMax} lossRatio=${Number((expected.lossRatio as number).toPrecision(4))} nodes=${expected.nodes}\n`);
    const json = JSON.parse((await cli("run", fixture, "--scenario", "counter-params", "--seed", "3", "--report-dir", join(dir, "run"), "--json")).out) as { parameters: unknown };
    expect(json.parameters).toEqual(expected);
  });

  it("replay shows the parameters the seed drew, as its report recorded them", async () => {
    const s = await cli("sweep", fixture, "--scenario", "counter-params", "--seeds", "10", "--workers", "0", "--opt", "bugs=ackBeforeSync", "--report-dir", join(dir, "params"), "--stop-on-failure", "--json");
    const failure = (JSON.parse(s.out) as { failures: Array<{ report: string }> }).failures[0]!;
    const report = readReportFile(failure.report);
    const r = await cli("replay", failure.report);
    expect(r.code).toBe(EXIT_CODES[report.failure.kind]);
    const p = report.parameters!;
    expect(r.out).toContain(`  parameters: latencyMsMax=${p.latencyMsMax} lossRatio=${Number((p.lossRatio as number).toPrecision(4))} nodes=${p.nodes}\n`);
    expect(r.out).toContain("reproduced: same outcome");
  }, 60_000);
});
