import type { DurableStorage } from "../storage/durable-storage.js";
import type { MetricsRegistry } from "../metrics/registry.js";

/** A node's (or client's) id on the simulated network. */
export type NodeId = string;

/** Severity of a structured log line. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/**
 * A protocol node, written by a user or a protocol package. All three handlers are synchronous and
 * deterministic; every effect (send, timer, storage, randomness, time) goes through the context.
 * Protocol state lives in the behaviour object; a crash discards the object, a restart builds a new one.
 */
export interface NodeBehavior<Msg = unknown> {
  /** At boot and after every restart: recover from `ctx.storage`, arm timers. */
  onStart(ctx: NodeContext<Msg>): void;
  /** A message arrived. `from` is the true sender: the network cannot be spoofed. */
  onMessage(ctx: NodeContext<Msg>, from: NodeId, msg: Msg): void;
  /** The named timer fired. */
  onTimer(ctx: NodeContext<Msg>, name: string): void;
  /**
   * A `byzantine` fault turned this node byzantine with the named behaviour (PBFT, for example).
   * A protocol that does not model byzantine nodes leaves this out, and schedules with byzantine faults
   * are rejected for it.
   */
  onByzantine?(ctx: NodeContext<Msg>, behavior: string): void;
}

/** Everything a node may do to the world. */
export interface NodeContext<Msg = unknown> {
  /** This node's id. */
  readonly id: NodeId;
  /** The cluster's node ids other than this one (for a client: every cluster node), in a fixed order. */
  readonly peers: readonly NodeId[];
  /** The node's local clock in milliseconds, with its skew and drift applied. Not comparable across nodes. */
  now(): number;
  /** Sends one message; the network may drop, duplicate, delay or reorder it. */
  send(to: NodeId, msg: Msg): void;
  /** Sends `msg` to every peer. */
  broadcast(msg: Msg): void;
  /** Arms the named timer `delayMs` of local-clock time from now, replacing a pending timer of that name. */
  setTimer(name: string, delayMs: number): void;
  /** Disarms the named timer; a no-op when it is not pending. */
  cancelTimer(name: string): void;
  /** A float in [0,1) from this node's own random stream. */
  random(): number;
  /** Durable storage: survives crashes once synced. */
  readonly storage: DurableStorage;
  /** A structured log line, recorded in the trace (and the JSON Lines export). */
  log(level: LogLevel, event: string, context?: Record<string, unknown>): void;
  /** The simulation's metrics registry. */
  readonly metrics: MetricsRegistry;
  /**
   * Buggify: whether to take the legal but rare path marked `name` now (`if (ctx.buggify("raft.sendOneEntry"))
   * ...`). True only when the run turned buggify on, the mark is enabled for this seed (decided from the seed
   * and the name), and a coin with the run's fire probability comes up. Off by default: then it returns false
   * and draws nothing. The coins come from the node's own buggify stream, never from `random()`. Mark only
   * what a correct protocol must survive: a path that is legal but seldom taken.
   */
  buggify(name: string): boolean;
  /**
   * Coverage probe: counts a hit of the interesting state `name` ("raft.committedOldTermIndirectly"). A sweep
   * reports each probe's hits and the declared probes its seeds never reached. Costs a counter increment: no
   * trace event, no draw, no change to the run.
   */
  probe(name: string): void;
}

/** Builds a fresh behaviour for a node: at boot and at every restart. */
export type BehaviorFactory<Msg = unknown> = (id: NodeId) => NodeBehavior<Msg>;
