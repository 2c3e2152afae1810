import { ConfigError } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { simulateAsyncReplication, simulateSemiSyncReplication, simulateSyncReplication } from "../../src/primary-backup/closed-forms.js";

describe("the guide's examples, computed by the discrete-event simulation and checked against the closed forms", () => {
  it("synchronous: a write waits for the slowest backup (replicas 3, round trips 10/20/30 ms -> 30 ms)", () => {
    const r = simulateSyncReplication({ replicas: 3, latenciesMs: [10, 20, 30] });
    expect(r.totalLatencyMs).toBe(30);
    expect(r.totalLatencyMs).toBe(r.closedFormMs);
  });

  it("semi-synchronous: a write waits for the k-th fastest backup", () => {
    expect(simulateSemiSyncReplication({ replicas: 3, latenciesMs: [30, 10, 20], acks: 1 }).totalLatencyMs).toBe(10);
    expect(simulateSemiSyncReplication({ replicas: 3, latenciesMs: [30, 10, 20], acks: 2 }).totalLatencyMs).toBe(20);
  });

  it("asynchronous: a backup applying 800/s behind 1000 writes/s trails by 200 * 60 writes after 60 s", () => {
    const r = simulateAsyncReplication({ writeRate: 1000, applyRate: 800, durationSeconds: 60 });
    expect(r.lagMessages).toBe(200 * 60);
    expect(r.lagSeconds).toBeGreaterThan(0);
    expect(r.lagMessages).toBe(r.closedForm.lagMessages);
    expect(r.lagSeconds).toBeCloseTo(r.closedForm.lagSeconds, 6);
  });

  it("asynchronous, other rates and a network delay: the measurement stays within a few writes of the closed form", () => {
    const r = simulateAsyncReplication({ writeRate: 300, applyRate: 120, durationSeconds: 20, latencyMs: 3 });
    expect(Math.abs(r.lagMessages - r.closedForm.lagMessages)).toBeLessThanOrEqual(2);
    expect(Math.abs(r.lagSeconds - r.closedForm.lagSeconds)).toBeLessThan(0.05);
    const keeps = simulateAsyncReplication({ writeRate: 100, applyRate: 200, durationSeconds: 5 });
    expect(keeps.lagMessages).toBeLessThanOrEqual(1);
  });

  it("bad input is a ConfigError naming the field", () => {
    expect(() => simulateSyncReplication({ replicas: 3, latenciesMs: [10, 20] })).toThrow(/latenciesMs/);
    expect(() => simulateAsyncReplication({ writeRate: 0, applyRate: 1, durationSeconds: 1 })).toThrow(ConfigError);
    expect(() => simulateSemiSyncReplication({ replicas: 2, latenciesMs: [1, 2], acks: 3 })).toThrow(/acks/);
  });
});
