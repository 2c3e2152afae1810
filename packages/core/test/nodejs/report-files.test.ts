import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { counterSwarm, defineScenario, makeReport, replay, REPORT_FORMAT_VERSION, ReportError, runScenario } from "@faultline/core";
import { readReportFile, writeReportAt, writeReportFile } from "@faultline/core/node";

const dir = mkdtempSync(join(tmpdir(), "faultline-reports-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function failingReport() {
  for (let seed = 1; seed < 40; seed++) {
    const r = runScenario(counterSwarm, { seed, options: { bugs: ["ackBeforeSync"] } });
    if (r.outcome.kind !== "ok") return makeReport(r, "mod.ts");
  }
  throw new Error("no failure");
}

/** A scenario whose build counts calls, to prove a refused report never runs. */
function countingScenario() {
  const counter = { builds: 0 };
  const scenario = defineScenario({ ...counterSwarm, build: (seed, options) => (counter.builds++, counterSwarm.build(seed, options)) });
  return { scenario, counter };
}

describe("failure report files", () => {
  const report = failingReport();

  it("are written atomically: no temporary file is left, and the file names scenario, seed and kind", () => {
    const path = writeReportFile(report, dir);
    expect(path).toMatch(/counter-swarm-seed-\d+-safety\.json$/);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const back = readReportFile(path);
    expect(back.failure.traceHash).toBe(report.failure.traceHash);
    expect(back.replayCommand).toMatch(/^npx faultline replay /);
  });

  it("a written report replays to the same trace hash", () => {
    const back = readReportFile(writeReportFile(report, dir));
    const r = replay(back, counterSwarm);
    expect(r.reproduced).toBe(true);
    expect(r.outcome.traceHash).toBe(report.failure.traceHash);
  });

  it("a report from a newer format version is refused with a clear error, before anything runs", () => {
    const path = writeReportAt(join(dir, "newer.json"), { ...report, formatVersion: REPORT_FORMAT_VERSION + 1 });
    const { scenario, counter } = countingScenario();
    expect(() => replay(readFileSync(path, "utf8"), scenario)).toThrow(/newer than this Faultline reads/);
    expect(() => readReportFile(path)).toThrow(ReportError);
    expect(counter.builds).toBe(0);
  });

  it("a truncated or corrupted report is refused, never half-run", () => {
    const text = readFileSync(writeReportFile(report, dir), "utf8");
    const truncated = join(dir, "truncated.json");
    writeFileSync(truncated, text.slice(0, text.length / 2));
    expect(() => readReportFile(truncated)).toThrow(/not valid JSON/);
    const damaged = JSON.parse(text);
    damaged.failure.traceHash = "zz";
    const { scenario, counter } = countingScenario();
    expect(() => replay(damaged, scenario)).toThrow(/failure.traceHash/);
    expect(counter.builds).toBe(0);
    expect(() => readReportFile(join(dir, "missing.json"))).toThrow(/cannot read report/);
  });
});
