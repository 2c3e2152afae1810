import { ConfigError, type ScenarioOptionDoc, type ScenarioOptions } from "@faultline/core";
import { RAFT_BUGS, type RaftBug } from "../bugs.js";

/** Options every Raft scenario accepts (besides `bugs`). */
export interface RaftScenarioOptions extends ScenarioOptions {
  /** Cluster size: 3, 5 or 7. */
  nodes?: number;
  /** Client processes writing and reading. */
  clients?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  /** Most entries per AppendEntries (1 makes the leader replicate entry by entry, as in the paper's figures). */
  maxEntriesPerAppend?: number;
  /** Exploration scenarios: draw Raft's knobs per seed (RAFT_PARAMETERS); explicit options win. */
  parameterSwarm?: boolean;
  /** Exploration scenarios: turn on buggify (the marks of RAFT_BUGGIFY_MARKS, a random subset per seed). */
  buggify?: boolean;
}

/**
 * The option docs of an exploration scenario (raft-swarm, raft-snapshot): the common ones, where the knobs the
 * parameter swarm draws have no default (a given value wins over the draw), plus the two exploration switches.
 */
export function exploreOptionDocs(defaults: { nodes?: number; clients?: number } = {}): Record<string, ScenarioOptionDoc> {
  const docs = commonOptionDocs(defaults);
  for (const knob of ["preVote", "checkQuorum", "maxEntriesPerAppend"]) {
    docs[knob] = { ...docs[knob]!, default: undefined, description: `${docs[knob]!.description} (drawn per seed when parameterSwarm is on, else ${String(docs[knob]!.default)})` };
  }
  docs.parameterSwarm = { description: "draw Raft's knobs per seed within their legal ranges (timeouts, batch, window, snapshot threshold, pre-vote, check-quorum)", default: true, type: "boolean" };
  docs.buggify = { description: "buggify: each seed enables a random subset of Raft's marks of legal but rare behaviour", default: true, type: "boolean" };
  return docs;
}

/** The option documentation shared by every Raft scenario, with its defaults. */
export function commonOptionDocs(defaults: { nodes?: number; clients?: number } = {}): Record<string, ScenarioOptionDoc> {
  return {
    nodes: { description: "cluster size: 3, 5 or 7", default: defaults.nodes ?? 5, type: "number", values: [3, 5, 7] },
    clients: { description: "client processes running a get/put/cas workload (1 to 10)", default: defaults.clients ?? 3, type: "number", integer: true, min: 1, max: 10 },
    preVote: { description: "Raft pre-vote (thesis §9.6)", default: true, type: "boolean" },
    checkQuorum: { description: "Raft check-quorum: a leader that hears from no quorum steps down", default: true, type: "boolean" },
    maxEntriesPerAppend: { description: "most entries per AppendEntries message", default: 64, type: "number", integer: true, min: 1, max: 100_000 },
  };
}

/** The cluster size, validated. @throws ConfigError */
export function clusterSize(options: RaftScenarioOptions): number {
  const n = options.nodes ?? 5;
  if (n !== 3 && n !== 5 && n !== 7) throw new ConfigError("options.nodes", "must be 3, 5 or 7", n);
  return n;
}

/** The client count, validated. @throws ConfigError */
export function clientCount(options: RaftScenarioOptions): number {
  const c = options.clients ?? 3;
  if (!Number.isInteger(c) || c < 0 || c > 10) throw new ConfigError("options.clients", "must be an integer from 0 to 10", c);
  return c;
}

/** The planted bugs of the options (validated against the catalogue by the runner). */
export function bugList(options: RaftScenarioOptions): RaftBug[] {
  return (options.bugs ?? []).filter((b): b is RaftBug => Object.prototype.hasOwnProperty.call(RAFT_BUGS, b));
}

/** The crash tolerance f of an n-node cluster. */
export function tolerance(n: number): number {
  return Math.floor((n - 1) / 2);
}
