import type { Seed } from "../random/stream.js";
import type { TraceEvent } from "../trace/events.js";

/** How a run ended. The CLI maps each kind to its own exit code. */
export type OutcomeKind = "ok" | "safety" | "liveness" | "crash" | "budget";

/** The result of a run. Everything needed to say what happened, and where, with the seed to reproduce it. */
export interface RunOutcome {
  kind: OutcomeKind;
  seed: Seed;
  /** Steps run. */
  step: number;
  /** Virtual time at the end, microseconds. */
  timeUs: number;
  /** The running trace hash at the end. */
  traceHash: string;
  /** For safety: the invariant or checker that fired. */
  invariant?: string;
  /** What went wrong (or "ok"). */
  message: string;
  /** For crash: the error's name and stack. */
  error?: { name: string; message: string; stack?: string };
  /** The last retained trace events. */
  traceTail: TraceEvent[];
}
