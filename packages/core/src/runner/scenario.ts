import type { Simulation } from "../engine/simulation.js";
import type { MessageClassifier } from "../engine/message-accounting.js";
import type { SimulationView } from "../engine/view.js";
import type { Invariant } from "../invariants/invariant.js";
import type { NetworkConfig } from "../network/config.js";
import type { BehaviorFactory, NodeId } from "../node/behavior.js";
import type { Seed } from "../random/stream.js";
import type { TraceOptions } from "../trace/trace.js";
import type { FaultSchedule } from "../faults/fault.js";
import type { SwarmOptions } from "../faults/generator.js";
import type { ParameterDocs, ParameterValue } from "./parameters.js";
import type { BuggifyOptions } from "../engine/buggify.js";

/** Options every scenario accepts. Protocol scenarios add their own (documented in `Scenario.options`). */
export interface ScenarioOptions {
  /** Planted bugs to switch on (names from `Scenario.bugs`). Off by default: a teaching aid, never for production. */
  bugs?: string[];
  /** Cluster size, where the scenario supports choosing it. */
  nodes?: number;
  [option: string]: unknown;
}

/**
 * Documentation of one scenario option, for `faultline list` and validation. The runner checks every value
 * (given or default) against the type and the rules stated here before the scenario is built, so a bad
 * value is a ConfigError naming the option and the rule, never a puzzling run.
 */
export interface ScenarioOptionDoc {
  description: string;
  default: unknown;
  type: "number" | "string" | "boolean" | "string[]";
  /** Number options: the smallest value allowed. */
  min?: number;
  /** Number options: the largest value allowed. */
  max?: number;
  /** Number options: whole numbers only. @defaultValue false */
  integer?: boolean;
  /**
   * The allowed values: for a string option its values, for a string[] option the values of each item, for a
   * number option its values (e.g. cluster sizes 3, 5, 7).
   */
  values?: readonly (string | number)[];
}

/** The verdict of an end-of-run check (a consistency checker over the history, convergence, ...). */
export type CheckVerdict =
  | { kind: "ok"; checker: string }
  | { kind: "violation"; checker: string; message: string; witness?: unknown }
  | { kind: "unknown"; checker: string; message: string };

/** The liveness phase: after the fault window everything heals, then `progress` must hold within `withinMs`. */
export interface LivenessSpec {
  /** Simulated time the progress condition gets after healing. */
  withinMs: number;
  /** Called once when the liveness phase starts (after healing), e.g. to submit a fresh client write. */
  begin?(sim: Simulation): void;
  /** The progress condition, checked after every step of the liveness phase. */
  progress(view: SimulationView): boolean;
  /** Describes what did not happen, for the failure message. */
  describe?: string;
}

/** What a scenario builds for one seed: a fresh cluster, workload, checks and fault plan. */
export interface ScenarioPlan {
  /** Cluster node ids. */
  nodes: NodeId[];
  /** Builds a node's behaviour (at boot and at every restart). */
  behavior: BehaviorFactory<any>;
  network?: NetworkConfig;
  trace?: TraceOptions;
  /**
   * Names a message's type for the simulation's message accounting (`sim.messages`, `messages_*_total`).
   * @defaultValue the message's `type` field when it is a string, else "unknown"
   */
  messageType?: MessageClassifier;
  /** The fault plan: swarm options (drawn from the seed's "faults" stream), an explicit schedule, or none. */
  faults?: { swarm: SwarmOptions } | { schedule: FaultSchedule };
  /** Length of the safety phase (faults and workload), simulated ms. */
  durationMs: number;
  /** Invariants, created fresh for this run. */
  invariants?: Invariant<any>[];
  /** Adds clients, hooks or anything else to the simulation before it starts. */
  setup?(sim: Simulation): void;
  liveness?: LivenessSpec;
  /** End-of-run checks (history checkers, convergence). A violation is a safety outcome. */
  checks?: Array<(sim: Simulation) => CheckVerdict>;
  /** Step bound for the whole run. @defaultValue 20,000,000 */
  maxSteps?: number;
  /**
   * The protocol parameters this seed's build drew (the parameter swarm: `drawParameters(seed, scenario.parameters,
   * options)`), by name. Recorded in the result and the failure report, so a reader sees the knobs a failure ran
   * with; a replay draws them again from the same seed and options. @defaultValue none
   */
  parameters?: Record<string, ParameterValue>;
  /**
   * Buggify for this run (`ctx.buggify(name)`): which marks are enabled is drawn per seed and recorded in the
   * result and the report. @defaultValue off
   */
  buggify?: BuggifyOptions;
}

/** A coverage probe a scenario declares: what reaching it means, and whether a sweep must reach it. */
export interface ProbeDeclaration {
  description: string;
  /** A sweep whose seeds never hit this probe says so ("REQUIRED probe never hit"). @defaultValue false */
  required?: boolean;
}

/**
 * A named recipe: (seed, options) -> a simulation plan. Protocol packages export a catalogue of these as
 * `scenarios`; users write their own.
 */
export interface Scenario<O extends ScenarioOptions = ScenarioOptions> {
  /** Catalogue key, e.g. "raft-swarm". */
  id: string;
  description: string;
  /** Planted bugs this scenario accepts in `options.bugs`, with what each one breaks. */
  bugs?: Readonly<Record<string, string>>;
  /** Documented options with defaults. */
  options?: Readonly<Record<string, ScenarioOptionDoc>>;
  /**
   * The protocol knobs this scenario's build draws per seed within their legal ranges (with `drawParameters`),
   * as `faultline list` shows them. The drawn values go in `ScenarioPlan.parameters`.
   */
  parameters?: ParameterDocs;
  /**
   * The coverage probes (`ctx.probe(name)`) this scenario's seeds should reach. A sweep lists the declared
   * probes no seed hit, and flags the required ones.
   */
  probes?: Readonly<Record<string, ProbeDeclaration>>;
  /** Builds a fresh plan for one run. Must be deterministic in (seed, options). */
  build(seed: Seed, options: O): ScenarioPlan;
}

/** A catalogue of scenarios keyed by id, as exported by a protocol package. */
export type ScenarioCatalogue = Readonly<Record<string, Scenario<any>>>;

/** Defines a scenario with type inference (identity function). */
export function defineScenario<O extends ScenarioOptions>(scenario: Scenario<O>): Scenario<O> {
  return scenario;
}
