import { ConfigError } from "../errors.js";
import type { Simulation } from "../engine/simulation.js";
import type { NodeId } from "../node/behavior.js";
import type { KvWrite } from "./kv-ops.js";
import { AppliedLog, proposeOn, type ReplicatedCluster, type ProposeResult } from "./propose.js";

/** What a protocol's cluster helper gives {@link replicatedClusterApi}. */
export interface ClusterApiOptions<B, A> {
  sim: Simulation;
  /** The cluster's node ids. */
  nodes: readonly NodeId[];
  /** The record the nodes' apply hook writes to. */
  applied: AppliedLog<A>;
  /** Proposes `write` inside the node (a behaviour method run through `sim.invokeOn`); `requestId` is fresh per call. */
  propose(behavior: B, write: KvWrite, requestId: string): ProposeResult;
}

/**
 * The members of {@link ReplicatedCluster} every protocol's cluster helper shares: `propose` (a fresh request id
 * `propose:<n>` per call, NODE_DOWN for a node that is not running), `applied` and `persistedBytes`, each
 * refusing an id that is not a node of the cluster with a ConfigError naming the field.
 */
export function replicatedClusterApi<B, A>(o: ClusterApiOptions<B, A>): Pick<ReplicatedCluster<KvWrite, A>, "propose" | "applied" | "persistedBytes"> {
  const member = (id: NodeId, field: string): NodeId => {
    if (!o.nodes.includes(id)) throw new ConfigError(field, `must be a node of this cluster (${o.nodes.join(", ")})`, id);
    return id;
  };
  let proposals = 0;
  return {
    propose: (id, command) => {
      const requestId = `propose:${++proposals}`;
      return proposeOn<B, KvWrite>(o.sim, member(id, "propose.node"), command, (b, write) => o.propose(b, write, requestId));
    },
    applied: (id) => o.applied.of(member(id, "applied.node")),
    persistedBytes: (id) => o.sim.storage(member(id, "persistedBytes.node")).syncedBytes(),
  };
}

/** Node ids n1..nN, validated (1 to 1000). */
export function clusterNodeIds(n: number): NodeId[] {
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new ConfigError("nodes", "must be an integer from 1 to 1000", n);
  return Array.from({ length: n }, (_, i) => `n${i + 1}`);
}
