import { defineScenario, type LivenessSpec, type ScenarioOptionDoc } from "@faultline/core";
import { RAFT_SWARM_FAMILIES, RaftClient, createRaftNode, hasLeader, linearizableKv, raftInvariants, raftNodeIds } from "@faultline/raft";
import { bucketKey, checkRoutingPreserved, planDirectory } from "../../directory/replicated-directory.js";
import { DEFAULT_NETWORK, clientCount, okCounter, untilPhaseEnds, type ReplicationScenarioOptions } from "../common.js";

/** Buckets of the scenario's directory (a small table keeps the linearizability check quick). */
export const DIRECTORY_BUCKETS = 16;
/** The storage tier's membership changes the rebalancer applies, in order. */
export const DIRECTORY_CHANGES = [{ add: "s3" }, { add: "s4" }, { remove: "s1" }, { add: "s5" }, { remove: "s2" }] as const;
const READER = "final-reader";
const DURATION_MS = 6000;

/** Options of directory-partitioning. */
export interface DirectoryScenarioOptions extends ReplicationScenarioOptions {
  /** Directory replicas (Raft nodes): 3 or 5. */
  nodes?: number;
}

const OPTIONS: Record<string, ScenarioOptionDoc> = {
  nodes: { description: "directory replicas (a Raft cluster): 3 or 5", default: 3, type: "number", values: [3, 5] },
  clients: { description: "router clients looking buckets up (1 to 9; one more client rebalances)", default: 2, type: "number", integer: true, min: 1, max: 9 },
};

/**
 * directory-partitioning: a bucket directory (bucket -> storage node) kept in a Raft-replicated key-value store.
 * A rebalancer writes the initial table and then the moves of five storage membership changes (compare-and-set
 * per bucket moved), while routers look buckets up, under Raft's swarm faults (at most f directory nodes down).
 * Every Raft invariant holds, the directory's history is linearizable (no lookup sees a lost or reordered move),
 * and after healing every bucket routes where its last acknowledged assignment put it.
 */
export const directoryPartitioning = defineScenario<DirectoryScenarioOptions>({
  id: "directory-partitioning",
  description: "a bucket directory replicated on Raft: a rebalancer applies five storage membership changes while routers look buckets up, under swarm faults; Raft's invariants, linearizable lookups, no routing lost",
  bugs: {},
  options: OPTIONS,
  build(_seed, options) {
    const n = options.nodes ?? 3;
    const nodes = raftNodeIds(n);
    const routers = clientCount(options, 2);
    const plan = planDirectory(["s1", "s2"], DIRECTORY_BUCKETS, [...DIRECTORY_CHANGES]);
    return {
      nodes,
      behavior: createRaftNode({ preVote: true, checkQuorum: true }),
      network: DEFAULT_NETWORK,
      durationMs: DURATION_MS,
      faults: { swarm: { faultWindowMs: DURATION_MS - 1000, maxDown: Math.floor((n - 1) / 2), families: RAFT_SWARM_FAMILIES } },
      invariants: raftInvariants(),
      setup(sim) {
        const rebalance = untilPhaseEnds(sim, DURATION_MS, (_random, i) => plan.ops[i] ?? { f: "get", key: bucketKey(i % DIRECTORY_BUCKETS) });
        sim.addClient("rebalancer", () => new RaftClient({ history: sim.history, workload: rebalance, opIntervalMs: 20, requestTimeoutMs: 400, retry: { maxDelayMs: 1000 } }));
        for (let i = 1; i <= routers; i++) {
          const lookups = untilPhaseEnds(sim, DURATION_MS, (random) => ({ f: "get", key: bucketKey(Math.floor(random() * DIRECTORY_BUCKETS)) }));
          sim.addClient(`router${i}`, () => new RaftClient({ history: sim.history, workload: lookups, opIntervalMs: 30, requestTimeoutMs: 400, retry: { maxDelayMs: 1000 } }));
        }
      },
      liveness: readEveryBucket(),
      checks: [linearizableKv, (sim) => checkRoutingPreserved(sim.history, READER)],
    };
  },
});

/** After healing: a leader exists and a fresh client reads every bucket of the directory. */
function readEveryBucket(withinMs = 8000): LivenessSpec {
  const read = okCounter(READER);
  return {
    withinMs,
    describe: "a leader, and every bucket of the directory read after healing",
    begin(sim) {
      const client = new RaftClient({ history: sim.history, requestTimeoutMs: 300, retry: { maxAttempts: 100, initialDelayMs: 20, maxDelayMs: 300 } });
      for (let b = 0; b < DIRECTORY_BUCKETS; b++) client.submit({ f: "get", key: bucketKey(b) });
      sim.addClient(READER, () => client);
    },
    progress(view) {
      return read(view) >= DIRECTORY_BUCKETS && hasLeader(view);
    },
  };
}
