import { ConfigError } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { DEFAULT_PAXOS_CONFIG, createPaxosNode, paxosCluster, resolvePaxosConfig } from "../../src/index.js";

describe("node options", () => {
  it("fills every default in one place", () => {
    const r = resolvePaxosConfig();
    expect(r).toMatchObject(DEFAULT_PAXOS_CONFIG);
    expect([...r.bugs]).toEqual([]);
  });

  it.each([
    [{ electionTimeoutMsMin: 0 }, "paxos.electionTimeoutMsMin"],
    [{ electionTimeoutMsMin: 300, electionTimeoutMsMax: 300 }, "paxos.electionTimeoutMsMax"],
    [{ heartbeatMs: 150 }, "paxos.heartbeatMs"],
    [{ windowSlots: 0 }, "paxos.windowSlots"],
    [{ windowSlots: 1.5 }, "paxos.windowSlots"],
    [{ backoffMsMax: 100 }, "paxos.backoffMsMax"],
    [{ snapshotThresholdSlots: 0 }, "paxos.snapshotThresholdSlots"],
    [{ maxClockDriftPpm: 100_000 }, "paxos.maxClockDriftPpm"],
    [{ leaseReads: "yes" }, "paxos.leaseReads"],
    [{ bugs: ["noSuchBug"] }, "paxos.bugs"],
    [{ bugs: "noGapFilling" }, "paxos.bugs"],
  ])("rejects %o with a ConfigError naming %s", (config, field) => {
    expect(() => resolvePaxosConfig(config as never)).toThrow(ConfigError);
    expect(() => resolvePaxosConfig(config as never)).toThrow(field);
    expect(() => createPaxosNode(config as never)).toThrow(field);
  });

  it("the cluster helper checks its node count and the node ids it is asked about", () => {
    expect(() => paxosCluster({ nodes: 0, simulation: { seed: 1 } })).toThrow("nodes");
    const c = paxosCluster({ nodes: 3, simulation: { seed: 1 } });
    expect(() => c.propose("n9", { f: "put", key: "k", value: 1 })).toThrow("propose.node");
    expect(() => c.applied("n9")).toThrow("applied.node");
  });
});
