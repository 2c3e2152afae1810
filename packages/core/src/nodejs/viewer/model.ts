import type { TraceEvent } from "../../trace/events.js";

/** The failure a viewer highlights (a report's `failure`, without its tail). */
export interface ViewerFailure {
  kind: string;
  invariant?: string;
  message: string;
  step: number;
  timeUs: number;
}

/** One lane of the space-time diagram: a cluster node, a client, or the fault schedule (the last lane). */
export interface ViewerLane {
  id: string;
  kind: "node" | "client" | "faults";
}

/**
 * A stretch of time drawn on a lane: the node down (crashed), paused, cut off (isolate, disconnect, block),
 * or a partition (lane -1: shaded across the node lanes).
 */
export interface ViewerSpan {
  lane: number;
  kind: "down" | "paused" | "cut" | "partition";
  startUs: number;
  endUs: number;
  label: string;
}

/** Arrow flags: the message was dropped, a duplicate delivery, or overtaken on its link (delivered after a later send). */
export const ARROW_DROPPED = 1;
export const ARROW_DUPLICATE = 2;
export const ARROW_REORDERED = 4;

/**
 * Everything the page draws, as plain JSON. Events are stored column-wise (one array per field, index =
 * event number, in trace order): a 100,000-event trace is then about 10 arrays instead of 100,000 objects.
 */
export interface ViewerData {
  title: string;
  source: { kind: "report" | "trace"; scenario?: string; seed?: string | number; module?: string; reproduced?: boolean; mismatch?: string };
  lanes: ViewerLane[];
  /** Names used by events (kinds, message types, log/timer/fault names), referred to by index. */
  names: string[];
  events: {
    step: number[];
    timeUs: number[];
    /** Index into `names` of the event kind (message_sent, log, ...). */
    kind: number[];
    /** Lane of the event (-1: none). Faults go to the faults lane. */
    lane: number[];
    /** The other end of a message (the receiver of a send, the sender of a delivery); -1 otherwise. */
    peer: number[];
    msgId: number[];
    /** Index into `names`: a message's type, a log's event name, a timer's or fault's name; -1 when none. */
    name: number[];
    /** The event's data as JSON text, clipped to `payloadCharsMax`; null when it has none. */
    data: (string | null)[];
  };
  /** Message arrows: the send's event index (-1 when the send is not in the trace), the end's (delivery or drop), flags. */
  arrows: { send: number[]; end: number[]; flags: number[] };
  spans: ViewerSpan[];
  /** Per lane id: the node's inspected state after a step, [step, JSON text], only where it changed. */
  states: Record<string, [number, string][]>;
  /** How states were sampled and whether a bound cut them short. */
  statesNote: string;
  failure?: ViewerFailure;
  /** Events left out before the first kept one (a trace bounded by `maxEvents`, or a ring's tail). */
  eventsOmitted: number;
}

/** Bounds of the embedded data. */
export interface ViewerLimits {
  /** Characters kept of each event's data (JSON text). @defaultValue 2,000 */
  payloadCharsMax?: number;
}

/** Where a message event's type comes from: the payload's `type` field when it is a string (as message accounting does). */
export function messageTypeOf(data: unknown): string {
  const t = data !== null && typeof data === "object" ? (data as { type?: unknown }).type : undefined;
  return typeof t === "string" ? t : "message";
}

/** JSON text of a value, clipped; undefined values give null. Never throws (cycles, BigInt: their String()). */
export function clippedJson(value: unknown, charsMax: number): string | null {
  if (value === undefined) return null;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = JSON.stringify(String(value));
  }
  return text.length <= charsMax ? text : `${text.slice(0, charsMax)}… (${text.length} chars)`;
}

/** Interns strings to small indexes (kept in first-seen order). */
class Names {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  of(name: string | undefined): number {
    if (name === undefined) return -1;
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(name);
      this.index.set(name, i);
    }
    return i;
  }
}

/** Input of {@link buildViewerData}. */
export interface ViewerInput {
  title: string;
  source: ViewerData["source"];
  events: readonly TraceEvent[];
  nodeIds?: readonly string[];
  clientIds?: readonly string[];
  states?: Record<string, [number, string][]>;
  statesNote?: string;
  failure?: ViewerFailure;
  eventsOmitted?: number;
}

/** Builds the viewer's data from trace events: lanes, columns, arrows, spans. */
export function buildViewerData(input: ViewerInput, limits: ViewerLimits = {}): ViewerData {
  const payloadCharsMax = limits.payloadCharsMax ?? 2000;
  const lanes = laneList(input);
  const laneOf = new Map(lanes.map((l, i) => [l.id, i]));
  const faultsLane = lanes.length - 1;
  const names = new Names();
  const ev: ViewerData["events"] = { step: [], timeUs: [], kind: [], lane: [], peer: [], msgId: [], name: [], data: [] };
  for (const e of input.events) {
    const isMessage = e.kind.startsWith("message_");
    const own = e.kind === "fault_applied" || e.kind === "trigger_fired" ? faultsLane : laneIndex(laneOf, e.node);
    const peerId = e.kind === "message_sent" || e.kind === "message_duplicated" ? e.to : isMessage ? e.from : undefined;
    ev.step.push(e.step);
    ev.timeUs.push(e.timeUs);
    ev.kind.push(names.of(e.kind));
    ev.lane.push(own);
    ev.peer.push(laneIndex(laneOf, peerId));
    ev.msgId.push(isMessage && e.msgId !== undefined ? e.msgId : -1);
    ev.name.push(names.of(isMessage ? messageTypeOf(e.data) : e.event));
    ev.data.push(clippedJson(e.data, payloadCharsMax));
  }
  return {
    title: input.title,
    source: input.source,
    lanes,
    names: names.list,
    events: ev,
    arrows: buildArrows(input.events),
    spans: buildSpans(input.events, laneOf, lastTimeUs(input.events)),
    states: input.states ?? {},
    statesNote: input.statesNote ?? "no node states (a trace file holds none; view a report to see them)",
    ...(input.failure !== undefined ? { failure: input.failure } : {}),
    eventsOmitted: input.eventsOmitted ?? 0,
  };
}

function laneIndex(laneOf: Map<string, number>, id: string | undefined): number {
  return id === undefined ? -1 : (laneOf.get(id) ?? -1);
}

function lastTimeUs(events: readonly TraceEvent[]): number {
  return events.length === 0 ? 0 : events[events.length - 1]!.timeUs;
}

/**
 * The lanes: the given nodes and clients in their order, then any other id the events name (a trace file
 * tells no roles: an id seen only as a client-like sender stays a node), then the faults lane.
 */
function laneList(input: ViewerInput): ViewerLane[] {
  const lanes: ViewerLane[] = [];
  const seen = new Set<string>();
  const add = (id: string | undefined, kind: ViewerLane["kind"]) => {
    if (id === undefined || seen.has(id)) return;
    seen.add(id);
    lanes.push({ id, kind });
  };
  for (const id of input.nodeIds ?? []) add(id, "node");
  for (const id of input.clientIds ?? []) add(id, "client");
  const extra = new Set<string>();
  for (const e of input.events) {
    if (e.kind === "fault_applied" || e.kind === "trigger_fired") continue;
    for (const id of [e.node, e.from, e.to]) if (id !== undefined && !seen.has(id)) extra.add(id);
  }
  for (const id of [...extra].sort()) add(id, /^c/.test(id) && input.nodeIds === undefined ? "client" : "node");
  lanes.push({ id: "faults", kind: "faults" });
  return lanes;
}

/**
 * One arrow per delivery or drop, from the latest send of its message id. A second delivery of a message id
 * is a duplicate; a delivery on a link whose later-sent message (higher id: ids grow with sends) was already
 * delivered is a reorder.
 */
export function buildArrows(events: readonly TraceEvent[]): ViewerData["arrows"] {
  const arrows: ViewerData["arrows"] = { send: [], end: [], flags: [] };
  const sendOf = new Map<number, number>();
  const delivered = new Set<number>();
  const highestOnLink = new Map<string, number>();
  events.forEach((e, i) => {
    if (e.msgId === undefined) return;
    if (e.kind === "message_sent") {
      sendOf.set(e.msgId, i);
    } else if (e.kind === "message_delivered" || e.kind === "message_dropped") {
      let flags = e.kind === "message_dropped" ? ARROW_DROPPED : 0;
      if (e.kind === "message_delivered") {
        if (delivered.has(e.msgId)) flags |= ARROW_DUPLICATE;
        delivered.add(e.msgId);
        const link = `${e.from}\u0000${e.to}`;
        const highest = highestOnLink.get(link) ?? -1;
        if (e.msgId < highest) flags |= ARROW_REORDERED;
        else highestOnLink.set(link, e.msgId);
      }
      arrows.send.push(sendOf.get(e.msgId) ?? -1);
      arrows.end.push(i);
      arrows.flags.push(flags);
    }
  });
  return arrows;
}

/** Lane spans from the trace: down (crash to restart), paused, cut off, partitions (until a heal). */
export function buildSpans(events: readonly TraceEvent[], laneOf: Map<string, number>, endUs: number): ViewerSpan[] {
  const spans: ViewerSpan[] = [];
  const open = new Map<string, ViewerSpan>();
  const begin = (key: string, lane: number, kind: ViewerSpan["kind"], startUs: number, label: string) => {
    if (open.has(key)) return;
    const span: ViewerSpan = { lane, kind, startUs, endUs, label };
    open.set(key, span);
    spans.push(span);
  };
  const end = (key: string, atUs: number) => {
    const span = open.get(key);
    if (span === undefined) return;
    span.endUs = atUs;
    open.delete(key);
  };
  for (const e of events) {
    const lane = laneIndex(laneOf, e.node);
    switch (e.kind) {
      case "node_crashed": begin(`down:${e.node}`, lane, "down", e.timeUs, "down"); break;
      case "node_restarted": case "node_started": end(`down:${e.node}`, e.timeUs); break;
      case "node_paused": begin(`paused:${e.node}`, lane, "paused", e.timeUs, "paused"); break;
      case "node_resumed": end(`paused:${e.node}`, e.timeUs); break;
      case "partition_detected": beginCut(e, laneOf, begin); break;
      case "partition_healed":
        if (e.event === "heal" || e.node === undefined) for (const key of [...open.keys()]) { if (key.startsWith("cut:") || key.startsWith("partition")) end(key, e.timeUs); }
        else end(`cut:${e.node}`, e.timeUs);
        break;
      default: break;
    }
  }
  return spans;
}

type BeginSpan = (key: string, lane: number, kind: ViewerSpan["kind"], startUs: number, label: string) => void;

/** A network fault's span: one node cut off (isolate, disconnect), a blocked link, or a partition of the cluster. */
function beginCut(e: TraceEvent, laneOf: Map<string, number>, begin: BeginSpan): void {
  const fault = (e.data ?? {}) as { node?: unknown; from?: unknown; to?: unknown; groups?: unknown };
  if (typeof fault.node === "string") {
    begin(`cut:${fault.node}`, laneIndex(laneOf, fault.node), "cut", e.timeUs, e.event ?? "cut");
  } else if (typeof fault.from === "string" && typeof fault.to === "string") {
    begin(`cut:${fault.from}>${fault.to}`, laneIndex(laneOf, fault.from), "cut", e.timeUs, `blocks ${fault.to}`);
  } else {
    const groups = Array.isArray(fault.groups) ? fault.groups.map((g) => (Array.isArray(g) ? g.join(",") : String(g))).join(" | ") : e.event ?? "partition";
    begin(`partition:${e.step}:${e.timeUs}`, -1, "partition", e.timeUs, groups);
  }
}
