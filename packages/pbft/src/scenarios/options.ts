import { ConfigError, byzantineTolerance, type ScenarioOptionDoc, type ScenarioOptions } from "@faultline/core";
import { PBFT_BUGS, type PbftBug } from "../bugs.js";
import { PBFT_BYZANTINE_BEHAVIOR_NAMES, type PbftByzantineBehavior } from "../node/byzantine.js";

/** Options every PBFT scenario accepts (besides `bugs`). */
export interface PbftScenarioOptions extends ScenarioOptions {
  /** Cluster size: 4, 7 or 10 (n = 3f+1). */
  nodes?: number;
  /** Client processes writing and reading. */
  clients?: number;
  /** The byzantine behaviours the scenario draws from. */
  behaviors?: string[];
  /** Exploration scenarios: draw PBFT's knobs per seed (PBFT_PARAMETERS); explicit options win. */
  parameterSwarm?: boolean;
  /** Exploration scenarios: turn on buggify (the marks of PBFT_BUGGIFY_MARKS, a random subset per seed). */
  buggify?: boolean;
  /** K: sequence numbers between checkpoints (drawn per seed when parameterSwarm is on). */
  checkpointInterval?: number;
}

/** The option documentation shared by every PBFT scenario, with its defaults. */
export function commonOptionDocs(defaults: { nodes?: number; clients?: number } = {}): Record<string, ScenarioOptionDoc> {
  return {
    nodes: { description: "cluster size n = 3f+1: 4, 7 or 10", default: defaults.nodes ?? 4, type: "number", values: [4, 7, 10] },
    clients: { description: "client processes running a read/write/cas workload (1 to 10)", default: defaults.clients ?? 3, type: "number", integer: true, min: 1, max: 10 },
    checkpointInterval: { description: "K: sequence numbers between checkpoints", default: 8, type: "number", integer: true, min: 1, max: 1000 },
  };
}

/** The doc of `behaviors`, for the scenarios that draw byzantine behaviours. */
export function behaviorsDoc(defaults: readonly string[] = PBFT_BYZANTINE_BEHAVIOR_NAMES): ScenarioOptionDoc {
  return { description: "the byzantine behaviours the scenario draws from", default: [...defaults], type: "string[]", values: PBFT_BYZANTINE_BEHAVIOR_NAMES };
}

/** The docs of an exploration scenario: the common ones, `behaviors`, the knobs without a default (drawn), and the two switches. */
export function exploreOptionDocs(defaults: { nodes?: number; clients?: number; behaviors?: readonly string[] } = {}): Record<string, ScenarioOptionDoc> {
  const docs = commonOptionDocs(defaults);
  docs.behaviors = behaviorsDoc(defaults.behaviors);
  docs.checkpointInterval = { ...docs.checkpointInterval!, default: undefined, description: "K: sequence numbers between checkpoints (drawn per seed when parameterSwarm is on, else 8)" };
  docs.parameterSwarm = { description: "draw PBFT's knobs per seed within their legal ranges (checkpoint interval, window, timeouts)", default: true, type: "boolean" };
  docs.buggify = { description: "buggify: each seed enables a random subset of PBFT's marks of legal but rare behaviour", default: true, type: "boolean" };
  return docs;
}

/** The cluster size, validated. @throws ConfigError */
export function clusterSize(options: PbftScenarioOptions): number {
  const n = options.nodes ?? 4;
  if (n !== 4 && n !== 7 && n !== 10) throw new ConfigError("options.nodes", "must be 4, 7 or 10 (n = 3f+1)", n);
  return n;
}

/** f for n = 3f+1. */
export function tolerance(n: number): number {
  return byzantineTolerance(n);
}

/** The client count, validated. @throws ConfigError */
export function clientCount(options: PbftScenarioOptions): number {
  const c = options.clients ?? 3;
  if (!Number.isInteger(c) || c < 0 || c > 10) throw new ConfigError("options.clients", "must be an integer from 0 to 10", c);
  return c;
}

/** The planted bugs of the options (validated against the catalogue by the runner). */
export function bugList(options: PbftScenarioOptions): PbftBug[] {
  return (options.bugs ?? []).filter((b): b is PbftBug => Object.prototype.hasOwnProperty.call(PBFT_BUGS, b));
}

/** The byzantine behaviours of the options (validated by the runner against the docs' values). */
export function behaviorList(options: PbftScenarioOptions, fallback: readonly PbftByzantineBehavior[] = PBFT_BYZANTINE_BEHAVIOR_NAMES): PbftByzantineBehavior[] {
  const list = (options.behaviors ?? fallback).filter((b): b is PbftByzantineBehavior => (PBFT_BYZANTINE_BEHAVIOR_NAMES as readonly string[]).includes(b));
  if (list.length === 0) throw new ConfigError("options.behaviors", "must name at least one byzantine behaviour", options.behaviors);
  return list;
}
