import { ConfigError } from "../errors.js";
import type { NodeId } from "../node/behavior.js";
import type { RandomStream } from "../random/stream.js";
import { checkNonNegative } from "../network/config.js";
import { LINK_FAULT_SCOPES, type Fault, type FaultSchedule, type LinkFaultScope, type ScheduledFault } from "./fault.js";

/**
 * The fault families a swarm generator may enable. "disconnect" draws a `disconnect` of one node and its
 * `connect`. New families go at the end: a seed's profile draws one coin per allowed family in this order,
 * so appending keeps the earlier families' coins where they were.
 */
export const SWARM_FAULT_FAMILIES = ["crash", "pause", "partition", "isolate", "ring", "block", "loss", "latency", "duplicate", "clock", "storage-lose", "storage-corrupt", "byzantine", "disconnect"] as const;
export type SwarmFaultFamily = (typeof SWARM_FAULT_FAMILIES)[number];

/** Options of {@link generateSchedule}. */
export interface SwarmOptions {
  /** Faults start within [0, faultWindowMs); every fault that needs an end (restart, resume, heal) ends by then too. */
  faultWindowMs: number;
  /** The most nodes down (crashed, paused, fail-stopped or byzantine) at once: the protocol's f. */
  maxDown: number;
  /** Families that may be enabled. @defaultValue every family except byzantine and storage-corrupt */
  families?: readonly SwarmFaultFamily[];
  /** Byzantine behaviour names to draw from (family "byzantine"). */
  byzantineBehaviors?: readonly string[];
  /** The most faults in one schedule. @defaultValue 200 */
  maxFaults?: number;
  /**
   * Swarm testing: each seed enables a random subset of the families and random rates, because turning
   * everything on at once hides bugs. False enables every family at middling rates. @defaultValue true
   */
  swarm?: boolean;
  /**
   * Which links the loss, latency and duplicate families degrade: "cluster" keeps client links as configured
   * (the faults stay inside the cluster). Draws nothing, so a seed's schedule differs only in the `scope` field.
   * @defaultValue "all"
   */
  linkScope?: LinkFaultScope;
  /**
   * Whether the isolate family cuts the isolated node off from clients too. False keeps its client links
   * working (drawn faults carry `clients: false`). Draws nothing. @defaultValue true
   */
  isolateClients?: boolean;
}

const DEFAULT_FAMILIES: readonly SwarmFaultFamily[] = SWARM_FAULT_FAMILIES.filter((f) => f !== "byzantine" && f !== "storage-corrupt");

/** What the swarm draw chose for one seed: kept in the report so a reader sees why a schedule looks as it does. */
export interface SwarmProfile {
  families: SwarmFaultFamily[];
  meanIntervalMs: number;
  lossProbabilityMax: number;
}

/**
 * Draws a fault schedule from `rng` (the run's "faults" stream). Respects `maxDown` at every instant:
 * a node is down from its crash/pause until its restart/resume, and forever once its storage is
 * corrupted or it turns byzantine. Network faults (partitions, isolation, disconnects) cut links but take
 * no node down, so they do not count against `maxDown`. Ends partitions, disconnects, link faults and
 * pauses inside the window.
 */
export function generateSchedule(rng: RandomStream, nodes: readonly NodeId[], options: SwarmOptions): { schedule: FaultSchedule; profile: SwarmProfile } {
  validateSwarm(options, nodes);
  const windowMs = options.faultWindowMs;
  const profile = drawProfile(rng, options);
  const out: ScheduledFault[] = [];
  const maxFaults = options.maxFaults ?? 200;
  const downUntil = new Map<NodeId, number>(); // Infinity = permanently faulty
  let networkFaultUntil = 0;
  let linkFaultUntil = 0;
  const disconnectedUntil = new Map<NodeId, number>();
  const push = (atMs: number, fault: Fault) => out.push({ atMs: round(atMs), fault });
  // a fault and its end go in together or not at all, so the schedule never exceeds maxFaults
  const room = (entries: number) => out.length + entries <= maxFaults;
  const isDown = (id: NodeId, t: number) => (downUntil.get(id) ?? -1) > t;
  const downCount = (t: number) => nodes.filter((id) => isDown(id, t)).length;

  let t = 0;
  for (let guard = 0; guard < maxFaults * 4 && out.length < maxFaults; guard++) {
    t += -profile.meanIntervalMs * Math.log(1 - rng.float());
    if (t >= windowMs) break;
    const family = rng.pick(profile.families);
    const remaining = windowMs - t;
    const duration = Math.min(remaining, 50 + rng.float() * Math.min(3000, windowMs / 3));
    const up = nodes.filter((id) => !isDown(id, t));
    const canTakeDown = downCount(t) < options.maxDown && up.length > 0;
    switch (family) {
      case "crash":
      case "pause": {
        if (!canTakeDown || !room(2)) break;
        const node = rng.pick(up);
        push(t, family === "crash" ? { kind: "crash", node } : { kind: "pause", node });
        push(t + duration, family === "crash" ? { kind: "restart", node } : { kind: "resume", node });
        downUntil.set(node, t + duration);
        break;
      }
      case "storage-corrupt": {
        // corrupt a disk while its node is down, so it is read at restart; the node stays faulty for good
        if (!canTakeDown || !room(3)) break;
        const node = rng.pick(up);
        push(t, { kind: "crash", node });
        push(t, { kind: "storage", node, mode: "corrupt" });
        push(t + duration, { kind: "restart", node });
        downUntil.set(node, Infinity);
        break;
      }
      case "byzantine": {
        const behaviors = options.byzantineBehaviors ?? [];
        if (!canTakeDown || behaviors.length === 0) break;
        const node = rng.pick(up);
        push(t, { kind: "byzantine", node, behavior: rng.pick(behaviors) });
        downUntil.set(node, Infinity);
        break;
      }
      case "storage-lose":
        push(t, { kind: "storage", node: rng.pick(nodes), mode: "lose-unsynced" });
        break;
      case "partition":
      case "isolate":
      case "ring":
      case "block": {
        if (t < networkFaultUntil || nodes.length < 2 || !room(2)) break;
        const fault = drawPartition(rng, family, nodes);
        push(t, fault.kind === "isolate" && options.isolateClients === false ? { ...fault, clients: false } : fault);
        push(t + duration, { kind: "heal" });
        networkFaultUntil = t + duration;
        break;
      }
      case "loss":
      case "latency":
      case "duplicate": {
        if (t < linkFaultUntil || !room(2)) break;
        const link =
          family === "loss" ? { lossProbability: round3(rng.float() * profile.lossProbabilityMax) }
          : family === "duplicate" ? { duplicateProbability: round3(rng.float() * 0.2) }
          : { latency: { kind: "uniform" as const, minMs: 1, maxMs: round(5 + rng.float() * 200) }, reorderProbability: round3(rng.float() * 0.3) };
        const from = rng.chance(0.5) ? rng.pick(nodes) : undefined;
        const scope = options.linkScope === "cluster" ? { scope: "cluster" as const } : {};
        push(t, from === undefined ? { kind: "link", ...scope, link } : { kind: "link", from, ...scope, link });
        push(t + duration, { kind: "restore-links" });
        linkFaultUntil = t + duration;
        break;
      }
      case "clock":
        push(t, { kind: "clock", node: rng.pick(nodes), skewMs: round(rng.float() * 400 - 200), driftPpm: round(rng.float() * 2000 - 1000) });
        break;
      case "disconnect": {
        // several nodes may be disconnected at once (a lab's "disconnect the leader, then a follower"); one node's do not overlap
        const connected = nodes.filter((id) => (disconnectedUntil.get(id) ?? -1) <= t);
        if (nodes.length < 2 || connected.length === 0 || !room(2)) break;
        const node = rng.pick(connected);
        push(t, { kind: "disconnect", node });
        push(t + duration, { kind: "connect", node });
        disconnectedUntil.set(node, t + duration);
        break;
      }
    }
  }
  out.sort((a, b) => a.atMs - b.atMs);
  return { schedule: out, profile };
}

function drawProfile(rng: RandomStream, options: SwarmOptions): SwarmProfile {
  const allowed = [...(options.families ?? DEFAULT_FAMILIES)];
  const swarm = options.swarm ?? true;
  let families = swarm ? allowed.filter(() => rng.chance(0.5)) : allowed;
  if (families.length === 0) families = [rng.pick(allowed)];
  // log-uniform mean interval between faults: 20 ms .. 2 s
  const meanIntervalMs = swarm ? Math.round(20 * Math.pow(100, rng.float())) : 300;
  const lossProbabilityMax = swarm ? round3(0.05 + rng.float() * 0.45) : 0.2;
  return { families, meanIntervalMs, lossProbabilityMax };
}

function drawPartition(rng: RandomStream, family: "partition" | "isolate" | "ring" | "block", nodes: readonly NodeId[]): Fault {
  switch (family) {
    case "isolate":
      return { kind: "isolate", node: rng.pick(nodes) };
    case "ring":
      return { kind: "ring", nodes: rng.shuffle(nodes) };
    case "block": {
      const from = rng.pick(nodes);
      const to = rng.pick(nodes.filter((id) => id !== from));
      return { kind: "block", from, to };
    }
    case "partition": {
      const shuffled = rng.shuffle(nodes);
      const cut = 1 + Math.floor(rng.float() * (shuffled.length - 1));
      return { kind: "partition", groups: [shuffled.slice(0, cut), shuffled.slice(cut)] };
    }
  }
}

function validateSwarm(o: SwarmOptions, nodes: readonly NodeId[]): void {
  if (o === null || typeof o !== "object") throw new ConfigError("faults", "must be swarm options", o);
  checkNonNegative(o.faultWindowMs, "faults.faultWindowMs");
  if (!Number.isInteger(o.maxDown) || o.maxDown < 0 || o.maxDown > nodes.length) {
    throw new ConfigError("faults.maxDown", `must be an integer from 0 to the node count (${nodes.length})`, o.maxDown);
  }
  if (o.maxFaults !== undefined && (!Number.isInteger(o.maxFaults) || o.maxFaults < 0 || o.maxFaults > 100_000)) {
    throw new ConfigError("faults.maxFaults", "must be an integer from 0 to 100,000", o.maxFaults);
  }
  if (o.families !== undefined && !Array.isArray(o.families)) throw new ConfigError("faults.families", "must be an array of fault family names", o.families);
  const behaviors: unknown = o.byzantineBehaviors;
  if (behaviors !== undefined && (!Array.isArray(behaviors) || behaviors.some((b) => typeof b !== "string" || b.length === 0))) {
    throw new ConfigError("faults.byzantineBehaviors", "must be an array of non-empty behaviour names", behaviors);
  }
  if (o.swarm !== undefined && typeof o.swarm !== "boolean") throw new ConfigError("faults.swarm", "must be a boolean", o.swarm);
  if (o.linkScope !== undefined && !(LINK_FAULT_SCOPES as readonly unknown[]).includes(o.linkScope)) {
    throw new ConfigError("faults.linkScope", `must be one of ${LINK_FAULT_SCOPES.join(", ")}`, o.linkScope);
  }
  if (o.isolateClients !== undefined && typeof o.isolateClients !== "boolean") throw new ConfigError("faults.isolateClients", "must be a boolean", o.isolateClients);
  for (const [i, f] of (o.families ?? []).entries()) {
    if (!(SWARM_FAULT_FAMILIES as readonly string[]).includes(f)) {
      throw new ConfigError(`faults.families[${i}]`, `must be one of ${SWARM_FAULT_FAMILIES.join(", ")}`, f);
    }
  }
  if (o.families !== undefined && o.families.length === 0) throw new ConfigError("faults.families", "must enable at least one family");
}

function round(ms: number): number {
  return Math.round(ms);
}

function round3(p: number): number {
  return Math.round(p * 1000) / 1000;
}
