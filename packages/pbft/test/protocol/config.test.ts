import { ConfigError } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { clusterShape, resolvePbftConfig } from "../../src/config.js";
import { pbftCluster } from "../../src/cluster.js";

describe("PBFT configuration", () => {
  it("refuses fewer than 3f+1 replicas with core's message", () => {
    expect(() => clusterShape(3)).toThrow(/Byzantine tolerance requires 3f\+1 nodes/);
    expect(() => clusterShape(6, 2)).toThrow(/Byzantine tolerance requires 3f\+1 nodes/);
    expect(() => pbftCluster({ nodes: 3, simulation: { seed: 1 } })).toThrow(ConfigError);
  });

  it("sizes the quorums: n = 3f+1 gives 2f+1; f defaults to floor((n-1)/3)", () => {
    expect(clusterShape(4)).toEqual({ n: 4, f: 1, quorum: 3 });
    expect(clusterShape(7)).toEqual({ n: 7, f: 2, quorum: 5 });
    expect(clusterShape(10)).toEqual({ n: 10, f: 3, quorum: 7 });
    expect(clusterShape(5, 1).quorum).toBe(4); // n > 3f+1: ceil((n+f+1)/2), so two quorums share a correct replica
  });

  it("fills defaults (L = 2K) and names the field and rule of a bad option", () => {
    const c = resolvePbftConfig({ checkpointInterval: 5 });
    expect([c.checkpointInterval, c.watermarkWindow, c.viewChangeTimeoutMs]).toEqual([5, 10, 300]);
    expect(() => resolvePbftConfig({ checkpointInterval: 0 })).toThrow(/pbft.checkpointInterval: must be an integer from 1/);
    expect(() => resolvePbftConfig({ checkpointInterval: 8, watermarkWindow: 4 })).toThrow(/pbft.watermarkWindow/);
    expect(() => resolvePbftConfig({ viewChangeTimeoutMs: 500, maxViewChangeTimeoutMs: 100 })).toThrow(/maxViewChangeTimeoutMs: must be at least/);
    expect(() => resolvePbftConfig({ bugs: ["nope" as never] })).toThrow(/pbft.bugs: must name planted bugs/);
  });
});
