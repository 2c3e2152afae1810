import { ConfigError } from "../errors.js";
import { endingFault, type Fault, type FaultSchedule, type ScheduledFault } from "../faults/fault.js";
import type { RunOutcome } from "../engine/outcome.js";
import type { Seed } from "../random/stream.js";
import { runScenario } from "./run-scenario.js";
import { makeReport, parseReport, ReportError, type FailureReport } from "./report.js";
import type { Scenario, ScenarioCatalogue } from "./scenario.js";
import { buggifyOptionsOf, type BuggifyOptions, type BuggifyRecord } from "../engine/buggify.js";

/** Options of {@link shrinkSchedule}. */
export interface ShrinkOptions {
  /** The most scenario runs the shrinker may spend. @defaultValue 300 */
  maxRuns?: number;
  /** Called after every run (for progress displays). */
  onRun?(runs: number, faults: number): void;
  /**
   * Once the schedule is minimal, try turning each buggify mark the run enabled off, one at a time (forced
   * off), keeping each that the failure does not need. Costs a run per enabled mark; nothing when buggify is off.
   * @defaultValue true
   */
  shrinkMarks?: boolean;
  /**
   * Which failures count as the same failure while shrinking. A chaotic run seldom fails in exactly the same
   * way once a fault is gone; a caller that knows several checks catch the same mistake (a planted bug's
   * `caughtBy`) may accept any of them, and shrinks further. @defaultValue the same kind and, for safety, the same invariant
   */
  accept?(outcome: RunOutcome, first: RunOutcome): boolean;
}

/** Size of a failing run: faults in its schedule, trace events and steps up to the failure. */
export interface RunSize {
  faults: number;
  events: number;
  steps: number;
}

/** The result of shrinking one failing run. */
export interface ShrinkResult {
  schedule: FaultSchedule;
  outcome: RunOutcome;
  before: RunSize;
  after: RunSize;
  /** Scenario runs spent. */
  runs: number;
  /** Whether the run budget ran out before no smaller failing schedule could be found. */
  exhausted: boolean;
  /**
   * The buggify options of the shrunk run, when buggify was on: the run's own, with the marks the failure
   * does not need forced off. The schedule alone (with the seed's marks) also fails: it was shrunk first.
   */
  buggify?: BuggifyOptions;
}

/** A unit of a schedule: a fault and, for faults that end, the fault that ends it (crash/restart, ...). */
interface FaultUnit {
  start: ScheduledFault;
  end?: ScheduledFault;
}

/**
 * Shrinks the fault schedule of a failing run with the seed and options fixed. The failure must keep its
 * kind (and, for safety, its invariant). Passes, repeated to a fixed point within the run budget:
 * 1. drop whole units (a crash with its restart, a partition with its heal) in halving chunks;
 * 2. shorten units (move the ending fault halfway towards the start; halve a trigger's `endsAfterMs`: a
 *    trigger is one unit with the fault it arms);
 * 3. make link faults milder (halve loss, duplication, reordering and added latency);
 * then, once, 4. force off each buggify mark the run enabled that the failure does not need (`shrinkMarks`).
 * Deterministic: the same input always shrinks to the same schedule.
 */
export function shrinkSchedule(
  scenario: Scenario<any>, run: { seed: Seed; options?: Record<string, unknown>; schedule: FaultSchedule; buggify?: BuggifyOptions }, options: ShrinkOptions = {},
): ShrinkResult {
  const maxRuns = options.maxRuns ?? 300;
  if (!Number.isInteger(maxRuns) || maxRuns < 1 || maxRuns > 100_000) throw new ConfigError("shrink.maxRuns", "must be an integer from 1 to 100,000", maxRuns);
  let buggify = run.buggify;
  const first = runScenario(scenario, { seed: run.seed, options: run.options, schedule: run.schedule, buggify });
  if (first.outcome.kind === "ok") throw new ConfigError("shrink.schedule", "the run does not fail: nothing to shrink", first.outcome.traceHash);
  if (options.accept !== undefined && typeof options.accept !== "function") throw new ConfigError("shrink.accept", "must be a function (outcome, first) => boolean", options.accept);
  const target = { kind: first.outcome.kind, invariant: first.outcome.invariant };
  let runs = 1;
  let best = { units: toUnits(first.schedule), outcome: first.outcome, events: first.simulation.trace.count };
  const before: RunSize = { faults: first.schedule.length, events: best.events, steps: first.outcome.step };

  /** Runs a candidate; adopts it when it fails the same way. */
  const attempt = (units: FaultUnit[], marks = buggify): boolean => {
    if (runs >= maxRuns) return false;
    runs++;
    const r = runScenario(scenario, { seed: run.seed, options: run.options, schedule: fromUnits(units), buggify: marks });
    options.onRun?.(runs, r.schedule.length);
    const same = options.accept !== undefined ? options.accept(r.outcome, first.outcome) : r.outcome.kind === target.kind && r.outcome.invariant === target.invariant;
    if (same) {
      best = { units, outcome: r.outcome, events: r.simulation.trace.count };
      buggify = marks;
    }
    return same;
  };

  // faults that start after the failure cannot have caused it: try without all of them at once
  const failedAtMs = first.outcome.timeUs / 1000;
  const earlier = best.units.filter((u) => u.start.atMs <= failedAtMs);
  if (earlier.length < best.units.length) attempt(earlier);
  for (let round = 0; round < 20 && runs < maxRuns; round++) {
    const size = scheduleWeight(best.units);
    dropUnits(() => best.units, attempt);
    shortenUnits(() => best.units, attempt);
    shortenTriggers(() => best.units, attempt);
    softenLinks(() => best.units, attempt);
    // stuck: no single unit can go. In a chaotic run two faults often matter only together (one shifts the
    // timing the other relied on), so try every pair once while the schedule is small enough to afford it
    if (scheduleWeight(best.units) >= size && !dropPairs(() => best.units, attempt)) break;
  }
  if (options.shrinkMarks !== false) dropMarks(first.buggify, (marks) => attempt(best.units, marks));
  const schedule = fromUnits(best.units);
  return {
    schedule, outcome: best.outcome, before,
    after: { faults: schedule.length, events: best.events, steps: best.outcome.step },
    runs, exhausted: runs >= maxRuns, ...(first.buggify.enabled ? { buggify: buggify ?? buggifyOptionsOf(first.buggify) } : {}),
  };
}

/**
 * Forces the run's enabled buggify marks off one at a time, in name order, keeping each change under which
 * the run still fails the same way. Starts from the run's own options (its probabilities and forced marks).
 */
function dropMarks(record: BuggifyRecord, attempt: (marks: BuggifyOptions) => boolean): void {
  if (!record.enabled) return;
  let current = buggifyOptionsOf(record);
  for (const name of Object.keys(record.marks)) {
    if (!record.marks[name]) continue;
    const candidate = { ...current, marks: { ...current.marks, [name]: false } };
    if (attempt(candidate)) current = candidate;
  }
}

/** The result of {@link shrinkReport}: the shrunk report (replayable) and the shrink statistics. */
export interface ShrinkReportResult extends ShrinkResult {
  report: FailureReport;
}

/**
 * Shrinks a failure report's schedule and returns a new report for the shrunk run (same scenario, seed and
 * options). The report is validated first: a damaged report is refused before anything runs.
 */
export function shrinkReport(report: FailureReport | string, scenarios: ScenarioCatalogue | Scenario<any>, options: ShrinkOptions = {}): ShrinkReportResult {
  const parsed = parseReport(report);
  const scenario = "build" in scenarios ? (scenarios as Scenario<any>) : (scenarios as ScenarioCatalogue)[parsed.scenario];
  if (scenario === undefined || scenario.id !== parsed.scenario) throw new ReportError(`scenario ${JSON.stringify(parsed.scenario)} is not in the given catalogue`);
  const buggify = parsed.buggify !== undefined ? buggifyOptionsOf(parsed.buggify) : undefined;
  const result = shrinkSchedule(scenario, { seed: parsed.seed, options: parsed.options, schedule: parsed.schedule, buggify }, options);
  const rerun = runScenario(scenario, { seed: parsed.seed, options: parsed.options, schedule: result.schedule, buggify: result.buggify });
  const shrunk = makeReport(rerun, parsed.module);
  delete shrunk.profile;
  return { ...result, report: shrunk };
}

// ------------------------------------------------------------------ passes

type Attempt = (units: FaultUnit[]) => boolean;

/** Drops chunks of units, from half the schedule down to single units (a bounded ddmin). */
function dropUnits(current: () => FaultUnit[], attempt: Attempt): void {
  for (let chunk = Math.max(1, Math.floor(current().length / 2)); chunk >= 1; chunk = Math.floor(chunk / 2)) {
    // walk from the end: later faults are often the irrelevant ones, and removing them keeps the prefix
    for (let start = current().length - chunk; start >= 0; start -= chunk) {
      const units = current();
      if (start + chunk > units.length) continue;
      attempt([...units.slice(0, start), ...units.slice(start + chunk)]);
    }
    if (chunk === 1) break;
  }
}

/** Most units for which the pair pass runs (n(n-1)/2 runs at most: 190 for 20 units). */
const MAX_UNITS_FOR_PAIRS = 20;

/** Drops any two units together (the first pair that still fails); returns whether one did. */
function dropPairs(current: () => FaultUnit[], attempt: Attempt): boolean {
  const units = current();
  if (units.length < 3 || units.length > MAX_UNITS_FOR_PAIRS) return false;
  for (let i = units.length - 1; i >= 1; i--) {
    for (let j = i - 1; j >= 0; j--) {
      if (attempt(units.filter((_, k) => k !== i && k !== j))) return true;
    }
  }
  return false;
}

/** Moves each unit's end halfway towards its start (up to 4 halvings per unit and round). */
function shortenUnits(current: () => FaultUnit[], attempt: Attempt): void {
  for (let i = 0; i < current().length; i++) {
    for (let halving = 0; halving < 4; halving++) {
      const units = current();
      const unit = units[i]!;
      if (unit.end === undefined) break;
      const span = unit.end.atMs - unit.start.atMs;
      if (span < 2) break;
      const end = { ...unit.end, atMs: unit.start.atMs + Math.floor(span / 2) };
      if (!attempt(replaceAt(units, i, { start: unit.start, end }))) break;
    }
  }
}

/** Halves each trigger's downtime (`endsAfterMs`, down to 1 ms; up to 4 halvings per trigger and round). */
function shortenTriggers(current: () => FaultUnit[], attempt: Attempt): void {
  for (let i = 0; i < current().length; i++) {
    for (let halving = 0; halving < 4; halving++) {
      const unit = current()[i]!;
      const fault = unit.start.fault;
      if (fault.kind !== "trigger" || fault.endsAfterMs === undefined || fault.endsAfterMs < 2) break;
      const shorter = { ...fault, endsAfterMs: Math.floor(fault.endsAfterMs / 2) };
      if (!attempt(replaceAt(current(), i, { start: { atMs: unit.start.atMs, fault: shorter } }))) break;
    }
  }
}

/** Halves the severity of link faults (loss, duplication, reordering, latency). */
function softenLinks(current: () => FaultUnit[], attempt: Attempt): void {
  for (let i = 0; i < current().length; i++) {
    for (let halving = 0; halving < 3; halving++) {
      const units = current();
      const unit = units[i]!;
      const fault = unit.start.fault;
      if (fault.kind !== "link") break;
      const milder = softenLink(fault);
      if (milder === undefined || !attempt(replaceAt(units, i, { start: { atMs: unit.start.atMs, fault: milder }, end: unit.end }))) break;
    }
  }
}

function softenLink(fault: Extract<Fault, { kind: "link" }>): Fault | undefined {
  const link = { ...fault.link };
  let changed = false;
  for (const key of ["lossProbability", "duplicateProbability", "reorderProbability"] as const) {
    const p = link[key];
    if (typeof p === "number" && p > 0.001) {
      link[key] = Math.round((p / 2) * 1000) / 1000;
      changed = true;
    }
  }
  if (link.latency !== undefined && link.latency.kind === "uniform" && link.latency.maxMs > link.latency.minMs + 1) {
    link.latency = { ...link.latency, maxMs: Math.max(link.latency.minMs + 1, Math.floor(link.latency.maxMs / 2)) };
    changed = true;
  }
  return changed ? { ...fault, link } : undefined;
}

// ------------------------------------------------------------------ units

/** Pairs each fault that starts something with the first later fault that ends it. */
function toUnits(schedule: FaultSchedule): FaultUnit[] {
  const units: FaultUnit[] = [];
  const open: FaultUnit[] = [];
  for (const entry of schedule) {
    const opener = open.findIndex((u) => ends(u.start.fault, entry.fault));
    if (opener >= 0) {
      open[opener]!.end = entry;
      open.splice(opener, 1);
      continue;
    }
    const unit: FaultUnit = { start: entry };
    units.push(unit);
    // a trigger is a unit of one entry: the fault it arms, and the end of that fault (endsAfterMs), are inside it
    if (endingFault(entry.fault) !== undefined) open.push(unit);
  }
  return units;
}

function ends(start: Fault, candidate: Fault): boolean {
  const end = endingFault(start);
  if (end === undefined || end.kind !== candidate.kind) return false;
  if ("node" in end && "node" in candidate) return end.node === candidate.node;
  return true;
}

function fromUnits(units: FaultUnit[]): FaultSchedule {
  const flat: ScheduledFault[] = [];
  for (const u of units) {
    flat.push(u.start);
    if (u.end !== undefined) flat.push(u.end);
  }
  return flat.map((e, i) => ({ e, i })).sort((a, b) => a.e.atMs - b.e.atMs || a.i - b.i).map(({ e }) => structuredClone(e));
}

function replaceAt(units: FaultUnit[], i: number, unit: FaultUnit): FaultUnit[] {
  const copy = units.slice();
  copy[i] = unit;
  return copy;
}

/** A measure that every accepted pass step lowers: faults, then total fault duration, then link severity. */
function scheduleWeight(units: FaultUnit[]): number {
  let weight = 0;
  for (const u of units) {
    weight += 1_000_000_000 + (u.end !== undefined ? u.end.atMs - u.start.atMs : 0);
    if (u.start.fault.kind === "trigger") weight += u.start.fault.endsAfterMs ?? 0;
    if (u.start.fault.kind === "link") weight += linkSeverity(u.start.fault.link);
  }
  return weight;
}

function linkSeverity(link: Extract<Fault, { kind: "link" }>["link"]): number {
  const p = (link.lossProbability ?? 0) + (link.duplicateProbability ?? 0) + (link.reorderProbability ?? 0);
  const latencyMs = link.latency !== undefined && link.latency.kind === "uniform" ? link.latency.maxMs : 0;
  return Math.round(p * 1000) + latencyMs;
}
