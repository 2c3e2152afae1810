import { ConfigError } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { DEFAULT_RAFT_CONFIG, RaftClient, kvWorkload, resolveRaftConfig } from "../../src/index.js";

describe("RaftConfig", () => {
  it("fills the documented defaults", () => {
    const c = resolveRaftConfig();
    expect(c).toMatchObject({ electionTimeoutMsMin: 150, electionTimeoutMsMax: 300, heartbeatMs: 50, preVote: true, checkQuorum: true, leaseReads: false });
    expect(c.bugs.size).toBe(0);
    expect(DEFAULT_RAFT_CONFIG.snapshotThresholdEntries).toBe(1000);
  });

  it.each([
    [{ electionTimeoutMsMin: 0 }, "raft.electionTimeoutMsMin"],
    [{ electionTimeoutMsMin: 300, electionTimeoutMsMax: 200 }, "raft.electionTimeoutMsMax"],
    [{ heartbeatMs: 200 }, "raft.heartbeatMs"],
    [{ maxEntriesPerAppend: 0 }, "raft.maxEntriesPerAppend"],
    [{ maxInflightAppends: 1.5 }, "raft.maxInflightAppends"],
    [{ snapshotThresholdEntries: -1 }, "raft.snapshotThresholdEntries"],
    [{ preVote: "yes" }, "raft.preVote"],
    [{ leaseReads: true, checkQuorum: false }, "raft.leaseReads"],
    [{ maxClockDriftPpm: -1 }, "raft.maxClockDriftPpm"],
    [{ voters: [] }, "raft.voters"],
    [{ voters: ["n1", "n1"] }, "raft.voters"],
    [{ bugs: ["noSuchBug"] }, "raft.bugs"],
  ])("rejects %j with a ConfigError naming %s", (bad, field) => {
    let error: unknown;
    try {
      resolveRaftConfig(bad as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe(field);
  });

  it("rejects bad client and workload options with a ConfigError", () => {
    expect(() => new RaftClient({} as never)).toThrow(ConfigError);
    expect(() => new RaftClient({ history: {} as never, requestTimeoutMs: -1 })).toThrow(/workloadClient.requestTimeoutMs/);
    expect(() => kvWorkload({ readRatio: 2 })).toThrow(/workload.readRatio/);
  });
});
