import { runScenario } from "@faultline/core";
import { bugs, type PbftBug } from "../../src/bugs.js";
import { scenarios } from "../../src/scenarios/index.js";

/** A planted bug, the scenario and options that hunt it, its measured first catching seed, and the checks allowed to catch it. */
export interface BugCase {
  bug: PbftBug;
  scenario: string;
  options?: Record<string, unknown>;
  /** Seeds 1..seeds: the bug must be caught within them, and the correct PBFT must pass them all. */
  seeds: number;
  caughtBy: readonly string[];
}

/**
 * The first seed at which `faultline hunt @faultline/pbft` catches each bug in its hunting scenario (the package's
 * `bugs` catalogue, with the byzantine behaviour that exposes it), measured. The tests sweep exactly that range,
 * so a change that makes a bug harder to find shows here. Re-measure with the hunt after changing the scenarios,
 * the behaviours or the replica.
 */
const FIRST_CATCH: Record<PbftBug, number> = {
  unmatchedDigest: 2, wrongQuorum: 1, executeOnPrepared: 10, lowestViewCertificate: 18, trustNewView: 7, noNullRequests: 2, acceptFirstReply: 1,
  uncheckedCheckpointDigest: 1,
};

/** Every planted bug with its hunting scenario, options and checks from the catalogue, and its measured seed range. */
export const CASES: BugCase[] = (Object.keys(FIRST_CATCH) as PbftBug[]).map((bug) => ({
  bug, scenario: bugs[bug]!.scenario, options: bugs[bug]!.options, seeds: FIRST_CATCH[bug], caughtBy: bugs[bug]!.caughtBy ?? [],
}));

/** The first seed of 1..c.seeds whose run does not end ok: with `onlySafety`, the first a safety check stops. */
export function firstFailure(c: BugCase, bugList: PbftBug[], onlySafety = false): { seed: number; kind: string; invariant?: string; message: string } | undefined {
  for (let seed = 1; seed <= c.seeds; seed++) {
    const r = runScenario(scenarios[c.scenario]!, { seed, options: { ...c.options, bugs: bugList } });
    if (r.outcome.kind === "ok" || (onlySafety && r.outcome.kind !== "safety")) continue;
    return { seed, kind: r.outcome.kind, invariant: r.outcome.invariant, message: r.outcome.message };
  }
  return undefined;
}
