import fc from "fast-check";
import { ConfigError } from "../errors.js";
import { LINK_FAULT_SCOPES, type Fault, type FaultSchedule, type LinkFaultScope, type ScheduledFault, type TriggerFault } from "../faults/fault.js";
import { DEFAULT_FLAP_DOWN_MS_MAX, type SwarmFaultFamily } from "../faults/generator.js";
import type { NetworkConfig } from "../network/config.js";
import type { NodeId } from "../node/behavior.js";

/** Options of {@link faultScheduleArbitrary}. */
export interface ScheduleArbitraryOptions {
  /** Faults start and end within [0, faultWindowMs). */
  faultWindowMs: number;
  /** The most nodes down (crashed or paused) at once; units that would exceed it are left out. */
  maxDown: number;
  /** Fault families to draw from. @defaultValue crash, pause, partition, isolate, block, loss, latency, duplicate, clock, storage-lose, disconnect */
  families?: readonly SwarmFaultFamily[];
  /** The most fault units (a crash with its restart is one unit). @defaultValue 12 */
  maxUnits?: number;
  /** The longest a unit lasts. @defaultValue a third of the window, at most 3000 ms */
  maxDurationMs?: number;
  /** Which links the loss, latency and duplicate families degrade (as in `SwarmOptions.linkScope`). @defaultValue "all" */
  linkScope?: LinkFaultScope;
  /** Whether the isolate family cuts clients off too (as in `SwarmOptions.isolateClients`). @defaultValue true */
  isolateClients?: boolean;
  /** Message types for the trigger-send and type-delay families (as in `SwarmOptions`); without them those families are left out. */
  triggerMessageTypes?: readonly string[];
  /** Probe names for the trigger-probe family (as in `SwarmOptions`); without them it is left out. */
  triggerProbes?: readonly string[];
  /** The longest a flap keeps its node down (as in `SwarmOptions.flapDownMsMax`). @defaultValue 200 */
  flapDownMsMax?: number;
}

const DEFAULT_FAMILIES: readonly SwarmFaultFamily[] = ["crash", "pause", "partition", "isolate", "block", "loss", "latency", "duplicate", "clock", "storage-lose", "disconnect"];
/**
 * Families in order of increasing severity: fast-check's `oneof` shrinks towards the first. A disconnect
 * cuts less than an isolation (clients still reach the node), so it comes before isolate.
 */
const MILDEST_FIRST: readonly SwarmFaultFamily[] = [
  "latency", "duplicate", "type-delay", "loss", "clock", "storage-lose", "block", "disconnect", "isolate", "partition", "ring",
  "flap", "trigger-probe", "trigger-send", "trigger-sync", "pause", "crash", "storage-corrupt", "byzantine",
];

/** One drawn unit: a fault, when it starts (as a distance from the window's end) and how long it lasts. */
interface FaultUnit {
  /** Distance of the start from the end of the window: shrinks towards 0, so faults shrink later. */
  beforeEndMs: number;
  /** Shrinks towards 1 ms: shorter faults. */
  durationMs: number;
  /** The fault that starts the unit; `ends` says which fault (if any) ends it. */
  fault: Fault;
  ends?: Fault;
  /** A trigger that takes its node down when it fires: the unit's span is split between its arming and its downtime. */
  downMs?: number;
}

/**
 * Fault schedules (the same JSON as {@link FaultSchedule}) that shrink towards fewer, later, shorter and
 * milder faults: the unit list shrinks by dropping units, each start shrinks towards the end of the window,
 * each duration towards 1 ms, probabilities and added latencies towards small values, and each unit towards
 * a milder family. Every schedule respects `maxDown` at every instant and ends its faults inside the window.
 */
export function faultScheduleArbitrary(nodes: readonly NodeId[], options: ScheduleArbitraryOptions): fc.Arbitrary<FaultSchedule> {
  const o = validate(nodes, options);
  const unit = fc.record({
    beforeEndMs: fc.integer({ min: 1, max: o.windowMs }),
    durationMs: fc.integer({ min: 1, max: o.maxDurationMs }),
    drawn: fc.oneof(...o.families.map((f) => familyArbitrary(f, nodes, o))),
  }).map(({ beforeEndMs, durationMs, drawn }): FaultUnit => ({ beforeEndMs, durationMs, ...drawn })); // a flap's own duration wins
  return fc.array(unit, { maxLength: o.maxUnits }).map((units) => toSchedule(units, o.windowMs, o.maxDown));
}

/** Cluster sizes (odd sizes tolerate as many faults as the next even one) shrinking towards `minNodes`. */
export function clusterSizeArbitrary(options: { minNodes?: number; maxNodes?: number } = {}): fc.Arbitrary<number> {
  const min = options.minNodes ?? 3;
  const max = options.maxNodes ?? 7;
  if (!Number.isInteger(min) || min < 1 || !Number.isInteger(max) || max < min || max > 1000) {
    throw new ConfigError("clusterSizeArbitrary", "needs integers 1 <= minNodes <= maxNodes <= 1000", { min, max });
  }
  return fc.integer({ min, max });
}

/** Node ids `n1..nN` for a cluster size. */
export function nodeIdsFor(size: number): NodeId[] {
  return Array.from({ length: size }, (_, i) => `n${i + 1}`);
}

/** Options of {@link networkConfigArbitrary}: the largest values drawn. */
export interface NetworkArbitraryOptions {
  /** @defaultValue 50 */
  latencyMsMax?: number;
  /** @defaultValue 0.1 */
  lossProbabilityMax?: number;
  /** @defaultValue 0.05 */
  duplicateProbabilityMax?: number;
  /** @defaultValue 0.1 */
  reorderProbabilityMax?: number;
  /** The largest reordering delay bound drawn (both `reorderDelayMsMin` and `reorderDelayMsMax` stay within it). @defaultValue 20 */
  reorderDelayMsMax?: number;
}

/**
 * Network configs that shrink towards a calm network: uniform latency shrinking towards 1..2 ms, loss,
 * duplication and reordering shrinking towards 0, and the reordering delay's bounds towards 0. Values are
 * capped by the options.
 */
export function networkConfigArbitrary(options: NetworkArbitraryOptions = {}): fc.Arbitrary<NetworkConfig> {
  const latencyMax = options.latencyMsMax ?? 50;
  const reorderDelayCapMs = options.reorderDelayMsMax ?? 20;
  if (!Number.isInteger(reorderDelayCapMs) || reorderDelayCapMs < 0) throw new ConfigError("networkConfigArbitrary.reorderDelayMsMax", "must be an integer >= 0", reorderDelayCapMs);
  const perMille = (p: number | undefined, fallback: number) => fc.integer({ min: 0, max: Math.round((p ?? fallback) * 1000) }).map((x) => x / 1000);
  return fc.record({
    minMs: fc.integer({ min: 1, max: Math.max(1, Math.floor(latencyMax / 2)) }),
    spreadMs: fc.integer({ min: 1, max: Math.max(1, latencyMax) }),
    loss: perMille(options.lossProbabilityMax, 0.1),
    duplicate: perMille(options.duplicateProbabilityMax, 0.05),
    reorder: perMille(options.reorderProbabilityMax, 0.1),
    reorderMinMs: fc.integer({ min: 0, max: reorderDelayCapMs }),
    reorderSpreadMs: fc.integer({ min: 0, max: reorderDelayCapMs }),
  }).map(({ minMs, spreadMs, loss, duplicate, reorder, reorderMinMs, reorderSpreadMs }) => ({
    default: {
      latency: { kind: "uniform" as const, minMs, maxMs: minMs + spreadMs },
      lossProbability: loss, duplicateProbability: duplicate, reorderProbability: reorder,
      reorderDelayMsMin: reorderMinMs, reorderDelayMsMax: Math.min(reorderDelayCapMs, reorderMinMs + reorderSpreadMs),
    },
  }));
}

type Drawn = { fault: Fault; ends?: Fault; durationMs?: number; downMs?: number };

/** What shapes the drawn faults besides the draws: the options that draw nothing, and what the triggers target. */
interface Shape {
  linkScope: LinkFaultScope;
  isolateClients: boolean;
  triggerMessageTypes: readonly string[];
  triggerProbes: readonly string[];
  flapDownMsMax: number;
}

function familyArbitrary(family: SwarmFaultFamily, nodes: readonly NodeId[], shape: Shape): fc.Arbitrary<Drawn> {
  const node = fc.constantFrom(...nodes);
  const isolate = shape.isolateClients ? {} : { clients: false };
  const scope = shape.linkScope === "cluster" ? { scope: "cluster" as const } : {};
  switch (family) {
    case "crash": return node.map((n) => ({ fault: { kind: "crash", node: n }, ends: { kind: "restart", node: n } }));
    case "pause": return node.map((n) => ({ fault: { kind: "pause", node: n }, ends: { kind: "resume", node: n } }));
    case "isolate": return node.map((n) => ({ fault: { kind: "isolate", node: n, ...isolate }, ends: { kind: "heal" } }));
    case "disconnect": return node.map((n) => ({ fault: { kind: "disconnect", node: n }, ends: { kind: "connect", node: n } }));
    case "ring": return fc.constant({ fault: { kind: "ring" }, ends: { kind: "heal" } });
    case "partition":
      return fc.shuffledSubarray([...nodes], { minLength: 1, maxLength: nodes.length - 1 }).map((side) => ({
        fault: { kind: "partition", groups: [side, nodes.filter((n) => !side.includes(n))] }, ends: { kind: "heal" },
      }));
    case "block":
      return fc.tuple(fc.nat({ max: nodes.length - 1 }), fc.nat({ max: nodes.length - 2 })).map(([a, b]) => {
        const to = b >= a ? b + 1 : b; // a distinct second node without filtering
        return { fault: { kind: "block", from: nodes[a]!, to: nodes[to]! }, ends: { kind: "heal" } };
      });
    case "loss": return perMilleLink(1, 500, (p) => ({ lossProbability: p }), scope);
    case "duplicate": return perMilleLink(1, 300, (p) => ({ duplicateProbability: p }), scope);
    case "latency":
      return fc.integer({ min: 2, max: 200 }).map((maxMs) => ({ fault: { kind: "link", ...scope, link: { latency: { kind: "uniform", minMs: 1, maxMs } } }, ends: { kind: "restore-links" } }));
    case "clock":
      return fc.tuple(node, fc.integer({ min: -200, max: 200 }), fc.integer({ min: -1000, max: 1000 })).map(([n, skewMs, driftPpm]) => ({ fault: { kind: "clock", node: n, skewMs, driftPpm } }));
    case "storage-lose": return node.map((n) => ({ fault: { kind: "storage", node: n, mode: "lose-unsynced" } }));
    case "storage-corrupt": return node.map((n) => ({ fault: { kind: "storage", node: n, mode: "corrupt" } }));
    case "byzantine": throw new ConfigError("families", "byzantine faults need the protocol's behaviour names; use generateSchedule's swarm for them", family);
    case "flap":
      return fc.tuple(node, fc.integer({ min: 1, max: shape.flapDownMsMax })).map(([n, durationMs]) => ({ fault: { kind: "crash", node: n }, ends: { kind: "restart", node: n }, durationMs }));
    case "type-delay": return typeDelayArbitrary(shape, scope);
    case "trigger-send": return triggerArbitrary(node, fc.constantFrom(...shape.triggerMessageTypes).map((send) => ({ send })), shape, false);
    case "trigger-sync": return triggerArbitrary(node, fc.constant({ sync: true as const }), shape, false);
    case "trigger-probe": return triggerArbitrary(node, fc.constantFrom(...shape.triggerProbes).map((probe) => ({ probe })), shape, true);
  }
}

/** One message type delayed (past an election timeout, shrinking towards none) or duplicated; duplicates first, as milder. */
function typeDelayArbitrary(shape: Shape, scope: { scope?: "cluster" }): fc.Arbitrary<Drawn> {
  const types = fc.constantFrom(...shape.triggerMessageTypes).map((t) => [t]);
  const duplicate = fc.integer({ min: 1, max: 500 }).map((x) => ({ duplicateProbability: x / 1000 }));
  const delay = fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1500 }))
    .map(([p, minMs, spreadMs]) => ({ reorderProbability: p / 1000, reorderDelayMsMin: minMs, reorderDelayMsMax: minMs + spreadMs }));
  return fc.tuple(types, fc.oneof(duplicate, delay)).map(([t, link]) => ({ fault: { kind: "link", ...scope, types: t, link }, ends: { kind: "restore-links" } }));
}

/**
 * A trigger on one node's next matching action: a crash ("after" first: it shrinks towards the milder timing)
 * with its restart `downMs` after it fires; for probes also a pause with its resume, or a clock jump. The
 * unit's times are set when it is laid out (see toSchedule).
 */
function triggerArbitrary(node: fc.Arbitrary<NodeId>, on: fc.Arbitrary<TriggerFault["on"]>, shape: Shape, probe: boolean): fc.Arbitrary<Drawn> {
  const downMs = fc.integer({ min: 1, max: Math.max(1, shape.flapDownMsMax) });
  const crash = fc.tuple(node, on, fc.boolean(), downMs).map(([n, o, beforeReply, down]): Drawn => ({
    fault: { kind: "trigger", node: n, on: o, ...(beforeReply ? { when: "before-reply" as const } : {}), then: { kind: "crash", node: n } }, downMs: down,
  }));
  if (!probe) return crash;
  const clock = fc.tuple(node, on, fc.integer({ min: -1000, max: 1000 })).map(([n, o, skewMs]): Drawn => ({ fault: { kind: "trigger", node: n, on: o, then: { kind: "clock", node: n, skewMs } } }));
  const pause = fc.tuple(node, on, downMs).map(([n, o, down]): Drawn => ({ fault: { kind: "trigger", node: n, on: o, then: { kind: "pause", node: n } }, downMs: down }));
  return fc.oneof(clock, crash, pause);
}

/**
 * Sets a trigger's times from its unit's span [atMs, endMs]: armed for the span, or, when it takes its node
 * down, armed for the first part and down for the rest (`endsAfterMs`), so the node is back by endMs.
 */
function timedTrigger(fault: TriggerFault, spanMs: number, downMs: number | undefined): TriggerFault {
  if (downMs === undefined) return { ...fault, forMs: spanMs };
  const endsAfterMs = Math.min(downMs, spanMs);
  return { ...fault, forMs: spanMs - endsAfterMs, endsAfterMs };
}

function perMilleLink(min: number, max: number, link: (p: number) => Record<string, number>, scope: { scope?: "cluster" }): fc.Arbitrary<Drawn> {
  return fc.integer({ min, max }).map((x) => ({ fault: { kind: "link", ...scope, link: link(x / 1000) }, ends: { kind: "restore-links" } }));
}

/**
 * Lays units out in time and keeps the schedule within the protocol's claims: at most `maxDown` nodes down
 * at once, one network fault and one link fault at a time (a heal ends every partition), and one disconnect
 * per node at a time (several nodes may be disconnected at once; a disconnect takes no node down, as an
 * isolation does not). Units that do not fit are left out, which only ever makes a schedule smaller.
 */
function toSchedule(units: FaultUnit[], windowMs: number, maxDown: number): FaultSchedule {
  const timed = units.map((u) => {
    const atMs = windowMs - u.beforeEndMs;
    return { u, atMs, endMs: Math.min(windowMs, atMs + u.durationMs) };
  }).sort((a, b) => a.atMs - b.atMs);
  const out: ScheduledFault[] = [];
  const down = new Map<NodeId, number>();
  const disconnected = new Map<NodeId, number>();
  let networkUntil = -1;
  let linkUntil = -1;
  for (const { u, atMs, endMs } of timed) {
    let fault = u.fault;
    const node = downNode(u);
    if (node !== undefined) {
      const busy = [...down.entries()].filter(([, until]) => until > atMs);
      if (busy.length >= maxDown || busy.some(([n]) => n === node)) continue;
      down.set(node, endMs);
    } else if (fault.kind === "disconnect") {
      if ((disconnected.get(fault.node) ?? -1) > atMs) continue;
      disconnected.set(fault.node, endMs);
    } else if (u.ends?.kind === "heal") {
      if (atMs < networkUntil) continue;
      networkUntil = endMs;
    } else if (u.ends?.kind === "restore-links") {
      if (atMs < linkUntil) continue;
      linkUntil = endMs;
    }
    if (fault.kind === "trigger") fault = timedTrigger(fault, endMs - atMs, u.downMs);
    out.push({ atMs, fault });
    if (u.ends !== undefined) out.push({ atMs: endMs, fault: u.ends });
  }
  return out.map((e, i) => ({ e, i })).sort((a, b) => a.e.atMs - b.e.atMs || a.i - b.i).map(({ e }) => e);
}

/** The node a unit takes down: a crash's, a pause's, or that of a trigger that crashes or pauses it (from its arming: it may fire at any moment). */
function downNode(u: FaultUnit): NodeId | undefined {
  const f = u.fault;
  if (f.kind === "crash" || f.kind === "pause") return f.node;
  return f.kind === "trigger" && u.downMs !== undefined ? f.node : undefined;
}

function validate(nodes: readonly NodeId[], o: ScheduleArbitraryOptions) {
  if (!Array.isArray(nodes) || nodes.length === 0) throw new ConfigError("faultScheduleArbitrary.nodes", "must be a non-empty array of node ids", nodes);
  if (o === null || typeof o !== "object") throw new ConfigError("faultScheduleArbitrary.options", "must be an object", o);
  if (!Number.isInteger(o.faultWindowMs) || o.faultWindowMs < 2) throw new ConfigError("faultScheduleArbitrary.faultWindowMs", "must be an integer >= 2", o.faultWindowMs);
  if (!Number.isInteger(o.maxDown) || o.maxDown < 0 || o.maxDown > nodes.length) throw new ConfigError("faultScheduleArbitrary.maxDown", `must be an integer from 0 to ${nodes.length}`, o.maxDown);
  const maxUnits = o.maxUnits ?? 12;
  if (!Number.isInteger(maxUnits) || maxUnits < 0 || maxUnits > 1000) throw new ConfigError("faultScheduleArbitrary.maxUnits", "must be an integer from 0 to 1000", maxUnits);
  const requested = o.families ?? DEFAULT_FAMILIES;
  const triggerMessageTypes = nameList(o.triggerMessageTypes, "triggerMessageTypes");
  const triggerProbes = nameList(o.triggerProbes, "triggerProbes");
  const flapDownMsMax = o.flapDownMsMax ?? DEFAULT_FLAP_DOWN_MS_MAX;
  if (!Number.isInteger(flapDownMsMax) || flapDownMsMax < 1 || flapDownMsMax > 60_000) throw new ConfigError("faultScheduleArbitrary.flapDownMsMax", "must be an integer from 1 to 60,000 (ms)", flapDownMsMax);
  let families = MILDEST_FIRST.filter((f) => requested.includes(f) && f !== "byzantine");
  if (nodes.length < 2) families = families.filter((f) => !["partition", "block", "isolate", "ring", "disconnect"].includes(f));
  // the targeted families need something to target: without it they draw nothing, as in the swarm generator
  if (triggerMessageTypes.length === 0) families = families.filter((f) => f !== "trigger-send" && f !== "type-delay");
  if (triggerProbes.length === 0) families = families.filter((f) => f !== "trigger-probe");
  if (families.length === 0) throw new ConfigError("faultScheduleArbitrary.families", "must name at least one usable family", requested);
  const maxDurationMs = o.maxDurationMs ?? Math.max(1, Math.min(3000, Math.floor(o.faultWindowMs / 3)));
  const linkScope = o.linkScope ?? "all";
  if (!(LINK_FAULT_SCOPES as readonly unknown[]).includes(linkScope)) throw new ConfigError("faultScheduleArbitrary.linkScope", `must be one of ${LINK_FAULT_SCOPES.join(", ")}`, linkScope);
  const isolateClients = o.isolateClients ?? true;
  if (typeof isolateClients !== "boolean") throw new ConfigError("faultScheduleArbitrary.isolateClients", "must be a boolean", isolateClients);
  return { windowMs: o.faultWindowMs, maxDown: o.maxDown, maxUnits, families, maxDurationMs, linkScope, isolateClients, triggerMessageTypes, triggerProbes, flapDownMsMax };
}

function nameList(names: readonly string[] | undefined, field: string): readonly string[] {
  if (names === undefined) return [];
  if (!Array.isArray(names) || names.some((n) => typeof n !== "string" || n.length === 0)) {
    throw new ConfigError(`faultScheduleArbitrary.${field}`, "must be an array of non-empty names", names);
  }
  return names;
}
