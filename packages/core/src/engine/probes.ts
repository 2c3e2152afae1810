import { ConfigError } from "../errors.js";

/**
 * Coverage probes (FoundationDB's code probes, TigerBeetle's coverage marks): protocol code calls
 * `ctx.probe(name)` where it reaches an interesting state ("committed an entry of an earlier term
 * indirectly"), and a sweep reports which probes its seeds reached, and which they never did. A hit is a
 * counter increment: no trace event, no random draw, so probes never change a run or its trace hash.
 */
export interface ProbeCounts {
  /** Hits of the named probe so far in this run (0 when never hit). */
  count(name: string): number;
  /** Every probe hit so far, with its hits, sorted by name. */
  hits(): Record<string, number>;
}

/** The most distinct probe names one run may hit (a name built from changing data would grow without bound). */
export const MAX_PROBES = 10_000;

/** The per-run probe counters. Internal: the engine counts, readers see {@link ProbeCounts}. */
export class ProbeCounter implements ProbeCounts {
  private readonly counts = new Map<string, number>();

  /** Counts one hit of `name`. */
  hit(name: string): void {
    const n = this.counts.get(name);
    if (n !== undefined) {
      this.counts.set(name, n + 1);
      return;
    }
    if (this.counts.size >= MAX_PROBES) throw new ConfigError("probe(name)", `a run hits at most ${MAX_PROBES} distinct probes`, name);
    this.counts.set(name, 1);
  }

  count(name: string): number {
    return this.counts.get(name) ?? 0;
  }

  hits(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const name of [...this.counts.keys()].sort()) out[name] = this.counts.get(name)!;
    return out;
  }
}
