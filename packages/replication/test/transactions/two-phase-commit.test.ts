import type { Fault, WorkloadClient, WorkloadOp } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { atomicity, checkTransactionsOnce } from "../../src/invariants/transactions.js";
import { keysByParticipant } from "../../src/scenarios/transactions/plan.js";
import { txCluster, type TxCluster } from "../../src/transactions/cluster.js";
import type { TxConfig } from "../../src/transactions/config.js";
import type { TxMessage } from "../../src/transactions/messages.js";

const NET = { default: { latency: { kind: "constant" as const, ms: 2 } } };

function cluster(config: TxConfig = {}, clients = 1, jitter = 0.5): TxCluster {
  const c = txCluster({ config, simulation: { seed: 1, network: NET }, clients: Array.from({ length: clients }, () => ({ requestTimeoutMs: 800, opIntervalMs: 5, retry: { maxAttempts: 30, initialDelayMs: 20, maxDelayMs: 400, jitter, retryOn: ["TIMEOUT", "LEADER_NOT_FOUND", "LOCK_TIMEOUT", "ABORTED"] } })) });
  c.sim.addInvariant(atomicity());
  c.sim.run({ untilMs: 1 }); // every node and client has booted
  return c;
}
const client = (c: TxCluster, id = "c1") => c.sim.behavior<WorkloadClient<TxMessage>>(id)!;
const txOverAll = (c: TxCluster, value: string): WorkloadOp => ({ f: "txn", value: keysByParticipant(c.config, 1).map(([k]) => [k!, value]) });
const prepared = (c: TxCluster) => c.config.participants.map((p) => c.participant(p)!.inspect().prepared.length);

describe("two-phase commit", () => {
  it("blocks when the coordinator crashes after PREPARE: participants hold their locks until it recovers, then presumed abort frees them", () => {
    const c = cluster();
    c.sim.inject({ kind: "trigger", node: "tc", on: { send: "tx_prepare" }, then: { kind: "crash", node: "tc" } } as Fault);
    client(c).submit(txOverAll(c, "v1"));
    c.sim.run({ untilMs: 1000 });
    expect(prepared(c), "every participant prepared and is blocked").toEqual([1, 1, 1]);
    expect(c.config.participants.every((p) => c.participant(p)!.inspect().locks.size === 1)).toBe(true);
    expect(c.sim.probes.count("tx.blockedWaitingForDecision")).toBeGreaterThan(0);
    c.sim.inject({ kind: "restart", node: "tc" });
    c.sim.run({ untilMs: 1500 });
    expect(prepared(c)).toEqual([0, 0, 0]);
    expect(c.sim.probes.count("tx.presumedAbort")).toBeGreaterThan(0);
    c.sim.run({ untilMs: 5000 }); // the client retries the transaction, which now commits
    expect(c.sim.history.operations().map((o) => o.type)).toEqual(["ok"]);
    expect(checkTransactionsOnce(c.sim, c.config, c.sim.history).kind).toBe("ok");
  });

  const crashMidDecision = (bugs: TxConfig["bugs"]) => {
    const c = cluster({ bugs });
    // the coordinator crashes right after the first participant is told to commit: the others are not
    c.sim.inject({ kind: "trigger", node: "tc", on: { send: "tx_decision" }, when: "before-reply", then: { kind: "crash", node: "tc" }, endsAfterMs: 300 } as Fault);
    client(c).submit(txOverAll(c, "v1"));
    return { c, outcome: c.sim.run({ untilMs: 3000 }) };
  };

  it("recovers from the coordinator's durable log: the commit decision is resent after the crash and every participant commits", () => {
    const { c, outcome } = crashMidDecision([]);
    expect(outcome.kind, outcome.message).toBe("ok");
    expect(c.sim.probes.count("tx.recoveredDecision")).toBe(1);
    expect(prepared(c)).toEqual([0, 0, 0]);
    for (const p of c.config.participants) expect(c.participant(p)!.inspect().applied).toEqual(["c1:0"]);
  });

  it("a coordinator that does not log its decision (planted bug decisionNotLogged) breaks atomicity on the same crash", () => {
    const { outcome } = crashMidDecision(["decisionNotLogged"]);
    expect(outcome.kind).toBe("safety");
    expect(outcome.invariant).toBe("Atomicity");
  });

  it("a retried request within the dedup window executes once: the coordinator answers it from its record of commits", () => {
    const c = cluster();
    // the commit's reply to the client is lost: the client times out and retries the same request
    c.sim.inject({ kind: "block", from: "tc", to: "c1" });
    client(c).submit(txOverAll(c, "once"));
    c.sim.run({ untilMs: 700 });
    c.sim.inject({ kind: "heal" });
    c.sim.run({ untilMs: 3000 });
    const ops = c.sim.history.operations();
    expect(ops.map((o) => o.type)).toEqual(["ok"]);
    for (const p of c.config.participants) expect(c.participant(p)!.inspect().applied).toEqual(["c1:0"]);
    expect(checkTransactionsOnce(c.sim, c.config, c.sim.history).kind).toBe("ok");
  });

  it("the exactly-once check fires on a request applied twice, and the durability check on a commit never applied", () => {
    const c = cluster();
    client(c).submit(txOverAll(c, "x"));
    c.sim.run({ untilMs: 500 });
    expect(checkTransactionsOnce(c.sim, c.config, c.sim.history).kind).toBe("ok");
    const p1 = c.participant("p1")!.inspect();
    (p1.applied as string[]).push("c1:0");
    expect(checkTransactionsOnce(c.sim, c.config, c.sim.history)).toMatchObject({ kind: "violation", checker: "exactly-once" });
    (p1.applied as string[]).splice(0, p1.applied.length);
    expect(checkTransactionsOnce(c.sim, c.config, c.sim.history)).toMatchObject({ kind: "violation", checker: "Durability" });
  });
});

describe("lock-ordering deadlock, broken by the lock-wait timeout and retries with backoff and jitter", () => {
  const deadlock = (jitter: number) => {
    const c = cluster({ lockWaitTimeoutMs: 50 }, 2, jitter);
    const [[a, warm1], [b, warm2]] = keysByParticipant(c.config, 2);
    // each client first learns where the coordinator is, then both start their transactions at the same instant
    client(c, "c1").submit({ f: "txn", value: [[warm1!, "w"]] });
    client(c, "c2").submit({ f: "txn", value: [[warm2!, "w"]] });
    c.sim.run({ until: () => c.sim.history.operations().filter((o) => o.type === "ok").length === 2, untilMs: 5000 });
    for (let i = 0; i < 5; i++) {
      client(c, "c1").submit({ f: "txn", value: [[a!, `c1-${i}`], [b!, `c1-${i}`]] });
      client(c, "c2").submit({ f: "txn", value: [[b!, `c2-${i}`], [a!, `c2-${i}`]] });
    }
    const outcome = c.sim.run({ untilMs: 30_000 });
    return { c, outcome, types: c.sim.history.operations().slice(2).map((o) => o.type) };
  };

  it("with jitter, every transaction of two clients locking in opposite orders commits, once", () => {
    const { c, outcome, types } = deadlock(0.5);
    expect(outcome.kind, outcome.message).toBe("ok");
    expect(types).toEqual(Array(10).fill("ok"));
    expect(c.sim.probes.count("tx.lockWaitTimedOut")).toBeGreaterThan(0);
    expect(checkTransactionsOnce(c.sim, c.config, c.sim.history).kind).toBe("ok");
  });

  it("without jitter, on a network of constant latency, the two clients back off in lockstep and deadlock again and again", () => {
    const { types } = deadlock(0);
    expect(types.filter((t) => t !== "ok").length).toBeGreaterThan(0);
  });
});
