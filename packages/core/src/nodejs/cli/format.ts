import { viewCommandFor } from "./cmd-view.js";
import type { OutcomeKind } from "../../engine/outcome.js";
import type { FaultSchedule } from "../../faults/fault.js";
import type { SweepProgress, SweepSummary } from "../sweep.js";
import { displayPath } from "../report-files.js";
import type { CliIo } from "./io.js";

const KINDS: OutcomeKind[] = ["ok", "safety", "liveness", "crash", "budget"];

/** Lays out rows as aligned columns. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ").trimEnd()).join("\n") + "\n";
}

/**
 * A progress display: a redrawn bar on a terminal, otherwise a plain line at most every 2 s (and at the end),
 * so CI logs stay short.
 */
export function progressPrinter(io: CliIo, label: string): { update(p: SweepProgress): void; end(): void } {
  let lastMs = -Infinity;
  let drawn = false;
  const line = (p: SweepProgress) => {
    const rate = p.elapsedMs > 0 ? (p.done * 1000) / p.elapsedMs : 0;
    return `${p.done}/${p.total} seeds, ${p.failures} failing, ${rate.toFixed(0)} seeds/s`;
  };
  return {
    update(p) {
      const now = p.elapsedMs;
      if (io.isTTY) {
        if (now - lastMs < 100 && p.done !== p.total) return;
        lastMs = now;
        const width = 30;
        const filled = Math.round((p.done / Math.max(1, p.total)) * width);
        io.err(`\r${label} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${line(p)}\x1b[K`);
        drawn = true;
        return;
      }
      if (now - lastMs < 2000 && p.done !== p.total) return;
      lastMs = now;
      io.err(`${label}: ${line(p)}\n`);
    },
    end() {
      if (drawn) io.err("\n");
    },
  };
}

/** The human-readable summary of a sweep. */
export function formatSummary(s: SweepSummary): string {
  const head = table([
    ["scenario", s.scenario + (s.module !== undefined ? `  (${s.module})` : "")],
    ["seeds", `${s.seeds} run of ${s.requested} (from ${s.from}${s.shard !== undefined ? `, shard ${s.shard}` : ""})${s.interrupted ? "  INTERRUPTED" : ""}`],
    ["speed", `${s.seedsPerSec} seeds/s, ${s.simSecondsPerWallSecond} simulated s per wall s, ${s.workers} worker${s.workers === 1 ? "" : "s"}, ${(s.wallMs / 1000).toFixed(1)} s`],
  ]);
  const outcomes = table([["outcome", "seeds"], ...KINDS.map((k) => [k, String(s.outcomes[k])])]);
  let text = `${head}\n${outcomes}`;
  if (s.failures.length > 0) {
    const shown = s.failures.slice(0, 10);
    text += `\nfailures${s.failures.length > shown.length ? ` (first ${shown.length} of ${s.failures.length})` : ""}:\n`;
    text += table([["seed", "kind", "what", "report"], ...shown.map((f) => [String(f.seed), f.kind, clip(f.invariant ?? f.message, 60), f.report !== undefined ? displayPath(f.report) : "-"])]);
    for (const f of shown) if (f.report !== undefined) text += `view seed ${f.seed}: ${viewCommandFor(displayPath(f.report))}\n`;
  }
  return text + formatProbes(s);
}

/**
 * The probe coverage of a sweep: hits and seeds per probe, then the declared probes no seed hit, with the
 * required ones marked so they stand out. Empty when the scenario declares no probe and none was hit.
 */
export function formatProbes(s: Pick<SweepSummary, "probes" | "neverHit" | "requiredNeverHit">): string {
  const names = Object.keys(s.probes);
  if (names.length === 0) return "";
  const required = new Set(s.requiredNeverHit);
  const rows = names.map((name) => {
    const p = s.probes[name]!;
    return [name, String(p.hits), String(p.seeds), required.has(name) ? "REQUIRED, never hit" : p.hits === 0 ? "never hit" : ""];
  });
  let text = `\nprobes:\n${table([["probe", "hits", "seeds", ""], ...rows])}`;
  const optional = s.neverHit.filter((name) => !required.has(name));
  if (optional.length > 0) text += `never hit: ${optional.join(", ")}\n`;
  if (s.requiredNeverHit.length > 0) text += `REQUIRED probe${s.requiredNeverHit.length === 1 ? "" : "s"} never hit: ${s.requiredNeverHit.join(", ")}\n`;
  return text;
}

/** The machine-readable sweep summary, exactly the shape of the CLI contract. */
export function summaryJson(s: SweepSummary): object {
  return {
    scenario: s.scenario, seeds: s.seeds, from: s.from, outcomes: s.outcomes, seedsPerSec: s.seedsPerSec,
    simSecondsPerWallSecond: s.simSecondsPerWallSecond, failures: s.failures.map((f) => ({ seed: f.seed, kind: f.kind, report: f.report ?? null })),
    probes: s.probes, neverHit: s.neverHit, requiredNeverHit: s.requiredNeverHit,
  };
}

/** A fault schedule, one fault per line. */
export function formatSchedule(schedule: FaultSchedule): string {
  if (schedule.length === 0) return "  (no faults)\n";
  return schedule.map(({ atMs, fault }) => {
    const { kind, ...rest } = fault;
    const args = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(" ");
    return `  ${String(atMs).padStart(6)} ms  ${kind}${args ? ` ${args}` : ""}\n`;
  }).join("");
}

function clip(text: string, n: number): string {
  return text.length <= n ? text : `${text.slice(0, n - 1)}…`;
}
