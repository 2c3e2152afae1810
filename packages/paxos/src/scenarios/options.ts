import { ConfigError, crashTolerance, type ScenarioOptionDoc, type ScenarioOptions } from "@faultline/core";
import { PAXOS_BUG_NAMES, type PaxosBug } from "../bugs.js";

/** Options every Multi-Paxos scenario accepts (besides `bugs`). */
export interface PaxosScenarioOptions extends ScenarioOptions {
  /** Cluster size: 3, 5 or 7. */
  nodes?: number;
  /** Client processes writing and reading. */
  clients?: number;
  /** Slots a leader keeps in phase 2 at once. */
  windowSlots?: number;
  /** Applied slots a replica keeps before compacting them into a snapshot. */
  snapshotThresholdSlots?: number;
  /** Exploration scenarios: draw the node knobs per seed (PAXOS_PARAMETERS); explicit options win. */
  parameterSwarm?: boolean;
  /** Exploration scenarios: turn on buggify (the marks of PAXOS_BUGGIFY_MARKS, a random subset per seed). */
  buggify?: boolean;
}

/** The defaults a scenario may change in {@link commonOptionDocs}. */
export interface CommonDefaults {
  nodes?: number;
  clients?: number;
  windowSlots?: number;
  snapshotThresholdSlots?: number;
}

/** The option documentation shared by every Multi-Paxos scenario, with its defaults (validated by core's runner). */
export function commonOptionDocs(defaults: CommonDefaults = {}): Record<string, ScenarioOptionDoc> {
  return {
    nodes: { description: "cluster size: 3, 5 or 7", default: defaults.nodes ?? 5, type: "number", values: [3, 5, 7] },
    clients: { description: "client processes running a get/put workload (0 to 10)", default: defaults.clients ?? 3, type: "number", integer: true, min: 0, max: 10 },
    windowSlots: { description: "slots a leader keeps in phase 2 at once (the pipelining window)", default: defaults.windowSlots ?? 16, type: "number", integer: true, min: 1, max: 1024 },
    snapshotThresholdSlots: {
      description: "applied slots a replica keeps before compacting them into a snapshot (small values exercise catch-up by snapshot)",
      default: defaults.snapshotThresholdSlots ?? 1000, type: "number", integer: true, min: 1, max: 1_000_000,
    },
  };
}

/**
 * The option docs of an exploration scenario (paxos-swarm): the common ones, where the knobs the parameter swarm
 * draws have no default (a given value wins over the draw), plus the two exploration switches.
 */
export function exploreOptionDocs(defaults: CommonDefaults = {}): Record<string, ScenarioOptionDoc> {
  const docs = commonOptionDocs(defaults);
  for (const knob of ["windowSlots", "snapshotThresholdSlots"]) {
    docs[knob] = { ...docs[knob]!, default: undefined, description: `${docs[knob]!.description} (drawn per seed when parameterSwarm is on, else ${String(docs[knob]!.default)})` };
  }
  docs.parameterSwarm = { description: "draw the node knobs per seed within their legal ranges (timeouts, heartbeat, window, retransmission, compaction)", default: true, type: "boolean" };
  docs.buggify = { description: "buggify: each seed enables a random subset of the marks of legal but rare behaviour (PAXOS_BUGGIFY_MARKS)", default: true, type: "boolean" };
  return docs;
}

/** The cluster size, validated. @throws ConfigError */
export function clusterSize(options: PaxosScenarioOptions): number {
  const n = options.nodes ?? 5;
  if (n !== 3 && n !== 5 && n !== 7) throw new ConfigError("options.nodes", "must be 3, 5 or 7", n);
  return n;
}

/** The client count, validated. @throws ConfigError */
export function clientCount(options: PaxosScenarioOptions): number {
  const c = options.clients ?? 3;
  if (!Number.isInteger(c) || c < 0 || c > 10) throw new ConfigError("options.clients", "must be an integer from 0 to 10", c);
  return c;
}

/** The planted bugs of the options (the runner validated them against the scenario's catalogue). */
export function bugList(options: PaxosScenarioOptions): PaxosBug[] {
  return (options.bugs ?? []).filter((b): b is PaxosBug => (PAXOS_BUG_NAMES as readonly string[]).includes(b));
}

/** The crash tolerance f of an n-node cluster. */
export function tolerance(n: number): number {
  return crashTolerance(n);
}
