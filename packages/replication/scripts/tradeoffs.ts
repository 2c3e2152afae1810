/**
 * Builds the trade-off tables of docs/replication.md from simulation output, and writes them into the page
 * between its `<!-- tradeoffs:begin -->` and `<!-- tradeoffs:end -->` markers (or prints them with --print).
 *
 *   npx tsx --conditions=@faultline/source packages/replication/scripts/tradeoffs.ts [--print]
 *
 * Everything is computed from seeded simulations and deterministic hashing, so the tables are the same on
 * every machine (a test holds the page to them).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { runScenario, type FaultSchedule } from "@faultline/core";
import { ConsistentHashRing } from "../src/partitioning/consistent-hash-ring.js";
import { DirectoryPartitioner } from "../src/partitioning/directory-partitioner.js";
import { RangePartitioner } from "../src/partitioning/range-partitioner.js";
import { keysMoved, loadBalance, type Placement } from "../src/partitioning/rebalance.js";
import { recordPrimaryBackup, type PbMeasurement } from "../src/primary-backup/measure.js";
import { scenarios } from "../src/scenarios/index.js";

/** The failure model every mode runs under: the primary cut off from the cluster (clients still reach it), then a backup crash. */
export const FAILURE_MODEL: FaultSchedule = [
  { atMs: 1000, fault: { kind: "disconnect", node: "n1" } },
  { atMs: 3000, fault: { kind: "connect", node: "n1" } },
  { atMs: 4000, fault: { kind: "crash", node: "n3" } },
  { atMs: 5000, fault: { kind: "restart", node: "n3" } },
];
export const FAILURE_MODEL_TEXT =
  "3 replicas and a failover monitor, 3 clients writing; at 1 s the primary is cut off from the other nodes for 2 s (clients still reach it), at 4 s a backup crashes for 1 s";

const MODES = [
  { label: "sync", scenario: "replication-sync", options: {} },
  { label: "semi-sync (k = 1)", scenario: "replication-semisync", options: { acks: 1 } },
  { label: "async", scenario: "replication-async-failover", options: {} },
] as const;

/** Seeds per mode. */
export const SEEDS = 8;

function measureMode(scenario: string, options: Record<string, unknown>, seed: number): PbMeasurement {
  let recorder: ReturnType<typeof recordPrimaryBackup> | undefined;
  const r = runScenario(scenarios[scenario]!, {
    seed, schedule: FAILURE_MODEL, options: { ...options, parameterSwarm: false, buggify: false },
    onSimulation: (sim) => void (recorder = recordPrimaryBackup(sim, ["n1", "n2", "n3"])),
  });
  if (r.outcome.kind !== "ok") throw new Error(`${scenario} seed ${seed} did not pass: ${r.outcome.message}`);
  return recorder!.measure(6000);
}

const fmt = (x: number, digits = 1) => x.toFixed(digits);
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

/** The replication table: latency vs RPO vs availability per mode, over SEEDS seeds of the failure model. */
export function replicationTable(seeds = SEEDS): string {
  const rows = MODES.map(({ label, scenario, options }) => {
    const runs = Array.from({ length: seeds }, (_, i) => measureMode(scenario, options, i + 1));
    const lags = runs.flatMap((m) => Object.values(m.lagSeconds));
    const cells = [
      fmt(mean(runs.map((m) => m.latencyMs.p50))), fmt(mean(runs.map((m) => m.latencyMs.p99))),
      `${fmt(100 * mean(runs.map((m) => m.availability)))}%`, fmt(mean(runs.map((m) => m.longestStallMs)), 0),
      fmt(mean(runs.map((m) => m.lostWrites))), fmt(Math.max(...runs.map((m) => m.rpoMs)), 0),
      fmt(1000 * mean(lags.map((l) => l.mean))), fmt(1000 * Math.max(...lags.map((l) => l.max)), 0),
    ];
    return `| ${label} | ${cells.join(" | ")} |`;
  });
  return [
    "| mode | write latency p50 (ms) | p99 (ms) | writes acknowledged within 1 s | longest stall (ms) | acknowledged writes lost per run | worst RPO (ms) | follower lag, mean (ms) | max (ms) |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

const KEYS = Array.from({ length: 10_000 }, (_, i) => `user:${String(i).padStart(5, "0")}`);

interface Scheme {
  label: string;
  /** Builds the scheme over `nodes` and returns its placement and a membership-change hook. */
  build(nodes: string[]): { placement(): Placement; add(node: string): void; remove(node: string): void; lookup(key: string): string };
}

const SCHEMES: Scheme[] = [
  ...[1, 16, 128].map((v): Scheme => ({
    label: `consistent hashing, ${v} virtual node${v === 1 ? "" : "s"}`,
    build(nodes) {
      const ring = new ConsistentHashRing({ virtualNodes: v, nodes });
      return {
        lookup: (k) => ring.nodeFor(k),
        placement: () => { const frozen = new Map(KEYS.map((k) => [k, ring.nodeFor(k)])); return (k) => frozen.get(k)!; },
        add: (n) => ring.addNode(n), remove: (n) => ring.removeNode(n),
      };
    },
  })),
  {
    label: "range partitioning (quantile splits, load-driven moves)",
    build(nodes) {
      const p = new RangePartitioner({ nodes, splitPoints: RangePartitioner.quantiles(KEYS, nodes.length * 2) });
      for (const k of KEYS) p.recordAccess(k);
      return { lookup: (k) => p.nodeFor(k), placement: () => p.placement(), add: (n) => void p.addNode(n), remove: (n) => void p.removeNode(n) };
    },
  },
  {
    label: "directory (256 buckets)",
    build(nodes) {
      const d = new DirectoryPartitioner({ nodes, buckets: 256 });
      return { lookup: (k) => d.nodeFor(k), placement: () => d.placement(), add: (n) => void d.addNode(n), remove: (n) => void d.removeNode(n) };
    },
  },
];

/** The partitioning table: keys moved per membership change and the balance, for each scheme. */
export function partitioningTable(): string {
  const rows = SCHEMES.map((scheme) => {
    const s = scheme.build(["a", "b", "c"]);
    const before = s.placement();
    s.add("d");
    const added = keysMoved(KEYS, before, s.lookup);
    const balance = loadBalance(KEYS, ["a", "b", "c", "d"], s.lookup).maxOverMean;
    const beforeRemove = s.placement();
    s.remove("b");
    const removed = keysMoved(KEYS, beforeRemove, s.lookup);
    const onlyMoved = Object.keys(removed.byMove).every((pair) => pair.startsWith("b->"));
    return `| ${scheme.label} | ${fmt(100 * added.movedFraction)}% | ${fmt(100 * removed.movedFraction)}%${onlyMoved ? "" : " (not only b's)"} | ${fmt(balance, 2)} |`;
  });
  return [
    "| scheme | keys moved adding a 4th node to 3 (ideal 25%) | keys moved removing node b of 4 (b's keys only) | balance with 4 nodes (max/mean keys) |",
    "|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/** Balance against the number of virtual nodes (consistent hashing, 5 nodes, 10,000 keys). */
export function virtualNodesTable(): string {
  const nodes = ["a", "b", "c", "d", "e"];
  const cells = [1, 4, 16, 64, 256].map((v) => {
    const ring = new ConsistentHashRing({ virtualNodes: v, nodes });
    return [v, loadBalance(KEYS, nodes, (k) => ring.nodeFor(k)).maxOverMean] as const;
  });
  return [`| virtual nodes per node | ${cells.map(([v]) => v).join(" | ")} |`, `|---|${cells.map(() => "---").join("|")}|`, `| max/mean keys per node | ${cells.map(([, b]) => fmt(b, 2)).join(" | ")} |`].join("\n");
}

/** Everything between the page's markers. */
export function tradeoffSection(seeds = SEEDS): string {
  return [
    `Failure model: ${FAILURE_MODEL_TEXT}; ${seeds} seeds per mode, fixed knobs (no parameter swarm, no buggify).`,
    "",
    replicationTable(seeds),
    "",
    "Partitioning, 10,000 keys:",
    "",
    partitioningTable(),
    "",
    virtualNodesTable(),
  ].join("\n");
}

const BEGIN = "<!-- tradeoffs:begin -->";
const END = "<!-- tradeoffs:end -->";

/** The page's text with its tables replaced by `section`. */
export function withSection(page: string, section: string): string {
  const start = page.indexOf(BEGIN);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`the page has no ${BEGIN} ... ${END} markers`);
  return `${page.slice(0, start + BEGIN.length)}\n${section}\n${page.slice(end)}`;
}

/** The tables as the page holds them now. */
export function sectionOf(page: string): string {
  return page.slice(page.indexOf(BEGIN) + BEGIN.length, page.indexOf(END)).trim();
}

export const PAGE = resolve(import.meta.dirname, "../../../docs/replication.md");

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const section = tradeoffSection();
  if (process.argv.includes("--print")) console.log(section);
  else {
    writeFileSync(PAGE, withSection(readFileSync(PAGE, "utf8"), section));
    console.log(`wrote the trade-off tables into ${PAGE}`);
  }
}
