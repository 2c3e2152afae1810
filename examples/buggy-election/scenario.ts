import { ConfigError, defineScenario, type Scenario, type ScenarioOptions } from "@faultline/core";
import { ELECTION_BUGS, ElectionNode, type ElectionBug } from "./protocol.js";
import { atMostOneLeaderPerTerm, hasStableLeader, oneVotePerTerm } from "./invariant.js";

/** Options of the election scenario. */
export interface ElectionScenarioOptions extends ScenarioOptions {
  /** Cluster size. @defaultValue 5 */
  nodes?: number;
  /** Length of the fault window, simulated ms. @defaultValue 3000 */
  faultWindowMs?: number;
  /** Also check one-vote-per-term, the root cause, which fires before a second leader wins. @defaultValue true */
  checkVotes?: boolean;
}

/**
 * Five election nodes under swarm faults (crash/restart, partitions, loss, latency, lost unsynced writes),
 * with at most f = 2 nodes down at once, so the protocol's claim is never exceeded. Election Safety is
 * checked after every step (and, unless `checkVotes` is false, one vote per term); after the fault window everything heals and a stable leader must appear.
 * Pass `bugs: ["forgetVote"]` to plant the bug.
 */
export const electionScenario: Scenario<ElectionScenarioOptions> = defineScenario<ElectionScenarioOptions>({
  id: "election",
  description: "leader election (Raft's election half) under swarm faults; checks at most one leader per term",
  bugs: ELECTION_BUGS,
  options: {
    nodes: { description: "cluster size (3..9)", default: 5, type: "number" },
    faultWindowMs: { description: "simulated ms of faults before the liveness phase", default: 3000, type: "number" },
    checkVotes: { description: "also check one vote per term (fires earlier than two leaders)", default: true, type: "boolean" },
  },
  build(_seed, options) {
    const n = options.nodes ?? 5;
    const bugs = new Set((options.bugs ?? []) as ElectionBug[]);
    const faultWindowMs = options.faultWindowMs ?? 3000;
    if (!Number.isInteger(n) || n < 3 || n > 9) throw new ConfigError("options.nodes", "must be an integer from 3 to 9", n);
    if (!(faultWindowMs >= 100 && faultWindowMs <= 60_000)) throw new ConfigError("options.faultWindowMs", "must be from 100 to 60,000 ms", faultWindowMs);
    const nodes = Array.from({ length: n }, (_, i) => `n${i + 1}`);
    const invariants = options.checkVotes === false ? [atMostOneLeaderPerTerm()] : [atMostOneLeaderPerTerm(), oneVotePerTerm()];
    return {
      nodes,
      behavior: () => new ElectionNode(bugs),
      network: { default: { latency: { kind: "uniform", minMs: 1, maxMs: 10 } } },
      faults: {
        swarm: {
          faultWindowMs,
          maxDown: Math.floor((n - 1) / 2),
          families: ["crash", "partition", "isolate", "block", "loss", "latency", "storage-lose"],
        },
      },
      durationMs: faultWindowMs + 200,
      invariants,
      liveness: { withinMs: 3000, progress: hasStableLeader, describe: "a leader of the highest term" },
    };
  },
});
