import { ConfigError } from "../errors.js";
import { engineOf, Simulation } from "../engine/simulation.js";
import type { RunOutcome } from "../engine/outcome.js";
import type { FaultSchedule } from "../faults/fault.js";
import { generateSchedule, type SwarmProfile } from "../faults/generator.js";
import { validateSchedule } from "../faults/validate.js";
import { validateSeed, RandomStream, type Seed } from "../random/stream.js";
import type { TraceOptions } from "../trace/trace.js";
import { msToUs } from "../time.js";
import { callUser, crashDetails, UserCodeError } from "../engine/user-code.js";
import { resolveScenarioOptions } from "./options.js";
import type { ParameterValue } from "./parameters.js";
import type { CheckVerdict, Scenario, ScenarioOptions, ScenarioPlan } from "./scenario.js";
import type { SimulationView } from "../engine/view.js";
import { resolveBuggifyOptions, type BuggifyOptions, type BuggifyRecord } from "../engine/buggify.js";

/** Options of {@link runScenario}. */
export interface RunScenarioOptions {
  seed: Seed;
  /** Scenario options (validated; strings are coerced to the documented types). */
  options?: Record<string, unknown>;
  /** Replaces the plan's fault schedule (replay, shrinking, property tests). */
  schedule?: FaultSchedule;
  /**
   * Trace options laid over the plan's, field by field (full retention for viewers and determinism
   * checks; a report's own options for a replay).
   */
  trace?: TraceOptions;
  /** Called with the simulation before it starts (attach listeners, extra invariants). */
  onSimulation?(sim: Simulation): void;
  /** Replaces the plan's buggify options (a report's replay, shrinking, a focused test). */
  buggify?: BuggifyOptions;
}

/** The result of one scenario run. */
export interface ScenarioResult {
  scenario: string;
  seed: Seed;
  options: ScenarioOptions;
  /** The fault schedule that ran (generated or given). */
  schedule: FaultSchedule;
  /** The swarm draw, when the schedule was generated. */
  profile?: SwarmProfile;
  /** The protocol parameters the scenario's build drew for this seed (`ScenarioPlan.parameters`), when it drew any. */
  parameters?: Record<string, ParameterValue>;
  outcome: RunOutcome;
  /** End-of-run check verdicts. */
  verdicts: CheckVerdict[];
  /** Simulated milliseconds covered. */
  simulatedMs: number;
  /** The simulation, for inspection (trace, metrics, history). */
  simulation: Simulation;
  /** Buggify in this run: the options in force and every mark evaluated, with whether it was enabled. */
  buggify: BuggifyRecord;
  /** Coverage probes hit in this run, with their hits, sorted by name. */
  probes: Record<string, number>;
}

/**
 * Runs one seed of a scenario: the safety phase (faults + workload, invariants after every step), then the
 * liveness phase (faults stop: the schedule's entries after `durationMs` are not applied; heal everything,
 * restart crashed nodes; progress must follow within the bound), then the end-of-run checks.
 *
 * Never throws for a finding about the seed: protocol failures are outcomes, and so is an exception from
 * the user's code (build, setup, a handler, an invariant, the liveness hooks, a check), a crash outcome
 * naming what threw ("scenario build threw: ..."). Throws ConfigError for bad input (options, a malformed
 * plan, a ConfigError thrown by the scenario's own code).
 */
export function runScenario(scenario: Scenario<any>, run: RunScenarioOptions): ScenarioResult {
  if (scenario === null || typeof scenario !== "object" || typeof scenario.build !== "function") {
    throw new ConfigError("scenario", "must be a Scenario { id, description, build(seed, options) }", scenario);
  }
  const seed = validateSeed(run.seed);
  const options = resolveScenarioOptions(scenario, run.options);
  let plan: ScenarioPlan;
  try {
    plan = callUser("scenario build", () => scenario.build(seed, options));
  } catch (error) {
    if (!(error instanceof UserCodeError)) throw error;
    return buildCrashed(scenario, seed, options, run, error);
  }
  checkPlan(plan, scenario.id);
  const sim = new Simulation({ seed, network: plan.network, trace: { ...plan.trace, ...run.trace }, messageType: plan.messageType, buggify: run.buggify ?? plan.buggify });
  sim.addNodes(plan.nodes, plan.behavior);
  const { schedule, profile } = chooseSchedule(plan, seed, run.schedule);
  // faults stop with the safety phase: a fault timed after it must not strike during the liveness phase
  const safetyEndUs = msToUs(plan.durationMs);
  sim.schedule(schedule.filter((entry) => msToUs(entry.atMs) <= safetyEndUs));
  for (const inv of plan.invariants ?? []) sim.addInvariant(inv);
  // a setup that throws stops the simulation with a crash outcome, which the run below returns at once
  if (plan.setup !== undefined) guarded(sim, () => callUser("scenario setup", () => plan.setup!(sim)));
  run.onSimulation?.(sim);
  checkLinkEndpoints(plan, sim.allIds());

  const maxSteps = plan.maxSteps ?? 20_000_000;
  let outcome = sim.run({ untilMs: plan.durationMs, maxSteps });
  if (outcome.kind === "ok" && plan.liveness !== undefined) {
    const live = guarded(sim, () => livenessPhase(sim, plan, maxSteps - sim.stepCount));
    outcome = live.threw ?? live.value!;
  }
  const verdicts: CheckVerdict[] = [];
  if (outcome.kind === "ok") outcome = runChecks(sim, plan, verdicts) ?? outcome;
  return { scenario: scenario.id, seed, options, schedule, profile, ...(plan.parameters !== undefined ? { parameters: { ...plan.parameters } } : {}), outcome, verdicts, simulatedMs: sim.nowUs / 1000, simulation: sim, ...runRecords(sim) };
}

/** Runs the end-of-run checks in order: the first violation (or a check that throws) is the outcome; undefined when all pass. */
function runChecks(sim: Simulation, plan: ScenarioPlan, verdicts: CheckVerdict[]): RunOutcome | undefined {
  for (const [i, check] of (plan.checks ?? []).entries()) {
    const where = `check #${i + 1}${check.name ? ` (${check.name})` : ""}`;
    const { value: verdict, threw } = guarded(sim, () => callUser(where, () => check(sim)));
    if (threw !== undefined) return threw;
    verdicts.push(verdict!);
    if (verdict!.kind === "violation") return engineOf(sim).outcome("safety", verdict!.message, true, { invariant: verdict!.checker });
  }
  return undefined;
}

/**
 * Scenario code that runs outside the engine's steps (setup, liveness hooks, end-of-run checks) may throw on
 * some seeds only. That is a finding about the seed, as a throwing handler is: `fn` tags it (callUser), and
 * it becomes a crash outcome with a report instead of an exception that would end a whole sweep. Anything
 * else (a ConfigError: bad input; an untagged error: a bug in Faultline) is rethrown.
 */
function guarded<T>(sim: Simulation, fn: () => T): { value?: T; threw?: RunOutcome } {
  try {
    return { value: fn() };
  } catch (error) {
    if (!(error instanceof UserCodeError)) throw error;
    const crash = crashDetails(error.where, error.thrown);
    return { threw: engineOf(sim).outcome("crash", crash.message, true, { error: crash.error }) };
  }
}

/**
 * The result of a seed whose build threw: a crash outcome at step 0, on a simulation with nothing in it
 * (its trace hash is the empty trace's), so a replay reproduces it.
 */
function buildCrashed(scenario: Scenario<any>, seed: Seed, options: ScenarioOptions, run: RunScenarioOptions, error: UserCodeError): ScenarioResult {
  const sim = new Simulation({ seed, trace: run.trace });
  const crash = crashDetails(error.where, error.thrown);
  const outcome = engineOf(sim).outcome("crash", crash.message, true, { error: crash.error });
  return { scenario: scenario.id, seed, options, schedule: [], outcome, verdicts: [], simulatedMs: 0, simulation: sim, ...runRecords(sim) };
}

/** What a run records of buggify and the probes (plain data, for results, reports and sweeps). */
function runRecords(sim: Simulation): Pick<ScenarioResult, "buggify" | "probes"> {
  return { buggify: sim.buggifyRecord(), probes: sim.probes.hits() };
}

function chooseSchedule(plan: ScenarioPlan, seed: Seed, override: FaultSchedule | undefined): { schedule: FaultSchedule; profile?: SwarmProfile } {
  if (override !== undefined) return { schedule: validateSchedule(override, plan.nodes, "schedule") };
  const faults = plan.faults;
  if (faults === undefined) return { schedule: [] };
  if ("schedule" in faults) return { schedule: validateSchedule(faults.schedule, plan.nodes, "plan.faults.schedule") };
  return generateSchedule(new RandomStream(seed, "faults"), plan.nodes, faults.swarm);
}

/** Heals the network (`heal` also ends disconnects), restores links, resumes and restarts every node, then waits for progress. */
function livenessPhase(sim: Simulation, plan: ScenarioPlan, stepsLeft: number): RunOutcome {
  const spec = plan.liveness!;
  engineOf(sim).record({ step: sim.stepCount, timeUs: sim.nowUs, kind: "phase", event: "liveness" });
  // faults stop: a trigger still armed must not strike now (only then, so runs without triggers keep their hashes)
  if (sim.armedTriggers().length !== 0) sim.inject({ kind: "disarm" });
  sim.inject({ kind: "heal" });
  sim.inject({ kind: "restore-links" });
  for (const id of sim.nodeIds) {
    if (sim.isPaused(id)) sim.inject({ kind: "resume", node: id });
    if (sim.status(id) === "crashed") sim.inject({ kind: "restart", node: id });
  }
  if (sim.stopped !== undefined) return sim.stopped;
  if (spec.begin !== undefined) callUser("liveness begin", () => spec.begin!(sim));
  const progress = (view: SimulationView) => callUser("liveness progress", () => spec.progress(view));
  const deadlineMs = sim.nowUs / 1000 + spec.withinMs;
  const outcome = sim.run({ untilMs: deadlineMs, maxSteps: Math.max(1, stepsLeft), until: progress });
  if (outcome.kind !== "ok") return outcome;
  if (progress(sim)) return outcome;
  const what = spec.describe ?? "the progress condition";
  return engineOf(sim).outcome("liveness", `${what} did not hold within ${spec.withinMs} ms after healing (at ${msToUs(deadlineMs) / 1000} ms)`);
}

/** A per-link override naming an id the run does not have is a typo that would otherwise be silently ignored. */
function checkLinkEndpoints(plan: ScenarioPlan, ids: readonly string[]): void {
  const known = new Set(ids);
  for (const key of Object.keys(plan.network?.links ?? {})) {
    const [from, to] = key.split("->") as [string, string];
    const unknown = [from, to].find((id) => !known.has(id));
    if (unknown !== undefined) throw new ConfigError(`network.links.${key}`, "must name node or client ids of the run", unknown);
  }
}

function checkPlan(plan: ScenarioPlan, id: string): void {
  if (plan === null || typeof plan !== "object") throw new ConfigError(`scenario ${id}.build()`, "must return a plan object", plan);
  if (!Array.isArray(plan.nodes) || plan.nodes.length === 0) throw new ConfigError(`scenario ${id}.nodes`, "must be a non-empty array of node ids", plan.nodes);
  if (typeof plan.durationMs !== "number" || !(plan.durationMs > 0)) throw new ConfigError(`scenario ${id}.durationMs`, "must be a number > 0", plan.durationMs);
  const optional = (field: string, ok: (v: any) => boolean, rule: string) => {
    const value = (plan as unknown as Record<string, unknown>)[field];
    if (value !== undefined && !ok(value)) throw new ConfigError(`scenario ${id}.${field}`, rule, value);
  };
  const isObject = (v: unknown) => v !== null && typeof v === "object";
  // isObject is an inferred type predicate (TS 5.5+), so read progress through a record view of v
  optional("liveness", (v) => isObject(v) && typeof (v as Record<string, unknown>).progress === "function", "must be { withinMs, progress(view) }");
  if (plan.liveness !== undefined && !(plan.liveness.withinMs > 0)) throw new ConfigError(`scenario ${id}.liveness.withinMs`, "must be a number > 0", plan.liveness.withinMs);
  optional("faults", (v) => isObject(v) && ("swarm" in v || "schedule" in v), "must be { swarm } or { schedule }");
  // faults after the safety phase never run (see runScenario): a longer swarm window would silently lose its late ones
  const windowMs = plan.faults !== undefined && "swarm" in plan.faults ? plan.faults.swarm?.faultWindowMs : undefined;
  if (typeof windowMs === "number" && windowMs > plan.durationMs) throw new ConfigError(`scenario ${id}.faults.swarm.faultWindowMs`, `must be at most durationMs (${plan.durationMs})`, windowMs);
  optional("maxSteps", (v) => Number.isInteger(v) && v >= 1, "must be an integer >= 1");
  optional("invariants", Array.isArray, "must be an array of invariants");
  optional("checks", (v) => Array.isArray(v) && v.every((c: unknown) => typeof c === "function"), "must be an array of check functions");
  optional("setup", (v) => typeof v === "function", "must be a function (sim) => void");
  const isValue = (v: unknown) => typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));
  optional("parameters", (v) => isObject(v) && !Array.isArray(v) && Object.values(v as object).every(isValue), "must be a record of parameter values (finite numbers, strings, booleans)");
  resolveBuggifyOptions(plan.buggify, `scenario ${id}.buggify`);
}
