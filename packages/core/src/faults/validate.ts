import { ConfigError } from "../errors.js";
import { validateLinkOverride, checkNonNegative } from "../network/config.js";
import type { NodeId } from "../node/behavior.js";
import { endingFault, FAULT_KINDS, LINK_FAULT_SCOPES, TRIGGER_TIMINGS, type Fault, type FaultSchedule } from "./fault.js";

/** The largest drift a clock fault may set: 10% (100,000 ppm). */
export const MAX_DRIFT_PPM = 100_000;
/** The most faults one schedule may hold. */
export const MAX_SCHEDULE_LENGTH = 100_000;
/** The most times one trigger may fire. */
export const MAX_TRIGGER_COUNT = 1000;
/** The most message types one link fault may name. */
export const MAX_LINK_FAULT_TYPES = 100;

/**
 * Validates a fault schedule against the cluster's node ids. Returns a sorted copy (stable by `atMs`).
 * @throws ConfigError naming the entry and field, e.g. `schedule[3].fault.node`.
 */
export function validateSchedule(schedule: unknown, nodeIds: readonly NodeId[], field = "schedule"): FaultSchedule {
  if (!Array.isArray(schedule)) throw new ConfigError(field, "must be an array of { atMs, fault }", schedule);
  if (schedule.length > MAX_SCHEDULE_LENGTH) throw new ConfigError(field, `must hold at most ${MAX_SCHEDULE_LENGTH} faults`, schedule.length);
  const known = new Set(nodeIds);
  const out: FaultSchedule = [];
  schedule.forEach((entry: unknown, i) => {
    const at = `${field}[${i}]`;
    if (entry === null || typeof entry !== "object") throw new ConfigError(at, "must be an object { atMs, fault }", entry);
    const { atMs, fault } = entry as { atMs: unknown; fault: unknown };
    checkNonNegative(atMs, `${at}.atMs`);
    validateFault(fault, known, `${at}.fault`);
    out.push({ atMs: atMs as number, fault: structuredClone(fault as Fault) });
  });
  return out.map((e, i) => ({ e, i })).sort((a, b) => a.e.atMs - b.e.atMs || a.i - b.i).map(({ e }) => e);
}

/** Validates one fault. @throws ConfigError */
export function validateFault(fault: unknown, known: ReadonlySet<NodeId>, field: string): asserts fault is Fault {
  if (fault === null || typeof fault !== "object") throw new ConfigError(field, "must be a fault object", fault);
  const f = fault as Record<string, unknown>;
  if (!(FAULT_KINDS as readonly unknown[]).includes(f.kind)) {
    throw new ConfigError(`${field}.kind`, `must be one of ${FAULT_KINDS.join(", ")}`, f.kind);
  }
  const node = (name: string) => checkNode(f[name], known, `${field}.${name}`);
  const kind = f.kind as Fault["kind"];
  switch (kind) {
    case "crash":
    case "restart":
    case "pause":
    case "resume":
    case "disconnect":
    case "connect":
      node("node");
      return;
    case "isolate":
      node("node");
      if (f.clients !== undefined && typeof f.clients !== "boolean") throw new ConfigError(`${field}.clients`, "must be a boolean (whether clients are cut off too)", f.clients);
      return;
    case "partition":
      checkGroups(f.groups, known, `${field}.groups`);
      return;
    case "ring":
      if (f.nodes !== undefined) checkNodeList(f.nodes, known, `${field}.nodes`);
      return;
    case "block":
      node("from");
      node("to");
      return;
    case "heal":
    case "restore-links":
      return;
    case "link":
      if (f.from !== undefined) node("from");
      if (f.to !== undefined) node("to");
      if (f.scope !== undefined && !(LINK_FAULT_SCOPES as readonly unknown[]).includes(f.scope)) {
        throw new ConfigError(`${field}.scope`, `must be one of ${LINK_FAULT_SCOPES.join(", ")}`, f.scope);
      }
      if (f.types !== undefined) checkNames(f.types, `${field}.types`, MAX_LINK_FAULT_TYPES, "message type");
      if (f.link === undefined) throw new ConfigError(`${field}.link`, "must be an object of link options (what to degrade)", f.link);
      validateLinkOverride(f.link, `${field}.link`);
      return;
    case "clock":
      node("node");
      if (f.skewMs !== undefined && (typeof f.skewMs !== "number" || !Number.isFinite(f.skewMs))) {
        throw new ConfigError(`${field}.skewMs`, "must be a finite number", f.skewMs);
      }
      if (f.driftPpm !== undefined && (typeof f.driftPpm !== "number" || !(Math.abs(f.driftPpm) <= MAX_DRIFT_PPM))) {
        throw new ConfigError(`${field}.driftPpm`, `must be a number within ±${MAX_DRIFT_PPM}`, f.driftPpm);
      }
      return;
    case "storage":
      node("node");
      if (f.mode !== "lose-unsynced" && f.mode !== "corrupt") {
        throw new ConfigError(`${field}.mode`, "must be lose-unsynced or corrupt", f.mode);
      }
      if (f.key !== undefined && typeof f.key !== "string") throw new ConfigError(`${field}.key`, "must be a string", f.key);
      return;
    case "byzantine":
      node("node");
      if (typeof f.behavior !== "string" || f.behavior.length === 0) {
        throw new ConfigError(`${field}.behavior`, "must be a non-empty behaviour name", f.behavior);
      }
      return;
    case "trigger":
      node("node");
      validateTrigger(f, known, field);
      return;
    case "disarm":
      if (f.node !== undefined) node("node");
      return;
    default: {
      const never: never = kind;
      throw new ConfigError(`${field}.kind`, "unknown fault kind", never);
    }
  }
}

/** The rules of a trigger beyond its node: one action in `on`, a fault to apply, sane counts and times. */
function validateTrigger(f: Record<string, unknown>, known: ReadonlySet<NodeId>, field: string): void {
  checkTriggerOn(f.on, `${field}.on`);
  if (f.when !== undefined && !(TRIGGER_TIMINGS as readonly unknown[]).includes(f.when)) {
    throw new ConfigError(`${field}.when`, `must be one of ${TRIGGER_TIMINGS.join(", ")}`, f.when);
  }
  const then = f.then as Record<string, unknown> | undefined;
  if (then !== null && typeof then === "object" && (then.kind === "trigger" || then.kind === "disarm")) {
    throw new ConfigError(`${field}.then.kind`, "must not be a trigger or a disarm (triggers do not nest)", then.kind);
  }
  validateFault(then, known, `${field}.then`);
  if (f.when === "before-reply" && !(then.kind === "crash" && then.node === f.node)) {
    throw new ConfigError(`${field}.then`, `must be a crash of the trigger's node (${String(f.node)}) when "when" is before-reply: the node dies at the action, so nothing else can happen first`, then);
  }
  if (f.count !== undefined && (!Number.isInteger(f.count) || (f.count as number) < 1 || (f.count as number) > MAX_TRIGGER_COUNT)) {
    throw new ConfigError(`${field}.count`, `must be an integer from 1 to ${MAX_TRIGGER_COUNT}`, f.count);
  }
  if (f.forMs !== undefined) checkNonNegative(f.forMs, `${field}.forMs`);
  if (f.endsAfterMs !== undefined) {
    checkNonNegative(f.endsAfterMs, `${field}.endsAfterMs`);
    if (endingFault(then) === undefined) throw new ConfigError(`${field}.endsAfterMs`, `needs a fault that ends (crash, pause, a cut, disconnect or link), not ${then.kind}`, f.endsAfterMs);
  }
}

function checkTriggerOn(on: unknown, field: string): void {
  if (on === null || typeof on !== "object" || Array.isArray(on)) throw new ConfigError(field, "must be an object naming one action: { send: type }, { sync: true } or { probe: name }", on);
  const o = on as Record<string, unknown>;
  const keys = Object.keys(o);
  for (const key of keys) if (key !== "send" && key !== "sync" && key !== "probe") throw new ConfigError(`${field}.${key}`, "is not a trigger action (send, sync, probe)", key);
  if (keys.length !== 1) throw new ConfigError(field, "must name exactly one action: send, sync or probe", on);
  if (o.sync !== undefined && o.sync !== true) throw new ConfigError(`${field}.sync`, "must be true", o.sync);
  for (const key of ["send", "probe"] as const) {
    if (o[key] !== undefined && (typeof o[key] !== "string" || (o[key] as string).length === 0)) {
      throw new ConfigError(`${field}.${key}`, `must be a non-empty ${key === "send" ? "message type" : "probe name"}`, o[key]);
    }
  }
}

/** A non-empty array of at most `max` non-empty strings. */
function checkNames(names: unknown, field: string, max: number, what: string): void {
  if (!Array.isArray(names) || names.length === 0 || names.length > max) throw new ConfigError(field, `must be an array of 1 to ${max} ${what}s`, names);
  names.forEach((name, i) => {
    if (typeof name !== "string" || name.length === 0) throw new ConfigError(`${field}[${i}]`, `must be a non-empty ${what}`, name);
  });
}

function checkNode(id: unknown, known: ReadonlySet<NodeId>, field: string): void {
  if (typeof id !== "string" || !known.has(id)) {
    throw new ConfigError(field, `must be a node id of the cluster (${[...known].slice(0, 8).join(", ")}${known.size > 8 ? ", ..." : ""})`, id);
  }
}

function checkNodeList(ids: unknown, known: ReadonlySet<NodeId>, field: string): void {
  if (!Array.isArray(ids)) throw new ConfigError(field, "must be an array of node ids", ids);
  ids.forEach((id, i) => checkNode(id, known, `${field}[${i}]`));
}

function checkGroups(groups: unknown, known: ReadonlySet<NodeId>, field: string): void {
  if (!Array.isArray(groups) || groups.length < 2) throw new ConfigError(field, "must be an array of at least two node-id arrays", groups);
  const seen = new Set<string>();
  groups.forEach((g, i) => {
    checkNodeList(g, known, `${field}[${i}]`);
    for (const id of g as string[]) {
      if (seen.has(id)) throw new ConfigError(`${field}[${i}]`, "groups must be disjoint", id);
      seen.add(id);
    }
  });
}
