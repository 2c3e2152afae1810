import { defineScenario, type SwarmFaultFamily } from "@faultline/core";
import { TX_PROBES } from "../../exploration.js";
import { acceptedBugs, type ReplicationScenarioOptions } from "../common.js";
import { TX_PARAMETERS, keysByParticipant, txOptionDocs, txPlan } from "./plan.js";

const TX_FAMILIES: readonly SwarmFaultFamily[] = ["crash", "pause", "partition", "isolate", "block", "loss", "latency", "duplicate", "storage-lose", "disconnect", "trigger-send", "trigger-probe", "flap"];

/**
 * two-phase-commit: transactions over two or three participants, keys locked in one global order (so no
 * deadlock), under crashes (the coordinator's too, right after sending a message: a targeted nemesis),
 * partitions and lossy links.
 */
export const twoPhaseCommit = defineScenario<ReplicationScenarioOptions>({
  id: "two-phase-commit",
  description: "two-phase commit (presumed abort) across three participants under crashes (incl. the coordinator right after it sends), partitions and loss: atomicity, exactly-once, no transaction stuck after healing",
  bugs: acceptedBugs("decisionNotLogged"),
  parameters: TX_PARAMETERS,
  probes: { ...TX_PROBES, "tx.recoveredPrepared": { ...TX_PROBES["tx.recoveredPrepared"], required: true } },
  options: txOptionDocs(3),
  build: (seed, options) => txPlan(seed, options, {
    durationMs: 5000, faultWindowMs: 4000, families: TX_FAMILIES,
    workload: (config, client) => {
      const keys = keysByParticipant(config, 2).flat().sort();
      return (random, n) => {
        // two or three keys in the global (sorted) order: ordered locking never deadlocks
        const picked = keys.filter(() => random() < 0.45).slice(0, 3);
        const chosen = picked.length >= 2 ? picked : [keys[0]!, keys[keys.length - 1]!];
        return { f: "txn", value: chosen.map((k) => [k, `c${client}-${n}`]) };
      };
    },
  }, 3),
});

/**
 * deadlock-retry: two clients lock the same two keys in opposite orders, so their transactions deadlock; a lock
 * request that waits past its timeout is refused, the transaction aborts, and the client retries with
 * exponential backoff and jitter until one of them wins.
 */
export const deadlockRetry = defineScenario<ReplicationScenarioOptions>({
  id: "deadlock-retry",
  description: "lock-order deadlocks between clients locking two keys in opposite orders, broken by the lock-wait timeout and retried with backoff and jitter (core's RetryPolicy): every transaction commits once, atomically",
  bugs: acceptedBugs(),
  parameters: TX_PARAMETERS,
  probes: { ...TX_PROBES, "tx.abortedOnLockTimeout": { ...TX_PROBES["tx.abortedOnLockTimeout"], required: true } },
  options: txOptionDocs(2),
  build: (seed, options) => txPlan(seed, options, {
    durationMs: 4000, faultWindowMs: 3000, families: ["crash", "pause", "loss", "latency", "duplicate", "partition"],
    workload: (config, client) => {
      const [a, b] = keysByParticipant(config, 1).map(([k]) => k!);
      // odd clients lock a then b, even ones b then a: the classic lock-ordering deadlock
      const order = client % 2 === 1 ? [a!, b!] : [b!, a!];
      return (_random, n) => ({ f: "txn", value: order.map((k) => [k, `c${client}-${n}`]) });
    },
  }, 2),
});
