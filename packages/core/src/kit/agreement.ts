import { ConfigError } from "../errors.js";
import type { NodeId } from "../node/behavior.js";
import type { KvWrite } from "./kv-ops.js";
import type { ReplicatedCluster } from "./propose.js";

/** Options of {@link agree}. */
export interface AgreeOptions<A> {
  /** How many nodes must apply the write. */
  expected: number;
  /** Whether an applied command is this write (protocols wrap writes in their own commands). */
  isWrite(command: A, write: KvWrite): boolean;
  /** Simulated time to keep trying. @defaultValue 10000 */
  withinMs?: number;
  /** How long one leader gets to commit before the next node is asked. @defaultValue 2000 */
  attemptMs?: number;
}

/** How many of the cluster's nodes applied a command that {@link AgreeOptions.isWrite} says is `write`, at `index`. */
export function appliedCount<A>(c: ReplicatedCluster<KvWrite, A>, index: number, write: KvWrite, isWrite: (command: A, write: KvWrite) => boolean): number {
  return c.nodes.filter((id: NodeId) => c.applied(id).some((a) => a.index === index && isWrite(a.command, write))).length;
}

/**
 * The 6.824 tester's `one()` on the kit's API, for any protocol: offers `write` to each node in turn until one
 * takes it (a leader or primary), then runs until `expected` nodes applied it where it landed; a taker that
 * cannot commit (cut off) costs one attempt, then the next node is asked; retries for `withinMs`. Returns the
 * index it was applied at. Throws when the run stops on a failure, or when no agreement came in time.
 */
export function agree<A>(c: ReplicatedCluster<KvWrite, A>, write: KvWrite, o: AgreeOptions<A>): number {
  if (!Number.isInteger(o.expected) || o.expected < 1 || o.expected > c.nodes.length) throw new ConfigError("agree.expected", `must be an integer from 1 to ${c.nodes.length}`, o.expected);
  const withinMs = o.withinMs ?? 10_000;
  const attemptMs = o.attemptMs ?? 2000;
  const nowMs = () => c.sim.nowUs / 1000;
  const runFor = (ms: number, until?: () => boolean) => {
    const outcome = c.sim.run({ untilMs: nowMs() + ms, until });
    if (outcome.kind !== "ok") throw new Error(`the run ended with ${outcome.kind}: ${outcome.invariant ?? ""} ${outcome.message}`);
  };
  const deadlineMs = nowMs() + withinMs;
  let start = 0;
  while (nowMs() < deadlineMs) {
    for (let k = 0; k < c.nodes.length; k++) {
      const id = c.nodes[(start + k) % c.nodes.length]!;
      const r = c.propose(id, write);
      if (!r.accepted) continue;
      start = (start + k + 1) % c.nodes.length;
      const done = () => appliedCount(c, r.index, write, o.isWrite) >= o.expected;
      runFor(attemptMs, done);
      if (done()) return r.index;
      break;
    }
    runFor(50);
  }
  throw new Error(`no agreement on ${JSON.stringify(write)} by ${o.expected} nodes within ${withinMs} ms`);
}
