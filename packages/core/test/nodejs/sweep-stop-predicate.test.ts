import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { ConfigError, counterSwarm } from "@faultline/core";
import { sweep, type SweepFailure } from "@faultline/core/node";

const examples = fileURLToPath(new URL("../../src/testing/example-scenarios.ts", import.meta.url));
/** Both bugs on: some seeds fail liveness only, others a safety invariant. */
const options = { bugs: ["ackBeforeSync", "noRetry"] };
const isSafety = (f: SweepFailure) => f.kind === "safety";

describe("sweep stopOnFailure with a predicate: stop at the first failure it accepts, sweeping past the others", () => {
  it("reports the lowest safety seed, and every failure below it, in-process and on workers alike", async () => {
    const all = await sweep(counterSwarm, { seeds: 60, workers: 0, options, reportDir: false });
    const firstSafety = all.failures.find(isSafety)!;
    const below = all.failures.filter((f) => f.seed < firstSafety.seed);
    expect(below.length).toBeGreaterThan(0); // the claim needs liveness failures to sweep past
    expect(below.every((f) => f.kind !== "safety")).toBe(true);

    const inProcess = await sweep(counterSwarm, { seeds: 60, workers: 0, options, reportDir: false, stopOnFailure: isSafety });
    expect(inProcess.seeds).toBe(firstSafety.seed);
    expect(inProcess.failures).toEqual([...below, firstSafety]);

    const onWorkers = await sweep({ module: examples, scenario: "counter-swarm" }, { seeds: 1_000_000, workers: 2, options, reportDir: false, stopOnFailure: isSafety });
    expect(onWorkers.failures.find(isSafety)!.seed).toBe(firstSafety.seed);
    expect(onWorkers.failures.filter((f) => f.seed < firstSafety.seed)).toEqual(below);
    expect(onWorkers.seeds).toBeLessThan(1000);
  });

  it("a predicate that accepts no failure runs every seed", async () => {
    const s = await sweep(counterSwarm, { seeds: 8, workers: 0, options, reportDir: false, stopOnFailure: () => false });
    expect(s.seeds).toBe(8);
    expect(s.failures.length).toBeGreaterThan(1);
  });

  it("stopOnFailure that is neither a boolean nor a predicate is a ConfigError", async () => {
    await expect(sweep(counterSwarm, { seeds: 1, workers: 0, reportDir: false, stopOnFailure: "safety" as never })).rejects.toThrow(ConfigError);
    await expect(sweep(counterSwarm, { seeds: 1, workers: 0, reportDir: false, stopOnFailure: "safety" as never })).rejects.toThrow(/stopOnFailure: must be a boolean or a predicate/);
  });
});
