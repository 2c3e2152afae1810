import { ConfigError } from "../errors.js";
import type { NodeId } from "../node/behavior.js";
import type { RandomStream } from "../random/stream.js";
import { checkNonNegative, type LinkConfig } from "../network/config.js";
import { LINK_FAULT_SCOPES, type Fault, type FaultSchedule, type LinkFaultScope, type ScheduledFault, type TriggerFault } from "./fault.js";
import { MAX_LINK_FAULT_TYPES } from "./validate.js";

/**
 * The fault families a swarm generator may enable. "disconnect" draws a `disconnect` of one node and its
 * `connect`. The targeted nemeses: "trigger-send", "trigger-sync" and "trigger-probe" arm a trigger that
 * crashes (or pauses, or steps the clock of) a node at its next send of a message type, sync or probe hit;
 * "flap" crashes a node and restarts it quickly; "type-delay" delays or duplicates one message type.
 * New families go at the end: a seed's profile draws one coin per allowed family in this order, so
 * appending keeps the earlier families' coins where they were. The targeted nemeses are not among the
 * default families (that would add coins and move every default seed's schedule): name them.
 */
export const SWARM_FAULT_FAMILIES = [
  "crash", "pause", "partition", "isolate", "ring", "block", "loss", "latency", "duplicate", "clock", "storage-lose", "storage-corrupt", "byzantine", "disconnect",
  "trigger-send", "trigger-sync", "trigger-probe", "flap", "type-delay",
] as const;
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
  /**
   * Message types (as the simulation classifies messages) that the "trigger-send" family crashes a node
   * after sending, and that "type-delay" delays or duplicates. Without them those families draw nothing.
   */
  triggerMessageTypes?: readonly string[];
  /** Probe names (`ctx.probe`) at which the "trigger-probe" family crashes, pauses or steps the clock of a node. Without them it draws nothing. */
  triggerProbes?: readonly string[];
  /**
   * The longest a "flap" keeps its node down before the restart (and the short downtime the trigger families
   * draw half the time): keep it within the protocol's election timeout, so the node is back before the
   * cluster has moved on. @defaultValue 200
   */
  flapDownMsMax?: number;
}

const DEFAULT_FAMILIES: readonly SwarmFaultFamily[] = SWARM_FAULT_FAMILIES.slice(0, SWARM_FAULT_FAMILIES.indexOf("disconnect") + 1).filter((f) => f !== "byzantine" && f !== "storage-corrupt");

/** The default of {@link SwarmOptions.flapDownMsMax}. */
export const DEFAULT_FLAP_DOWN_MS_MAX = 200;

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
  const flapDownMsMax = options.flapDownMsMax ?? DEFAULT_FLAP_DOWN_MS_MAX;
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
      case "flap": {
        if (!canTakeDown || !room(2)) break;
        const node = rng.pick(up);
        const downMs = Math.min(remaining, 1 + rng.float() * (flapDownMsMax - 1));
        push(t, { kind: "crash", node });
        push(t + downMs, { kind: "restart", node });
        downUntil.set(node, round(t + downMs) + 1); // rounded times: the restart is at round(t + downMs)
        break;
      }
      case "trigger-send":
      case "trigger-sync":
      case "trigger-probe": {
        if (!room(1)) break;
        const drawn = drawTrigger(rng, family, { t, duration, remaining, up, nodes, canTakeDown, flapDownMsMax, options });
        if (drawn === undefined) break;
        push(t, drawn.trigger);
        // down from the arming until the last moment the ending fault can come: it may fire any time it is armed
        if (drawn.downUntilMs !== undefined) downUntil.set(drawn.trigger.node, drawn.downUntilMs);
        break;
      }
      case "type-delay": {
        const types = options.triggerMessageTypes ?? [];
        if (t < linkFaultUntil || types.length === 0 || !room(2)) break;
        const type = rng.pick(types);
        const link = drawTypeDelay(rng);
        const scope = options.linkScope === "cluster" ? { scope: "cluster" as const } : {};
        push(t, { kind: "link", ...scope, types: [type], link });
        push(t + duration, { kind: "restore-links" });
        linkFaultUntil = t + duration;
        break;
      }
    }
  }
  out.sort((a, b) => a.atMs - b.atMs);
  return { schedule: out, profile };
}

/** What {@link drawTrigger} needs of the generator's state at the time `t` of the draw. */
interface TriggerDraw {
  t: number;
  duration: number;
  remaining: number;
  up: readonly NodeId[];
  nodes: readonly NodeId[];
  canTakeDown: boolean;
  flapDownMsMax: number;
  options: SwarmOptions;
}

/**
 * Draws one trigger of a targeted-nemesis family, or nothing when the family has nothing to target or the
 * node budget is spent. The trigger stays armed `forMs` and its fault ends `endsAfterMs` after it fires, so
 * its node is down at most from `t` to `t + forMs + endsAfterMs`, which stays inside the window: that whole
 * span counts against maxDown (it may fire at any moment of it).
 */
function drawTrigger(rng: RandomStream, family: "trigger-send" | "trigger-sync" | "trigger-probe", d: TriggerDraw): { trigger: TriggerFault; downUntilMs?: number } | undefined {
  const list = family === "trigger-send" ? d.options.triggerMessageTypes ?? [] : family === "trigger-probe" ? d.options.triggerProbes ?? [] : ["sync"];
  if (list.length === 0) return undefined;
  const on = family === "trigger-send" ? { send: rng.pick(list) } : family === "trigger-probe" ? { probe: rng.pick(list) } : { sync: true as const };
  // a probe trigger may also step the clock (a jump around a lease) or pause the node (across an election)
  const effect = family === "trigger-probe" ? rng.pick(["crash", "pause", "clock"] as const) : "crash";
  if (effect === "clock") {
    const node = rng.pick(d.nodes);
    const jumpMs = round((rng.chance(0.5) ? -1 : 1) * (50 + rng.float() * 950));
    return { trigger: { kind: "trigger", node, on, then: { kind: "clock", node, skewMs: jumpMs }, forMs: round(d.duration) } };
  }
  if (!d.canTakeDown) return undefined;
  const node = rng.pick(d.up);
  // half the time a quick return (within an election timeout), else a longer outage
  const downMs = Math.max(1, round(rng.chance(0.5) ? 1 + rng.float() * (d.flapDownMsMax - 1) : 1 + rng.float() * d.duration));
  const forMs = round(Math.min(d.duration, d.remaining - downMs - 1));
  if (forMs < 1) return undefined;
  const when = effect === "crash" && rng.chance(0.5) ? { when: "before-reply" as const } : {};
  const then = effect === "crash" ? { kind: "crash" as const, node } : { kind: "pause" as const, node };
  return { trigger: { kind: "trigger", node, on, ...when, then, forMs, endsAfterMs: downMs }, downUntilMs: round(d.t) + forMs + downMs + 1 };
}

/**
 * The link overrides of a "type-delay": half the time a delay that may outlast an election timeout (a
 * reorder delay of up to 2.5 s on up to every message of the type: stale replies arrive), else duplicates.
 */
function drawTypeDelay(rng: RandomStream): Partial<LinkConfig> {
  if (rng.chance(0.5)) return { duplicateProbability: round3(0.1 + rng.float() * 0.4) };
  const reorderProbability = round3(0.3 + rng.float() * 0.7);
  const reorderDelayMsMin = round(rng.float() * 1000);
  return { reorderProbability, reorderDelayMsMin, reorderDelayMsMax: reorderDelayMsMin + round(rng.float() * 1500) };
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
  checkNameList(o.triggerMessageTypes, "faults.triggerMessageTypes", "message type");
  checkNameList(o.triggerProbes, "faults.triggerProbes", "probe name");
  const flap: unknown = o.flapDownMsMax;
  if (flap !== undefined && (typeof flap !== "number" || !Number.isInteger(flap) || flap < 1 || flap > 60_000)) {
    throw new ConfigError("faults.flapDownMsMax", "must be an integer from 1 to 60,000 (ms)", flap);
  }
  for (const [i, f] of (o.families ?? []).entries()) {
    if (!(SWARM_FAULT_FAMILIES as readonly string[]).includes(f)) {
      throw new ConfigError(`faults.families[${i}]`, `must be one of ${SWARM_FAULT_FAMILIES.join(", ")}`, f);
    }
  }
  if (o.families !== undefined && o.families.length === 0) throw new ConfigError("faults.families", "must enable at least one family");
}

function checkNameList(names: unknown, field: string, what: string): void {
  if (names === undefined) return;
  if (!Array.isArray(names) || names.length > MAX_LINK_FAULT_TYPES) throw new ConfigError(field, `must be an array of at most ${MAX_LINK_FAULT_TYPES} ${what}s`, names);
  names.forEach((name, i) => {
    if (typeof name !== "string" || name.length === 0) throw new ConfigError(`${field}[${i}]`, `must be a non-empty ${what}`, name);
  });
}

function round(ms: number): number {
  return Math.round(ms);
}

function round3(p: number): number {
  return Math.round(p * 1000) / 1000;
}
