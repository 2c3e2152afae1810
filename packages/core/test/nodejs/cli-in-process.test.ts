import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { EXIT_CODES, readReportFile, runCli } from "@faultline/core/node";

const examples = fileURLToPath(new URL("../../src/testing/example-scenarios.ts", import.meta.url));
const root = fileURLToPath(new URL("../../../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "faultline-cli-in-process-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in this process with captured output. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false, cwd: root });
  return { code, out, err };
}

describe("faultline CLI commands (in process)", () => {
  it("each outcome kind has its own exit code", async () => {
    const sweep = (...extra: string[]) => cli("sweep", examples, "--seeds", "3", "--workers", "0", "--report-dir", dir, "--json", ...extra);
    expect((await sweep()).code).toBe(EXIT_CODES.ok);
    expect((await sweep("--opt", "bugs=ackBeforeSync")).code).toBe(EXIT_CODES.safety);
    expect((await sweep("--opt", "bugs=noRetry")).code).toBe(EXIT_CODES.liveness);
    expect((await sweep("--opt", "bugs=crashOnDuplicate")).code).toBe(EXIT_CODES.crash);
    expect((await sweep("--opt", "maxSteps=50")).code).toBe(EXIT_CODES.budget);
    expect([EXIT_CODES.ok, EXIT_CODES.safety, EXIT_CODES.liveness, EXIT_CODES.crash, EXIT_CODES.budget, EXIT_CODES.usage]).toEqual([0, 1, 2, 3, 4, 64]);
  });

  it("a sweep that finds several kinds exits with the most serious (safety first)", async () => {
    const r = await cli("sweep", examples, "--seeds", "6", "--workers", "0", "--report-dir", dir, "--json", "--opt", "bugs=ackBeforeSync,noRetry");
    const kinds = new Set(JSON.parse(r.out).failures.map((f: { kind: string }) => f.kind));
    expect(kinds.has("safety")).toBe(true);
    expect(r.code).toBe(1);
  });

  it("the human summary is a readable table with a replay command", async () => {
    const r = await cli("sweep", examples, "--seeds", "4", "--workers", "0", "--report-dir", dir, "--opt", "bugs=ackBeforeSync");
    expect(r.out).toMatch(/^scenario\s+counter-swarm/m);
    expect(r.out).toMatch(/^outcome\s+seeds\nok\s+\d+\nsafety\s+\d+\nliveness\s+0\ncrash\s+0\nbudget\s+0$/m);
    expect(r.out).toMatch(/^seed\s+kind\s+what\s+report$/m);
    expect(r.out).toContain("replay one with: npx faultline replay");
    expect(r.err).toMatch(/^sweep: 1\/4 seeds/m); // plain progress lines when not on a terminal
  });

  it("usage errors exit 64 with one line naming the problem", async () => {
    const damaged = join(dir, "damaged.json");
    writeFileSync(damaged, JSON.stringify({ format: "faultline-report", formatVersion: 1, scenario: "counter-swarm" }));
    const cases: Array<[string[], RegExp]> = [
      [[], /^$/],
      [["frobnicate"], /unknown command "frobnicate"/],
      [["sweep"], /missing <module>/],
      [["sweep", examples, "--bogus"], /unknown option --bogus \(options: --scenario, --seeds, .*--report-dir.*\)$/],
      [["sweep", examples, "--sede", "3"], /unknown option --sede; did you mean --seeds\?$/],
      [["run", examples, "--sede", "26"], /unknown option --sede; did you mean --seed\?$/],
      [["sweep", examples, "--stop"], /unknown option --stop; did you mean --stop-on-failure\?$/],
      [["sweep", examples, "--seeds", "-5"], /^faultline sweep: --seeds: must be an integer >= 1 \(got -5\)$/],
      [["sweep", examples, "--seeds=-5"], /^faultline sweep: --seeds: must be an integer >= 1 \(got -5\)$/],
      [["sweep", examples, "--from", "-1.5"], /--from: must be an integer >= 0 \(got -1.5\)$/],
      [["run", examples], /--seed is required/],
      [["run", examples, "--seed", "-3"], /--seed: must be an integer >= 0 \(got -3\)$/],
      [["run", examples, "--seed", "1", "--opt", "bugs=nope"], /not a planted bug/],
      [["sweep", "./no-such-module.ts"], /module not found/],
      [["sweep", "@faultline/no-such-package"], /not installed/],
      [["sweep", examples, "--shard", "0/4"], /shard: k must be from 1 to n/],
      [["sweep", examples, "--opt", "nodes"], /--opt expects key=value/],
      [["sweep", examples, "--opt", "colour=red"], /options.colour: is not an option of scenario counter-swarm/],
      [["sweep", examples, "--workers", "-1"], /--workers/],
      [["sweep", examples, "--workers", "lots"], /--workers: must be an integer from 0 to 256 \(got "lots"\)$/],
      [["sweep", examples, "--scenario", "nope"], /no scenario "nope"/],
      [["replay", damaged], /the report is damaged: field seed is missing or malformed/],
      [["replay", join(dir, "absent.json")], /cannot read report/],
      [["determinism", examples], /--seed is required/],
      [["sweep", examples, "--seeds", "2", "--workers", "0", "--opt", "bugs=ackBeforeSync", "--report-dir", join(damaged, "reports")], /ENOTDIR/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(" ")).toBe(64);
      // progress lines may come first; the error is one line, without a stack trace
      const errorLines = r.err.trim().split("\n").filter((l) => !/^sweep: \d+\//.test(l) && l.length > 0);
      expect(errorLines.length, argv.join(" ")).toBeLessThanOrEqual(1);
      expect(errorLines.join(""), argv.join(" ")).toMatch(message);
    }
  });

  it("run prints one seed's outcome, trace hash and report path; its hash is the sweep's for that seed", async () => {
    const r = await cli("run", examples, "--seed", "2", "--opt", "bugs=ackBeforeSync", "--report-dir", dir);
    expect(r.code).toBe(EXIT_CODES.safety);
    expect(r.out).toMatch(/^counter-swarm seed 2: safety \(acknowledged-increments-survive-crashes\)\n/);
    const hash = /trace hash ([0-9a-f]+) at step \d+, [\d.]+ ms/.exec(r.out)?.[1];
    const report = /^ {2}report: (.*)$/m.exec(r.out)?.[1];
    expect(hash).toBeDefined();
    expect(readReportFile(report!).failure.traceHash).toBe(hash);
    expect(r.out).toContain(`replay: npx faultline replay ${JSON.stringify(report)}`);
    const swept = JSON.parse((await cli("sweep", examples, "--from", "2", "--seeds", "1", "--workers", "0", "--opt", "bugs=ackBeforeSync", "--report-dir", dir, "--json")).out);
    expect(readReportFile(swept.failures[0].report).failure.traceHash).toBe(hash);
  });

  it("run of a passing seed exits 0 and writes no report; --json prints one object", async () => {
    const ok = await cli("run", examples, "--seed", "2", "--report-dir", join(dir, "none"));
    expect(ok.code).toBe(EXIT_CODES.ok);
    expect(ok.out).toMatch(/^counter-swarm seed 2: ok\n {2}trace hash [0-9a-f]+ at step \d+/);
    expect(ok.out).toContain("no report (a passing seed writes none)");
    expect(existsSync(join(dir, "none"))).toBe(false);
    const json = await cli("run", examples, "--seed", "3", "--opt", "bugs=noRetry", "--report-dir", dir, "--json");
    expect(json.code).toBe(EXIT_CODES.liveness);
    const out = JSON.parse(json.out);
    expect(Object.keys(out)).toEqual(["scenario", "seed", "kind", "message", "traceHash", "steps", "simulatedMs", "report"]);
    expect(out).toMatchObject({ scenario: "counter-swarm", seed: 3, kind: "liveness" });
    expect(existsSync(out.report)).toBe(true);
  });

  it("--help prints the usage and exits 0", async () => {
    const r = await cli("--help");
    expect(r.code).toBe(0);
    expect(r.out).toContain("faultline <command>");
    expect(r.out).toContain("64 usage error");
  });
});

describe("faultline demo (in process, --packages '': core's own example only)", () => {
  it("sweeps, catches a planted bug, shrinks it and replays the shrunk report bit for bit", async () => {
    const r = await cli("demo", "--seeds", "8", "--workers", "0", "--packages", "", "--report-dir", dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^counter-swarm\s+8\s+8\s+0\s+0\s+0\s+0/m);
    expect(r.out).toContain("Planted bug:");
    expect(r.out).toMatch(/caught: seed \d+ \(\d+ seeds run\), safety/);
    expect(r.out).toMatch(/faults \d+ -> \d+/);
    expect(r.out).toMatch(/^shrunk schedule:\n(\s+\d+ ms\s+\S+.*\n)+/m);
    expect(r.out).toMatch(/replay: npx faultline replay ".*\.shrunk\.json"/);
    expect(r.out).toContain("reproduced bit for bit");
  });
});
