import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { ConfigError, defineScenario, ProbeTally } from "@faultline/core";
import { EXIT_CODES, runCli, sweep } from "@faultline/core/node";
import { gossip, gossipBlind } from "../fixtures/gossip.js";

const fixture = fileURLToPath(new URL("../fixtures/gossip.ts", import.meta.url));
const root = fileURLToPath(new URL("../../../..", import.meta.url));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false, cwd: root });
  return { code, out, err };
}

describe("probe coverage over many runs (ProbeTally)", () => {
  const runs: Array<Record<string, number> | undefined> = [{ a: 2, b: 1 }, {}, { a: 5 }, { c: 1 }, undefined];

  it("sums hits, counts the seeds that hit each probe, and lists declared probes never hit (required ones apart)", () => {
    const tally = new ProbeTally({ id: "t", probes: { a: { description: "A" }, d: { description: "D", required: true }, e: { description: "E" } } });
    for (const hits of runs) tally.add(hits);
    expect(tally.coverage()).toEqual({
      probes: { a: { hits: 7, seeds: 2 }, b: { hits: 1, seeds: 1 }, c: { hits: 1, seeds: 1 }, d: { hits: 0, seeds: 0 }, e: { hits: 0, seeds: 0 } },
      neverHit: ["d", "e"],
      requiredNeverHit: ["d"],
    });
  });

  it("gives the same coverage whatever order the runs arrive in (as workers deliver them)", () => {
    const forward = new ProbeTally({ id: "t" });
    const backward = new ProbeTally({ id: "t" });
    for (const hits of runs) forward.add(hits);
    for (const hits of [...runs].reverse()) backward.add(hits);
    expect(JSON.stringify(backward.coverage())).toBe(JSON.stringify(forward.coverage()));
  });

  it("refuses malformed declarations with a ConfigError naming the probe and the rule", () => {
    const bad = (probes: unknown) => () => new ProbeTally({ id: "s", probes: probes as never });
    expect(bad({ p: { description: 3 } })).toThrow(new ConfigError("scenario s.probes.p.description", "must be a string", 3));
    expect(bad({ p: { description: "x", required: "yes" } })).toThrow("scenario s.probes.p.required: must be true or false");
    expect(bad({ p: null })).toThrow("scenario s.probes.p: must be { description, required? }");
    expect(bad([])).toThrow(/^scenario s\.probes: must be an object/);
  });
});

describe("sweep probe coverage", () => {
  it("is identical in-process and on worker threads, and every seed's hits travel with its result", async () => {
    const opts = { seeds: 12, from: 1, reportDir: false as const, collectResults: true, options: { bugs: ["countDuplicates"] } };
    const inProcess = await sweep(gossip, { ...opts, workers: 0 });
    const onWorkers = await sweep({ module: fixture, scenario: "gossip" }, { ...opts, workers: 2 });
    expect(onWorkers.results).toEqual(inProcess.results);
    expect(onWorkers.probes).toEqual(inProcess.probes);
    expect(onWorkers.neverHit).toEqual(inProcess.neverHit);
    expect(inProcess.probes["gossip.received"]!.seeds).toBe(12);
    // only the seeds whose run enables and fires gossip.resend see a retransmitted ping
    const dup = inProcess.probes["gossip.duplicateSeen"]!;
    expect(dup.seeds).toBeGreaterThan(0);
    expect(dup.seeds).toBeLessThan(12);
    expect(dup.seeds).toBe(inProcess.results!.filter((r) => (r.probes?.["gossip.duplicateSeen"] ?? 0) > 0).length);
    expect(inProcess.neverHit).toEqual([]);
    expect(inProcess.requiredNeverHit).toEqual([]);
  });

  it("lists the declared probes no seed hit, and the required ones among them", async () => {
    const s = await sweep(gossipBlind, { seeds: 5, workers: 0, reportDir: false });
    expect(s.neverHit).toEqual(["gossip.alsoNeverReached", "gossip.neverReached"]);
    expect(s.requiredNeverHit).toEqual(["gossip.neverReached"]);
    expect(s.probes["gossip.neverReached"]).toEqual({ hits: 0, seeds: 0 });
  });

  it("refuses a scenario with malformed probe declarations before running a seed", async () => {
    const broken = defineScenario({ ...gossip, id: "broken", probes: { p: { description: undefined as unknown as string } } });
    await expect(sweep(broken, { seeds: 2, workers: 0, reportDir: false })).rejects.toThrow("scenario broken.probes.p.description: must be a string");
  });
});

describe("faultline sweep and list show probes", () => {
  it("the summary has a probes section; a required probe never hit is marked", async () => {
    const r = await cli("sweep", fixture, "--scenario", "gossip-blind", "--seeds", "3", "--workers", "0");
    expect(r.code).toBe(EXIT_CODES.ok);
    expect(r.out).toMatch(/^probes:\nprobe\s+hits\s+seeds\n/m);
    expect(r.out).toMatch(/^gossip\.received\s+\d+\s+3$/m);
    expect(r.out).toMatch(/^gossip\.neverReached\s+0\s+0\s+REQUIRED, never hit$/m);
    expect(r.out).toMatch(/^gossip\.alsoNeverReached\s+0\s+0\s+never hit$/m);
    expect(r.out).toContain("never hit: gossip.alsoNeverReached\n");
    expect(r.out).toContain("REQUIRED probe never hit: gossip.neverReached\n");
  });

  it("--json carries probes, neverHit and requiredNeverHit", async () => {
    const r = await cli("sweep", fixture, "--scenario", "gossip-blind", "--seeds", "3", "--workers", "0", "--json");
    const json = JSON.parse(r.out);
    expect(json.probes["gossip.received"].seeds).toBe(3);
    expect(json.probes["gossip.neverReached"]).toEqual({ hits: 0, seeds: 0 });
    expect(json.neverHit).toEqual(["gossip.alsoNeverReached", "gossip.neverReached"]);
    expect(json.requiredNeverHit).toEqual(["gossip.neverReached"]);
  });

  it("--require-probes exits 6 when a required probe was never hit, 0 when all were, and a failure's code comes first", async () => {
    const blind = await cli("sweep", fixture, "--scenario", "gossip-blind", "--seeds", "2", "--workers", "0", "--json", "--require-probes");
    expect(blind.code).toBe(EXIT_CODES.requiredProbeNeverHit);
    expect(EXIT_CODES.requiredProbeNeverHit).toBe(6);
    const covered = await cli("sweep", fixture, "--scenario", "gossip", "--seeds", "2", "--workers", "0", "--json", "--require-probes");
    expect(covered.code).toBe(EXIT_CODES.ok);
    const failing = await cli("sweep", fixture, "--scenario", "gossip-blind", "--seeds", "8", "--workers", "0", "--json", "--require-probes", "--opt", "bugs=countDuplicates", "--report-dir", "/tmp/faultline-probe-sweep-reports");
    expect(failing.code).toBe(EXIT_CODES.safety);
  });

  it("a scenario that declares no probe and hits none prints no probes section", async () => {
    const examples = fileURLToPath(new URL("../../src/testing/example-scenarios.ts", import.meta.url));
    const r = await cli("sweep", examples, "--seeds", "2", "--workers", "0");
    expect(r.out).not.toContain("probes:");
  });

  it("faultline list shows each scenario's declared probes (text and JSON)", async () => {
    const text = await cli("list", fixture);
    expect(text.out).toMatch(/^ {4}probe gossip\.neverReached\s+required\s+a state this protocol never reaches$/m);
    expect(text.out).toMatch(/^ {4}probe gossip\.duplicateSeen\s+a node deduplicated a retransmitted ping$/m);
    const json = JSON.parse((await cli("list", fixture, "--json")).out);
    expect(json[1].probes["gossip.neverReached"]).toEqual({ description: "a state this protocol never reaches", required: true });
  });
});
