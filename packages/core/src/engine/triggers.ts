import { ConfigError } from "../errors.js";
import type { TriggerFault } from "../faults/fault.js";
import type { NodeId } from "../node/behavior.js";
import { msToUs } from "../time.js";

/** The most triggers armed at once in one simulation (a bound on the table the hooks walk). */
export const MAX_ARMED_TRIGGERS = 10_000;

/** An action of a node that a trigger may wait for. */
export type TriggerAction = "send" | "sync" | "probe";

/** One armed trigger. */
export interface ArmedTrigger {
  readonly fault: TriggerFault;
  /** Virtual time after which it no longer fires (Infinity: until it has fired `count` times). */
  readonly expiresAtUs: number;
  /** Firings left. */
  left: number;
  /** Firings so far. */
  fired: number;
}

/**
 * The armed triggers of a simulation (`trigger` faults), in arming order. The engine's hooks (a send, a
 * sync, a probe hit) ask {@link match} only while {@link active} is true, so a run without triggers pays one
 * boolean check per send and probe, and nothing per sync (its disk has no observer).
 */
export class TriggerTable {
  /** Whether any trigger is armed (some may have expired: they are dropped when next matched). */
  active = false;
  private armed: ArmedTrigger[] = [];

  /** Arms `fault` now. */
  arm(fault: TriggerFault, nowUs: number): void {
    if (this.armed.length >= MAX_ARMED_TRIGGERS) throw new ConfigError("fault trigger", `at most ${MAX_ARMED_TRIGGERS} triggers may be armed at once`, fault);
    const expiresAtUs = fault.forMs === undefined ? Infinity : nowUs + msToUs(fault.forMs);
    this.armed.push({ fault, expiresAtUs, left: fault.count ?? 1, fired: 0 });
    this.active = true;
  }

  /** Removes the triggers armed on `node` (every trigger when undefined); returns how many were live. */
  disarm(node: NodeId | undefined, nowUs: number): number {
    const live = this.list(nowUs).filter((t) => node === undefined || t.node === node).length;
    this.armed = this.armed.filter((t) => node !== undefined && t.fault.node !== node);
    this.active = this.armed.length !== 0;
    return live;
  }

  /** The triggers still armed (not expired, firings left), in arming order. */
  list(nowUs: number): TriggerFault[] {
    return this.armed.filter((t) => t.expiresAtUs >= nowUs).map((t) => t.fault);
  }

  /** Whether a live trigger waits for a sync of `node`. */
  watchesSync(node: NodeId): boolean {
    return this.armed.some((t) => t.fault.node === node && t.fault.on.sync === true);
  }

  /**
   * The triggers of `node` that `action` (with its message type or probe name) fires now, in arming order;
   * each counts the firing, and one with no firings left is disarmed. Expired triggers are dropped on the way.
   */
  match(node: NodeId, action: TriggerAction, name: string, nowUs: number): ArmedTrigger[] {
    let fired: ArmedTrigger[] | undefined;
    let spent = false;
    for (const t of this.armed) {
      if (t.expiresAtUs < nowUs) {
        spent = true;
        continue;
      }
      if (t.fault.node !== node || !matches(t.fault, action, name)) continue;
      t.left--;
      t.fired++;
      if (t.left === 0) spent = true;
      (fired ??= []).push(t);
    }
    if (spent) {
      this.armed = this.armed.filter((t) => t.left > 0 && t.expiresAtUs >= nowUs);
      this.active = this.armed.length !== 0;
    }
    return fired ?? NONE;
  }
}

const NONE: ArmedTrigger[] = [];

function matches(fault: TriggerFault, action: TriggerAction, name: string): boolean {
  switch (action) {
    case "send": return fault.on.send === name;
    case "sync": return fault.on.sync === true;
    case "probe": return fault.on.probe === name;
  }
}

/** How a firing reads in the trace's `event` field: `send:AppendEntries`, `sync`, `probe:raft.leaderElected`. */
export function describeAction(action: TriggerAction, name: string): string {
  return action === "sync" ? "sync" : `${action}:${name}`;
}
