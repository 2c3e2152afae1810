import { SimulatedStorage } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { LogStore } from "../../src/log/log-store.js";
import { RaftLog, isUpToDate, makeEntry } from "../../src/log/raft-log.js";
import { applyConfigOp, isQuorum, votersAt } from "../../src/node/membership.js";
import { Progress } from "../../src/node/progress.js";

function logOf(terms: number[]): RaftLog {
  const log = new RaftLog();
  log.append(terms.map((t, i) => makeEntry(i + 1, t, { kind: "noop" }, 0)));
  return log;
}

describe("RaftLog", () => {
  it("finds the first index of a term run and the last index of a term (fast backtracking)", () => {
    const log = logOf([1, 1, 2, 2, 2, 4, 4]);
    expect(log.firstIndexOfTerm(5, 2)).toBe(3);
    expect(log.lastIndexOfTerm(2)).toBe(5);
    expect(log.lastIndexOfTerm(3)).toBe(0);
  });

  it("replaces its entries array on truncation and compaction, so an observer's old array stays intact", () => {
    const log = logOf([1, 1, 2, 2]);
    const before = log.entries;
    log.truncateAfter(2);
    expect(before.length).toBe(4);
    log.compactTo(1, 1);
    expect(log.entries.map((e) => e.index)).toEqual([2]);
    expect(log.term(1)).toBe(1);
    expect(log.term(0)).toBeUndefined();
  });

  it("applies the up-to-date rule: a later last term wins, then a longer log (§5.4.1)", () => {
    const log = logOf([1, 2, 2]);
    expect(isUpToDate(1, 3, log)).toBe(true);
    expect(isUpToDate(3, 2, log)).toBe(true);
    expect(isUpToDate(2, 2, log)).toBe(false);
    expect(isUpToDate(9, 1, log)).toBe(false);
  });
});

describe("LogStore", () => {
  it("recovers term, vote, snapshot and the log generation after it; unsynced writes are gone after a crash", () => {
    const disk = new SimulatedStorage();
    const store = new LogStore(disk);
    store.saveHardState({ term: 3, votedFor: "n2" });
    const entries = [1, 2, 3, 4].map((i) => makeEntry(i, 1, { kind: "noop" }, 0));
    store.appendEntries(entries);
    store.sync();
    store.saveSnapshot({ index: 2, term: 1, voters: ["n1"], state: { data: [], dedup: [] } }, entries.slice(2));
    store.sync();
    store.appendEntries([makeEntry(5, 3, { kind: "noop" }, 0)]); // not synced
    disk.crash();
    const r = new LogStore(disk).recover();
    expect(r.hard).toEqual({ term: 3, votedFor: "n2" });
    expect(r.log.snapshotIndex).toBe(2);
    expect(r.log.entries.map((e) => e.index)).toEqual([3, 4]);
  });
});

describe("membership arithmetic", () => {
  it("adds and removes one voter at a time and counts quorums over the configuration", () => {
    expect(applyConfigOp(["n1", "n2"], { f: "add_voter", node: "n3" })).toEqual(["n1", "n2", "n3"]);
    expect(applyConfigOp(["n1", "n2"], { f: "add_voter", node: "n2" })).toBeUndefined();
    expect(applyConfigOp(["n1", "n2"], { f: "remove_voter", node: "n1" })).toEqual(["n2"]);
    expect(isQuorum(["n1", "n2", "n3", "n4"], new Set(["n1", "n2"]))).toBe(false);
    expect(isQuorum(["n1", "n2", "n3", "n4"], new Set(["n1", "n2", "n4", "n9"]))).toBe(true);
    const log = new RaftLog();
    log.append([makeEntry(1, 1, { kind: "config", voters: ["a", "b"] }, 0), makeEntry(2, 1, { kind: "noop" }, 0)]);
    expect(votersAt(log, undefined, ["x"], 2)).toEqual(["a", "b"]);
    expect(votersAt(log, undefined, ["x"], 0)).toEqual(["x"]);
  });
});

describe("Progress", () => {
  it("ignores stale rejections and never moves nextIndex to or below matchIndex", () => {
    const pr = new Progress("n2", 10);
    pr.maybeUpdate(8);
    pr.becomeReplicate();
    pr.sent(12, 3);
    expect(pr.maybeDecrTo(7, 1)).toBe(false); // an old append's rejection, overtaken
    expect(pr.maybeDecrTo(11, 5)).toBe(true);
    expect(pr.state).toBe("probe");
    expect(pr.nextIndex).toBe(9);
  });

  it("bounds the in-flight window in replicate state", () => {
    const pr = new Progress("n2", 0);
    pr.becomeReplicate();
    for (let i = 1; i <= 3; i++) pr.sent(i, 1);
    expect(pr.isPaused(3)).toBe(true);
    pr.maybeUpdate(2);
    expect(pr.isPaused(3)).toBe(false);
  });
});
