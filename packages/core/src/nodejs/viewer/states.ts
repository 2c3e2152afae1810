import type { Simulation } from "../../engine/simulation.js";

/** Bounds of the node states a viewer records during a replay. */
export interface StateCaptureLimits {
  /** Items kept of each array in a state (the last ones; a note says how many were left out). @defaultValue 8 */
  arrayItemsMax?: number;
  /** Characters of one node's state (JSON text): collections are cut further until it fits. @defaultValue 4,000 */
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
  const arrayItemsMax = limits.arrayItemsMax ?? 8;
  const stateCharsMax = limits.stateCharsMax ?? 4000;
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
    const how = `inspect() after each step of the nodes that ran in it, kept where it changed (arrays and maps: last ${arrayItemsMax} items, fewer where a state passes ${stateCharsMax} chars)`;
    return cutAtStep === undefined ? how : `${how}; stopped at step ${cutAtStep}: ${totalCharsMax} chars of states recorded`;
  };
  return { states, note };
}

function inspectText(sim: Simulation, id: string, arrayItemsMax: number, charsMax: number): string | undefined {
  const behavior = sim.behavior(id) as { inspect?: () => unknown } | undefined;
  if (behavior === undefined || typeof behavior.inspect !== "function") return undefined;
  let state: unknown;
  try {
    state = behavior.inspect();
  } catch (error) {
    return JSON.stringify({ inspectThrew: String(error) });
  }
  // fewer items per collection until the state fits (at most 5 tries), so the text stays valid JSON
  let text = "null";
  for (let items = arrayItemsMax, tries = 0; tries < 5; items = Math.max(1, items >> 1), tries++) {
    text = JSON.stringify(boundArrays(state, items, 0)) ?? "null";
    if (text.length <= charsMax) return text;
  }
  return JSON.stringify({ clipped: `${text.slice(0, charsMax)}…` });
}

/**
 * A copy with every array cut to its last `itemsMax` items (a leading note counts the rest), and every object
 * below the top with more than twice that many keys (a map by slot or index) to its last `itemsMax` keys;
 * depth bounded.
 */
function boundArrays(value: unknown, itemsMax: number, depth: number): unknown {
  if (value === null || typeof value !== "object") return typeof value === "bigint" ? String(value) : value;
  if (depth > 8) return "…";
  if (value instanceof Map) return boundArrays(Object.fromEntries(value), itemsMax, depth);
  if (value instanceof Set) return boundArrays([...value], itemsMax, depth);
  if (Array.isArray(value)) {
    const kept = value.slice(Math.max(0, value.length - itemsMax)).map((v) => boundArrays(v, itemsMax, depth + 1));
    return value.length > itemsMax ? [`…${value.length - itemsMax} earlier`, ...kept] : kept;
  }
  const entries = Object.entries(value).filter(([, v]) => typeof v !== "function");
  const kept = depth > 0 && entries.length > 2 * itemsMax ? entries.slice(entries.length - itemsMax) : entries; // the state's own fields stay
  const out: Record<string, unknown> = kept.length < entries.length ? { "…": `${entries.length - kept.length} earlier keys` } : {};
  for (const [k, v] of kept) out[k] = boundArrays(v, itemsMax, depth + 1);
  return out;
}
