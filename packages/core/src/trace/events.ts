import type { NodeId } from "../node/behavior.js";

/** The kinds of event the engine itself traces. Protocols add their own through `ctx.log`. */
export type EngineEventKind =
  | "message_sent"
  | "message_delivered"
  | "message_dropped"
  | "message_duplicated"
  | "timer_fired"
  | "node_started"
  | "node_crashed"
  | "node_restarted"
  | "node_paused"
  | "node_resumed"
  | "partition_detected"
  | "partition_healed"
  | "fault_applied"
  | "trigger_fired"
  | "phase"
  | "log";

/** One traced event. `step` and `timeUs` say when; the rest says what. */
export interface TraceEvent {
  /** Step number (1-based) during which the event happened; 0 for set-up before the first step. */
  step: number;
  /** Virtual time in microseconds. */
  timeUs: number;
  /** What happened: an engine kind, or for kind "log" the protocol's event name is in `event`. */
  kind: EngineEventKind;
  /** The node the event concerns (the receiver for deliveries, the sender for sends). */
  node?: NodeId;
  /** For messages: sender and receiver. */
  from?: NodeId;
  to?: NodeId;
  /** For messages: the message id assigned at send (duplicates share it). */
  msgId?: number;
  /** For logs: level and event name. */
  level?: string;
  event?: string;
  /** Extra details (drop reason, fault, log context, message). */
  data?: unknown;
}
