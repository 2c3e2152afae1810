import {
  ConfigError, type NetworkConfig, type OperationSource, type ScenarioOptionDoc, type ScenarioOptions, type Simulation, type SimulationView, type WorkloadOp,
} from "@faultline/core";
import { REPLICATION_BUGS, isReplicationBug, type ReplicationBug } from "../bugs.js";

/** Options every scenario of this package accepts (besides `bugs` and its own). */
export interface ReplicationScenarioOptions extends ScenarioOptions {
  /** Client processes running the scenario's workload. */
  clients?: number;
  /** Draw the scheme's knobs per seed within their legal ranges (explicit options win). */
  parameterSwarm?: boolean;
  /** Turn on buggify: each seed enables a random subset of the package's marks of legal but rare behaviour. */
  buggify?: boolean;
}

/** The default network: 1-10 ms uniform latency, no loss. */
export const DEFAULT_NETWORK: NetworkConfig = { default: { latency: { kind: "uniform", minMs: 1, maxMs: 10 } } };

/** The planted bugs a scenario accepts: the named ones, with their descriptions. */
export function acceptedBugs(...names: ReplicationBug[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, REPLICATION_BUGS[n]]));
}

/** The planted bugs switched on in the options (validated by the runner against the scenario's `bugs`). */
export function bugList(options: ScenarioOptions): ReplicationBug[] {
  return (options.bugs ?? []).filter(isReplicationBug);
}

/** The documentation of the options every scenario shares, with this scenario's defaults. */
export function commonOptionDocs(defaults: { clients?: number } = {}): Record<string, ScenarioOptionDoc> {
  return {
    clients: { description: "client processes running the workload (1 to 10)", default: defaults.clients ?? 3, type: "number", integer: true, min: 1, max: 10 },
    parameterSwarm: { description: "draw the scheme's knobs per seed within their legal ranges (explicit options win)", default: true, type: "boolean" },
    buggify: { description: "buggify: each seed enables a random subset of the package's marks of legal but rare behaviour", default: true, type: "boolean" },
  };
}

/** The client count, validated. @throws ConfigError */
export function clientCount(options: ReplicationScenarioOptions, fallback = 3): number {
  const c = options.clients ?? fallback;
  if (!Number.isInteger(c) || c < 1 || c > 10) throw new ConfigError("options.clients", "must be an integer from 1 to 10", c);
  return c;
}

/**
 * A client's operations until the safety phase ends (then it stops, so the replicas can settle for the
 * liveness phase and the end-of-run checks): `next(random, n)` gives the n-th operation.
 */
export function untilPhaseEnds(sim: Simulation, endMs: number, next: (random: () => number, n: number) => WorkloadOp): OperationSource {
  return (random, n) => (sim.nowUs / 1000 >= endMs ? undefined : next(random, n));
}

/** Unique-valued puts over `keys` keys (unique values let the checkers tell every write apart). */
export function uniquePuts(client: string, keys: number): (random: () => number, n: number) => WorkloadOp {
  return (random, n) => ({ f: "put", key: `k${Math.floor(random() * keys)}`, value: `${client}-${n}` });
}

/**
 * Counts the operations of `process` that completed ok, for a liveness condition checked after every step:
 * each call reads only the history events added since the previous one.
 */
export function okCounter(process: string): (view: SimulationView) => number {
  let scanned = 0;
  let ok = 0;
  return (view) => {
    const events = view.history.events();
    for (; scanned < events.length; scanned++) if (events[scanned]!.type === "ok" && events[scanned]!.process === process) ok++;
    return ok;
  };
}
