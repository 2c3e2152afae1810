import type { Fault } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { primaryBackupInvariants } from "../../src/invariants/primary-backup.js";
import { primaryBackupCluster, type PrimaryBackupCluster } from "../../src/primary-backup/cluster.js";
import type { PrimaryBackupConfig } from "../../src/primary-backup/config.js";
import { recordPrimaryBackup } from "../../src/primary-backup/measure.js";

const NET = { default: { latency: { kind: "constant" as const, ms: 2 } } };

function cluster(config: Omit<PrimaryBackupConfig, "replicas">, seed = 1): PrimaryBackupCluster {
  const c = primaryBackupCluster({ replicas: 3, config, simulation: { seed, network: NET } });
  for (const inv of primaryBackupInvariants(c.replicas, c.config.zeroRpo)) c.sim.addInvariant(inv);
  return c;
}

const put = (value: number) => ({ f: "put" as const, key: "x", value });
const primaryOf = (c: PrimaryBackupCluster, id: string) => c.replica(id)?.inspect().primaryOf ?? null;
const runFor = (c: PrimaryBackupCluster, ms: number) => c.sim.run({ untilMs: c.sim.nowUs / 1000 + ms });
const inject = (c: PrimaryBackupCluster, ...faults: Fault[]) => faults.forEach((f) => c.sim.inject(f));

/**
 * The old primary n1 is cut off from the cluster (clients still reach it) and keeps accepting writes; the
 * monitor fails over to a new primary; then n1 can reach one backup but neither the monitor nor the new
 * primary (one-way blocks), so only the backups' fencing can stop it.
 */
function cutOffOldPrimary(c: PrimaryBackupCluster): { newPrimary: string } {
  runFor(c, 100);
  expect(c.propose("n1", put(1)).accepted).toBe(true);
  runFor(c, 50);
  inject(c, { kind: "disconnect", node: "n1" });
  for (const v of [2, 3]) expect(c.propose("n1", put(v)).accepted, "the cut-off primary keeps accepting writes").toBe(true);
  c.sim.run({ until: () => primaryOf(c, "n2") !== null || primaryOf(c, "n3") !== null, untilMs: 2000 });
  const newPrimary = primaryOf(c, "n2") !== null ? "n2" : "n3";
  const other = newPrimary === "n2" ? "n3" : "n2";
  expect(primaryOf(c, "n1"), "n1 still believes it is primary").toBe(1);
  inject(c, { kind: "connect", node: "n1" }, ...(["monitor", newPrimary] as const).flatMap((x): Fault[] => [{ kind: "block", from: x, to: "n1" }, { kind: "block", from: "n1", to: x }]));
  expect(other).not.toBe(newPrimary);
  return { newPrimary };
}

describe("failover with epoch fencing", () => {
  it("semi-sync: the old primary's appends are refused by the backup that promised the new epoch; it steps down, and nothing acknowledged is lost", () => {
    const c = cluster({ mode: "semi-sync", acks: 1 });
    const { newPrimary } = cutOffOldPrimary(c);
    const outcome = runFor(c, 500);
    expect(outcome.kind, outcome.message).toBe("ok"); // the invariants ran every step: nothing acknowledged was lost
    expect(primaryOf(c, "n1"), "fenced off, n1 stepped down").toBeNull();
    expect(c.sim.probes.count("pb.staleAppendReceived")).toBeGreaterThan(0);
    // the writes n1 took while cut off were never acknowledged, and the new primary's log has none of them
    expect(c.replica(newPrimary)!.inspect().log.map((e) => e.requestId)).not.toContain("propose:2");
  });

  it("semi-sync without fencing (the planted bug missingFencing): the old primary gets acknowledgements and split brain is detected", () => {
    const c = cluster({ mode: "semi-sync", acks: 1, bugs: ["missingFencing"] });
    cutOffOldPrimary(c);
    const outcome = runFor(c, 500);
    expect(outcome.kind).toBe("safety");
    expect(["NoSplitBrain", "AcknowledgedWritesSurvive"]).toContain(outcome.invariant);
  });

  it("sync: with a backup down, writes wait (the price of RPO zero), and go through once it is back", () => {
    const c = cluster({ mode: "sync" });
    runFor(c, 100);
    inject(c, { kind: "crash", node: "n3" });
    const r = c.propose("n1", put(7));
    expect(r.accepted).toBe(true);
    runFor(c, 300);
    expect(c.replica("n1")!.inspect().commitIndex).toBeLessThan(r.accepted ? r.index : 0);
    inject(c, { kind: "restart", node: "n3" });
    c.sim.run({ until: () => c.replica("n1")!.inspect().commitIndex >= (r.accepted ? r.index : 0), untilMs: 2000 });
    expect(c.replica("n1")!.inspect().commitIndex).toBeGreaterThanOrEqual(r.accepted ? r.index : 0);
  });

  it("async: the cut-off primary acknowledges writes the failover loses; the measurement reports them (RPO > 0)", () => {
    const c = primaryBackupCluster({ replicas: 3, config: { mode: "async" }, simulation: { seed: 1, network: NET } });
    const recorder = recordPrimaryBackup(c.sim, c.replicas);
    runFor(c, 100);
    inject(c, { kind: "disconnect", node: "n1" });
    for (let v = 0; v < 5; v++) c.propose("n1", put(v));
    c.sim.run({ until: () => primaryOf(c, "n2") !== null || primaryOf(c, "n3") !== null, untilMs: 2000 });
    inject(c, { kind: "connect", node: "n1" });
    runFor(c, 500);
    expect(primaryOf(c, "n1")).toBeNull();
    const m = recorder.measure(c.sim.nowUs / 1000);
    expect(m.lostWrites).toBe(5);
    expect(m.rpoMs).toBeGreaterThan(0);
    expect(m.failovers).toBe(1);
    expect(c.sim.probes.count("pb.backupTruncatedSuffix") + c.sim.probes.count("pb.appliedEntryRolledBack")).toBeGreaterThan(0);
  });
});

describe("the kit's test-facing API and the metrics", () => {
  it("a new primary reports a follower's lag only once it heard from it (not the age of its whole log)", () => {
    const c = primaryBackupCluster({ replicas: 3, config: { mode: "semi-sync", acks: 1 }, simulation: { seed: 1, network: NET } });
    let worst = 0;
    c.sim.on("step", () => {
      const p = c.primaries().find((id) => id !== "n1");
      const follower = p === "n2" ? "n3" : p === "n3" ? "n2" : undefined;
      if (follower !== undefined) worst = Math.max(worst, c.sim.metrics.value("replication_lag_seconds", { follower_id: follower }));
    });
    runFor(c, 1000);
    for (let v = 0; v < 20; v++) c.propose("n1", put(v));
    runFor(c, 100);
    c.sim.inject({ kind: "crash", node: "n1" });
    c.sim.run({ until: () => c.primaries().length === 1, untilMs: 3000 });
    runFor(c, 200);
    expect(c.primaries()).toHaveLength(1);
    expect(worst, "the connected follower never trailed by more than a heartbeat or two").toBeLessThan(0.2);
  });

  it("propose lands on the primary, a backup refuses with a hint; applied and persisted bytes are the cluster's record", () => {
    const c = primaryBackupCluster({ replicas: 3, simulation: { seed: 2, network: NET } });
    runFor(c, 50);
    expect(c.propose("n2", put(1))).toEqual({ accepted: false, code: "NOT_LEADER", leaderHint: "n1" });
    const r = c.propose("n1", put(1));
    expect(r).toMatchObject({ accepted: true, term: 1 });
    runFor(c, 100);
    for (const id of c.replicas) expect(c.applied(id).map((a) => a.command.op.f)).toEqual(["noop", "put"]);
    expect(c.persistedBytes("n2")).toBeGreaterThan(0);
    expect(c.sim.metrics.histogram("consensus_latency_seconds", { operation_type: "put" })?.count).toBe(1);
    expect(c.sim.metrics.value("replication_lag_seconds", { follower_id: "n2" })).toBe(0);
    expect(c.sim.messages.sent("n1", "pb_append")).toBeGreaterThan(0);
  });

  it("bad options are a ConfigError naming the field", () => {
    expect(() => primaryBackupCluster({ replicas: 3, config: { mode: "semi-sync", acks: 3 }, simulation: { seed: 1 } })).toThrow(/primaryBackup.acks/);
    expect(() => primaryBackupCluster({ replicas: 3, config: { mode: "fast" as never }, simulation: { seed: 1 } })).toThrow(/primaryBackup.mode/);
    expect(() => primaryBackupCluster({ replicas: 1, simulation: { seed: 1 } })).toThrow(/replicas/);
  });
});
