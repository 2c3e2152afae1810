import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cliIn } from "./run-cli.js";

const examples = fileURLToPath(new URL("../../src/testing/example-scenarios.ts", import.meta.url));
const root = fileURLToPath(new URL("../../../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "faultline-one-hash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...argv: string[]) => cliIn(root, ...argv);

describe("one trace hash for a seed, whichever command shows it", () => {
  it("faultline determinism prints the hash the sweep's report recorded for the seed", async () => {
    const swept = await cli("sweep", examples, "--seeds", "4", "--workers", "0", "--opt", "bugs=ackBeforeSync", "--report-dir", dir, "--json");
    const failure = JSON.parse(swept.out).failures[0] as { seed: number; report: string };
    const report = JSON.parse(readFileSync(failure.report, "utf8"));
    expect(report.trace).toMatchObject({ hashPayloads: false });
    const det = await cli("determinism", examples, "--scenario", "counter-swarm", "--seed", String(failure.seed), "--opt", "bugs=ackBeforeSync", "--json");
    expect(det.code).toBe(0);
    expect(JSON.parse(det.out).hashes).toEqual([report.failure.traceHash, report.failure.traceHash]);
    const human = await cli("determinism", examples, "--scenario", "counter-swarm", "--seed", String(failure.seed), "--opt", "bugs=ackBeforeSync");
    expect(human.out).toContain(`(trace hash ${report.failure.traceHash})`);
  });

  it("a report whose trace tail no longer matches replays as NOT reproduced (exit 5), saying what differs", async () => {
    const swept = await cli("sweep", examples, "--seeds", "4", "--workers", "0", "--opt", "bugs=ackBeforeSync", "--report-dir", dir, "--json");
    const path = JSON.parse(swept.out).failures[0].report as string;
    const report = JSON.parse(readFileSync(path, "utf8"));
    const edited = report.failure.traceTail.findLastIndex((e: { data?: unknown }) => e.data !== undefined);
    expect(edited).toBeGreaterThanOrEqual(0);
    report.failure.traceTail[edited].data = { edited: true }; // as if the protocol's payload had changed
    const changed = join(dir, "changed-payload.json");
    writeFileSync(changed, JSON.stringify(report));
    const r = await cli("replay", changed);
    expect(r.code).toBe(5);
    expect(r.out).toMatch(/NOT reproduced: the trace tail differs at step \d+/);
  });
});
