import type { Simulation } from "../../engine/simulation.js";

/** Bounds of the node states a viewer records during a replay. */
export interface StateCaptureLimits {
  /** Items kept of each array in a state (the last ones; a note says how many were left out). @defaultValue 16 */
  arrayItemsMax?: number;
  /** Characters kept of one node's state (JSON text). @defaultValue 8,000 */
  stateCharsMax?: number;
  /** Characters of states kept in all; once reached, no more are recorded and the note says from which step. @defaultValue 24,000,000 */
  totalCharsMax?: number;
}

/** What a capture recorded: per node, [step, JSON text] where the state changed, and how it was bounded. */
export interface CapturedStates {
  states: Record<string, [number, string][]>;
  note(): string;
}

/**
 * Records the nodes' inspected states during a run: after every step, for each node whose handlers ran in
 * it (`view.stepNodes`: the only ones whose state can have changed), `behavior(id).inspect()` when the
 * protocol has it, kept only when its (bounded) JSON differs from the node's previous one. Read-only: it
 * changes no event and no hash (replay still checks the trace hash).
 */
export function captureStates(sim: Simulation, limits: StateCaptureLimits = {}): CapturedStates {
  const arrayItemsMax = limits.arrayItemsMax ?? 16;
  const stateCharsMax = limits.stateCharsMax ?? 8000;
  const totalCharsMax = limits.totalCharsMax ?? 24_000_000;
  const states: Record<string, [number, string][]> = {};
  const last = new Map<string, string>();
  let total = 0;
  let cutAtStep: number | undefined;
  let inspectable = false;
  sim.on("step", (step: number) => {
    if (cutAtStep !== undefined) return;
    for (const id of sim.stepNodes) {
      const text = inspectText(sim, id, arrayItemsMax, stateCharsMax);
      if (text === undefined || last.get(id) === text) continue;
      inspectable = true;
      if (total + text.length > totalCharsMax) {
        cutAtStep = step;
        return;
      }
      total += text.length;
      last.set(id, text);
      (states[id] ??= []).push([step, text]);
    }
  });
  const note = () => {
    if (!inspectable) return "no node states: the protocol's behaviours have no inspect()";
    const how = `inspect() after each step of the nodes that ran in it, kept where it changed (arrays: last ${arrayItemsMax} items; ${stateCharsMax} chars per state)`;
    return cutAtStep === undefined ? how : `${how}; stopped at step ${cutAtStep}: ${totalCharsMax} chars of states recorded`;
  };
  return { states, note };
}

function inspectText(sim: Simulation, id: string, arrayItemsMax: number, charsMax: number): string | undefined {
  const behavior = sim.behavior(id) as { inspect?: () => unknown } | undefined;
  if (behavior === undefined || typeof behavior.inspect !== "function") return undefined;
  let text: string;
  try {
    text = JSON.stringify(boundArrays(behavior.inspect(), arrayItemsMax, 0)) ?? "null";
  } catch (error) {
    text = JSON.stringify({ inspectThrew: String(error) });
  }
  return text.length <= charsMax ? text : `${text.slice(0, charsMax)}…`;
}

/** A copy with every array cut to its last `itemsMax` items (a leading note counts the rest); depth bounded. */
function boundArrays(value: unknown, itemsMax: number, depth: number): unknown {
  if (value === null || typeof value !== "object") return typeof value === "bigint" ? String(value) : value;
  if (depth > 8) return "…";
  if (value instanceof Map) return boundArrays(Object.fromEntries(value), itemsMax, depth);
  if (value instanceof Set) return boundArrays([...value], itemsMax, depth);
  if (Array.isArray(value)) {
    const kept = value.slice(Math.max(0, value.length - itemsMax)).map((v) => boundArrays(v, itemsMax, depth + 1));
    return value.length > itemsMax ? [`…${value.length - itemsMax} earlier`, ...kept] : kept;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v !== "function") out[k] = boundArrays(v, itemsMax, depth + 1);
  return out;
}
