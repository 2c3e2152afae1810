import { ConfigError } from "../errors.js";
import type { ProbeDeclaration, Scenario } from "./scenario.js";

/** One probe over many seeds: its hits summed, and how many seeds hit it at least once. */
export interface ProbeStats {
  hits: number;
  seeds: number;
}

/** What a sweep's seeds reached: every probe hit or declared, and the declared ones no seed hit. */
export interface ProbeCoverage {
  /** Every probe hit by some seed, and every declared probe (with zeros when never hit), sorted by name. */
  probes: Record<string, ProbeStats>;
  /** Declared probes no seed hit, sorted. */
  neverHit: string[];
  /** The required ones among `neverHit`. */
  requiredNeverHit: string[];
}

/**
 * Adds up the probe hits of many runs. Sums and counts only, so the order the seeds arrive in (workers finish
 * in any order) changes nothing: a sweep on workers gives the in-process coverage.
 */
export class ProbeTally {
  private readonly totals = new Map<string, ProbeStats>();
  private readonly declared: Readonly<Record<string, ProbeDeclaration>>;

  constructor(scenario: Pick<Scenario<any>, "id" | "probes">) {
    this.declared = validateProbeDeclarations(scenario);
  }

  /** Counts one run's hits (as `ScenarioResult.probes` gives them). */
  add(hits: Readonly<Record<string, number>> | undefined): void {
    if (hits === undefined) return;
    for (const name of Object.keys(hits)) {
      const n = hits[name]!;
      if (!(n > 0)) continue;
      const stats = this.totals.get(name);
      if (stats === undefined) this.totals.set(name, { hits: n, seeds: 1 });
      else {
        stats.hits += n;
        stats.seeds++;
      }
    }
  }

  /** The coverage so far. */
  coverage(): ProbeCoverage {
    const names = new Set([...this.totals.keys(), ...Object.keys(this.declared)]);
    const probes: Record<string, ProbeStats> = {};
    for (const name of [...names].sort()) probes[name] = { ...(this.totals.get(name) ?? { hits: 0, seeds: 0 }) };
    const neverHit = Object.keys(this.declared).filter((name) => !this.totals.has(name)).sort();
    return { probes, neverHit, requiredNeverHit: neverHit.filter((name) => this.declared[name]!.required === true) };
  }
}

/** Checks a scenario's probe declarations: each `{ description: string, required?: boolean }`. */
export function validateProbeDeclarations(scenario: Pick<Scenario<any>, "id" | "probes">): Readonly<Record<string, ProbeDeclaration>> {
  const probes = scenario.probes;
  const field = `scenario ${scenario.id}.probes`;
  if (probes === undefined) return {};
  if (probes === null || typeof probes !== "object" || Array.isArray(probes)) throw new ConfigError(field, "must be an object of probe name -> { description, required? }", probes);
  for (const [name, declaration] of Object.entries(probes)) {
    if (name.length === 0) throw new ConfigError(field, "probe names must be non-empty strings", name);
    if (declaration === null || typeof declaration !== "object") throw new ConfigError(`${field}.${name}`, "must be { description, required? }", declaration);
    if (typeof declaration.description !== "string") throw new ConfigError(`${field}.${name}.description`, "must be a string", declaration.description);
    if (declaration.required !== undefined && typeof declaration.required !== "boolean") throw new ConfigError(`${field}.${name}.required`, "must be true or false", declaration.required);
  }
  return probes;
}
