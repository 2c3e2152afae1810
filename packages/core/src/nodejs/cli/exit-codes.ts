import type { OutcomeKind } from "../../engine/outcome.js";

/**
 * Exit codes of the `faultline` CLI. One per outcome kind, so scripts and CI can tell a safety violation
 * from a liveness failure; 64 is a usage error (EX_USAGE).
 */
export const EXIT_CODES = {
  ok: 0,
  safety: 1,
  liveness: 2,
  crash: 3,
  budget: 4,
  /** A replay that did not reproduce the recorded trace hash, or a nondeterministic scenario. */
  notReproduced: 5,
  /** `sweep --require-probes`: every seed ran ok, but a probe the scenario declares required was never hit. */
  requiredProbeNeverHit: 6,
  usage: 64,
  /** An unexpected internal error (a bug in Faultline). */
  internal: 70,
  /** Interrupted (SIGINT) with no failure found so far. */
  interrupted: 130,
} as const;

/** The exit code for a set of outcome kinds: the most serious failure wins (safety first). */
export function exitCodeFor(kinds: Iterable<OutcomeKind>): number {
  let code: number = EXIT_CODES.ok;
  for (const kind of kinds) {
    const c = EXIT_CODES[kind];
    if (c !== 0 && (code === 0 || c < code)) code = c;
  }
  return code;
}
