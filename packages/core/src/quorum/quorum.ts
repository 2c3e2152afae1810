import { ConfigError } from "../errors.js";

/** The largest cluster Faultline's schema supports. */
export const MAX_NODES = 1000;

/** Majority quorum size: floor(n/2) + 1 (3 -> 2, 5 -> 3, 7 -> 4). */
export function calculateQuorum(n: number): number {
  checkNodeCount(n, "n");
  return Math.floor(n / 2) + 1;
}

/** The most crash failures a majority-quorum cluster of n nodes tolerates: floor((n-1)/2). */
export function crashTolerance(n: number): number {
  checkNodeCount(n, "n");
  return Math.floor((n - 1) / 2);
}

/** The most byzantine failures a BFT cluster of n nodes tolerates: floor((n-1)/3). */
export function byzantineTolerance(n: number): number {
  checkNodeCount(n, "n");
  return Math.floor((n - 1) / 3);
}

/**
 * The byzantine quorum of n replicas tolerating f = floor((n-1)/3): ceil((n+f+1)/2), which is 2f+1 when
 * n = 3f+1. Two quorums then share at least f+1 replicas (one of them correct), and n-f correct replicas
 * still form one. 2f+1 alone is too small when n > 3f+1 (n = 5: two quorums of 3 may share only a faulty node).
 */
export function byzantineQuorum(n: number): number {
  return bftQuorum(n, byzantineTolerance(n));
}

function bftQuorum(n: number, f: number): number {
  return Math.ceil((n + f + 1) / 2);
}

/** Whether `count` votes out of a majority-quorum cluster of `n` make a quorum. */
export function isMajority(count: number, n: number): boolean {
  return count >= calculateQuorum(n);
}

/**
 * The largest index that a majority of `matchIndexes` (one per voter, the leader's own included) has reached:
 * the Raft commit rule's "N such that a majority of matchIndex[i] >= N". The indexes are numbers (NaN has no
 * place in a match index and gives an unspecified answer).
 */
export function majorityIndex(matchIndexes: readonly number[]): number {
  const n = matchIndexes.length;
  if (n === 0) throw new ConfigError("matchIndexes", "must be non-empty");
  if (n > SMALL_CLUSTER) {
    const sorted = matchIndexes.slice().sort((a, b) => b - a);
    return sorted[calculateQuorum(n) - 1]!;
  }
  // A leader asks this after every acknowledgement: for cluster-sized inputs, an insertion sort in a reused
  // buffer answers without the copy and the sort's work array (a tenth of a Raft seed's allocation)
  for (let i = 0; i < n; i++) {
    const v = matchIndexes[i]!;
    let j = i;
    while (j > 0 && scratch[j - 1]! < v) {
      scratch[j] = scratch[j - 1]!;
      j--;
    }
    scratch[j] = v;
  }
  return scratch[calculateQuorum(n) - 1]!;
}

/** Inputs up to this size take the allocation-free path of {@link majorityIndex}. */
const SMALL_CLUSTER = 32;
const scratch = new Float64Array(SMALL_CLUSTER);

/** Input of {@link validateCluster}. */
export interface ClusterShape {
  /** Number of nodes, 1..1000. */
  nodes: number;
  /** Number of simultaneous failures the cluster must tolerate (f). */
  failureTolerance: number;
  /** Whether failures are byzantine (needs 3f+1 nodes) rather than crash-stop (needs 2f+1). */
  byzantine?: boolean;
}

/** Validated cluster shape with its quorum size. */
export interface ValidatedCluster extends Required<ClusterShape> {
  quorumSize: number;
}

/**
 * Validates a cluster shape against the tolerance rules: nodes >= 2f+1 for crash faults,
 * nodes >= 3f+1 for byzantine faults, 1 <= nodes <= 1000.
 * @throws ConfigError naming the field and the rule.
 */
export function validateCluster(shape: ClusterShape): ValidatedCluster {
  if (shape === null || typeof shape !== "object") throw new ConfigError("cluster", "must be an object", shape);
  checkNodeCount(shape.nodes, "nodes");
  const f = shape.failureTolerance;
  if (!Number.isInteger(f) || f < 0) throw new ConfigError("failureTolerance", "must be an integer >= 0", f);
  const byzantine = shape.byzantine ?? false;
  if (typeof byzantine !== "boolean") throw new ConfigError("byzantine", "must be a boolean", byzantine);
  if (byzantine && shape.nodes < 3 * f + 1) {
    throw new ConfigError("nodes", "Byzantine tolerance requires 3f+1 nodes", shape.nodes);
  }
  if (!byzantine && shape.nodes < 2 * f + 1) {
    throw new ConfigError("nodes", "Cannot tolerate f failures with fewer than 2f+1 nodes", shape.nodes);
  }
  const quorumSize = byzantine ? bftQuorum(shape.nodes, f) : calculateQuorum(shape.nodes);
  return { nodes: shape.nodes, failureTolerance: f, byzantine, quorumSize };
}

function checkNodeCount(n: number, field: string): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_NODES) {
    throw new ConfigError(field, `must be an integer from 1 to ${MAX_NODES}`, n);
  }
}
