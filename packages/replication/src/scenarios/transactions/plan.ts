import {
  WorkloadClient, drawParameters, type LivenessSpec, type ParameterDocs, type ScenarioOptionDoc, type ScenarioPlan, type Seed, type SwarmFaultFamily, type WorkloadOp,
} from "@faultline/core";
import { atomicity, checkTransactionsOnce } from "../../invariants/transactions.js";
import { inspectAs } from "../../invariants/step-log.js";
import { TX_CLIENT_RETRY, txClientAdapter } from "../../transactions/client.js";
import { txBehavior } from "../../transactions/cluster.js";
import { ownerOf, resolveTxConfig, type ResolvedTxConfig } from "../../transactions/config.js";
import type { TxCoordinatorInspection } from "../../transactions/coordinator.js";
import type { TxMessage } from "../../transactions/messages.js";
import type { TxParticipantInspection } from "../../transactions/participant.js";
import { DEFAULT_NETWORK, bugList, clientCount, commonOptionDocs, okCounter, untilPhaseEnds, type ReplicationScenarioOptions } from "../common.js";

/** Transaction knobs the parameter swarm draws per seed. */
export const TX_PARAMETERS: ParameterDocs = {
  lockWaitTimeoutMs: { description: "a lock request waits this long behind another transaction before it is refused (ms)", min: 20, max: 300, integer: true, log: true },
  txTimeoutMs: { description: "a transaction still locking or preparing after this long is aborted (ms)", min: 300, max: 1500, integer: true },
  inquireAfterMs: { description: "a prepared participant asks for the decision after this long (ms)", min: 30, max: 300, integer: true },
  resendMs: { description: "the coordinator resends an unacknowledged decision this often (ms)", min: 20, max: 200, integer: true },
};

/** What one transaction scenario adds to the common plan. */
export interface TxPlanSpec {
  durationMs: number;
  faultWindowMs: number;
  families: readonly SwarmFaultFamily[];
  /** Client `i`'s n-th transaction, given the keys of the run. */
  workload(config: ResolvedTxConfig, client: number): (random: () => number, n: number) => WorkloadOp;
}

export const TX_LIVENESS_CLIENT = "liveness";

export function txOptionDocs(clients: number): Record<string, ScenarioOptionDoc> {
  return commonOptionDocs({ clients });
}

/**
 * The plan of the transaction scenarios: a coordinator and three participants, clients running transactions
 * (retried with backoff and jitter), the Atomicity invariant, the liveness phase (after healing, a new
 * transaction over every participant commits, and no participant is left holding a prepared transaction),
 * and the exactly-once check.
 */
export function txPlan(seed: Seed, options: ReplicationScenarioOptions, spec: TxPlanSpec, defaultClients: number): ScenarioPlan {
  const drawn = options.parameterSwarm === false ? undefined : drawParameters(seed, TX_PARAMETERS);
  const config = resolveTxConfig({ ...(drawn as Record<string, number> | undefined), bugs: bugList(options) });
  const clients = clientCount(options, defaultClients);
  const nodes = [config.coordinator, ...config.participants];
  return {
    nodes,
    behavior: txBehavior(config),
    network: DEFAULT_NETWORK,
    durationMs: spec.durationMs,
    faults: {
      swarm: {
        faultWindowMs: spec.faultWindowMs, maxDown: 1, families: spec.families, triggerMessageTypes: ["tx_decision", "tx_prepare", "tx_vote"],
        triggerProbes: ["tx.commitDecided", "tx.recoveredPrepared"], flapDownMsMax: 300,
      },
    },
    invariants: [atomicity()],
    setup(sim) {
      for (let i = 1; i <= clients; i++) {
        const workload = untilPhaseEnds(sim, spec.durationMs, spec.workload(config, i));
        sim.addClient(`c${i}`, () => new WorkloadClient<TxMessage>({ history: sim.history, workload, adapter: txClientAdapter(config.coordinator), opIntervalMs: 10, requestTimeoutMs: 800, retry: TX_CLIENT_RETRY }));
      }
    },
    liveness: txLiveness(config),
    checks: [(sim) => checkTransactionsOnce(sim, config, sim.history)],
    ...(drawn !== undefined ? { parameters: drawn } : {}),
    ...(options.buggify !== false ? { buggify: { enabled: true } } : {}),
  };
}

/** Keys, each owned by a participant: `per` keys per participant, named by the letters that hash there. */
export function keysByParticipant(config: ResolvedTxConfig, per: number): string[][] {
  const out = config.participants.map(() => [] as string[]);
  for (let i = 0; out.some((l) => l.length < per) && i < 10_000; i++) {
    const key = `k${i}`;
    const list = out[config.participants.indexOf(ownerOf(config, key))]!;
    if (list.length < per) list.push(key);
  }
  return out;
}

/** After healing: a new transaction over every participant commits, and none is left prepared or undecided. */
export function txLiveness(config: ResolvedTxConfig, withinMs = 15_000): LivenessSpec {
  const committed = okCounter(TX_LIVENESS_CLIENT);
  return {
    withinMs,
    describe: "a new transaction committed, and no participant holds a prepared transaction or the coordinator an unacknowledged decision",
    begin(sim) {
      const writes = keysByParticipant(config, 1).map(([key]) => [key!, "live"]);
      const client = new WorkloadClient<TxMessage>({ history: sim.history, adapter: txClientAdapter(config.coordinator), requestTimeoutMs: 800, retry: { ...TX_CLIENT_RETRY, maxAttempts: 100 } });
      client.submit({ f: "txn", value: writes });
      sim.addClient(TX_LIVENESS_CLIENT, () => client);
    },
    progress(view) {
      if (committed(view) < 1) return false;
      const coordinator = inspectAs<TxCoordinatorInspection>(view, config.coordinator);
      return coordinator !== undefined && coordinator.pendingDecisions === 0 &&
        config.participants.every((p) => (inspectAs<TxParticipantInspection>(view, p)?.prepared.length ?? 1) === 0);
    },
  };
}
