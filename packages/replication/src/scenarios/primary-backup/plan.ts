import {
  WorkloadClient, checkConvergence, kvClientAdapter, type LivenessSpec, type NodeId, type ScenarioPlan, type ScenarioOptionDoc, type Seed, type SwarmFaultFamily,
} from "@faultline/core";
import { MONITOR_ID, replicaIds } from "../../primary-backup/cluster.js";
import { resolvePrimaryBackupConfig, type ReplicationMode } from "../../primary-backup/config.js";
import type { PbInspection } from "../../primary-backup/inspect.js";
import type { PbMessage } from "../../primary-backup/messages.js";
import { FailoverMonitor } from "../../primary-backup/monitor.js";
import { PbReplica } from "../../primary-backup/replica.js";
import { primaryBackupInvariants } from "../../invariants/primary-backup.js";
import { inspectAs } from "../../invariants/step-log.js";
import { DEFAULT_NETWORK, bugList, clientCount, commonOptionDocs, okCounter, uniquePuts, untilPhaseEnds, type ReplicationScenarioOptions } from "../common.js";
import { drawPbParameters } from "./parameters.js";

/** Options of the primary-backup scenarios. */
export interface PbScenarioOptions extends ReplicationScenarioOptions {
  /** Replicas: 3 or 5 (plus the monitor). */
  nodes?: number;
  /** Semi-sync: backup acknowledgements per write (1 to replicas - 1). */
  acks?: number;
}

/** What one primary-backup scenario adds to the common plan. */
export interface PbPlanSpec {
  mode: ReplicationMode;
  /** Safety phase, and the fault window inside it (simulated ms). */
  durationMs: number;
  faultWindowMs: number;
  families: readonly SwarmFaultFamily[];
}

/** The id of the client the liveness phase adds. */
export const PB_LIVENESS_CLIENT = "liveness";

/** The option docs of a primary-backup scenario. */
export function pbOptionDocs(semiSync: boolean): Record<string, ScenarioOptionDoc> {
  const docs: Record<string, ScenarioOptionDoc> = {
    nodes: { description: "replicas (the failover monitor comes on top)", default: 3, type: "number", values: [3, 5] },
    ...commonOptionDocs(),
  };
  if (semiSync) docs.acks = { description: "backup acknowledgements a write waits for, 1 to replicas - 1 (drawn per seed when parameterSwarm is on, else 1)", default: undefined, type: "number", integer: true, min: 1, max: 4 };
  return docs;
}

/**
 * The plan every primary-backup scenario shares: the replicas and their failover monitor, clients writing
 * unique values until the safety phase ends, the invariants the mode's advertised guarantee calls for, the
 * liveness phase (after healing, a new write is acknowledged and every replica applies all the primary
 * committed), and the convergence check of the replicas' data.
 */
export function pbPlan(seed: Seed, options: PbScenarioOptions, spec: PbPlanSpec): ScenarioPlan {
  const n = options.nodes ?? 3;
  const replicas = replicaIds(n);
  const fixed: Record<string, unknown> = options.acks !== undefined ? { acks: options.acks } : {};
  const drawn = options.parameterSwarm === false ? undefined : drawPbParameters(seed, fixed, n);
  // an explicit acks wins (and is refused beyond replicas - 1); a drawn one is already capped
  const acks = options.acks ?? drawn?.config.acks ?? 1;
  const config = resolvePrimaryBackupConfig({ ...drawn?.config, mode: spec.mode, replicas, acks, bugs: bugList(options) });
  const clients = clientCount(options);
  return {
    nodes: [...replicas, MONITOR_ID],
    behavior: (id: NodeId) => (id === MONITOR_ID ? new FailoverMonitor(config) : new PbReplica(config)),
    network: DEFAULT_NETWORK,
    durationMs: spec.durationMs,
    faults: { swarm: { faultWindowMs: spec.faultWindowMs, maxDown: 1, families: spec.families } },
    invariants: primaryBackupInvariants(replicas, config.zeroRpo),
    setup(sim) {
      for (let i = 1; i <= clients; i++) {
        const id = `c${i}`;
        const workload = untilPhaseEnds(sim, spec.durationMs, uniquePuts(id, 4));
        sim.addClient(id, () => new WorkloadClient<PbMessage>({ history: sim.history, workload, adapter: kvClientAdapter(), opIntervalMs: 15, requestTimeoutMs: 300, retry: { maxAttempts: 20, initialDelayMs: 20, maxDelayMs: 400 } }));
      }
    },
    liveness: pbLiveness(replicas),
    checks: [(sim) => checkConvergence(Object.fromEntries(replicas.map((r) => [r, inspectAs<PbInspection>(sim, r)?.data() ?? "down"])))],
    ...(drawn !== undefined ? { parameters: drawn.drawn } : {}),
    ...(options.buggify !== false ? { buggify: { enabled: true } } : {}),
  };
}

/** After healing: a new client write is acknowledged, and every replica has applied all the primary committed. */
export function pbLiveness(replicas: readonly NodeId[], withinMs = 5000): LivenessSpec {
  const completed = okCounter(PB_LIVENESS_CLIENT);
  return {
    withinMs,
    describe: "a new acknowledged write, and every replica applied everything the primary committed",
    begin(sim) {
      const client = new WorkloadClient<PbMessage>({ history: sim.history, adapter: kvClientAdapter(), requestTimeoutMs: 300, retry: { maxAttempts: 100, initialDelayMs: 20, maxDelayMs: 300 } });
      client.submit({ f: "put", key: "liveness", value: sim.nowUs });
      sim.addClient(PB_LIVENESS_CLIENT, () => client);
    },
    progress(view) {
      if (completed(view) < 1) return false;
      const states = replicas.map((r) => inspectAs<PbInspection>(view, r));
      const primary = states.find((s) => s?.role === "primary");
      return primary !== undefined && states.every((s) => s !== undefined && s.applied === primary.commitIndex && s.commitIndex === primary.commitIndex);
    },
  };
}
