import { describe, expect, it } from "vitest";
import type { Simulation } from "@faultline/core";
import { captureStates } from "../../packages/core/src/nodejs/viewer/states.js";

/** Just what captureStates reads of a simulation: step listeners, the step's nodes, their behaviours. */
function fakeSim(states: Record<string, () => unknown>) {
  const listeners: ((step: number) => void)[] = [];
  const sim = {
    stepNodes: [] as string[],
    on: (_: string, fn: (step: number) => void) => listeners.push(fn),
    behavior: (id: string) => (states[id] === undefined ? undefined : { inspect: states[id] }),
  };
  const step = (n: number, nodes: string[]) => { sim.stepNodes = nodes; for (const l of listeners) l(n); };
  return { sim: sim as unknown as Simulation, step };
}

describe("node states recorded for the viewer", () => {
  it("records a node's inspect() after a step it ran in, only when it changed", () => {
    let term = 1;
    const { sim, step } = fakeSim({ a: () => ({ term }) });
    const c = captureStates(sim);
    step(1, ["a"]);
    step(2, ["a"]); // unchanged: not kept
    term = 2;
    step(3, []); // a did not run: not looked at
    step(4, ["a", "b"]); // b has no behaviour (down): skipped
    expect(c.states).toEqual({ a: [[1, '{"term":1}'], [4, '{"term":2}']] });
    expect(c.note()).toMatch(/^inspect\(\) after each step/);
  });

  it("bounds collections: arrays to their last items, maps below the top to their last keys; the state's own fields stay", () => {
    const big = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]));
    const top = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, i]));
    const { sim, step } = fakeSim({ a: () => ({ ...top, log: Array.from({ length: 100 }, (_, i) => i), map: big }) });
    const c = captureStates(sim, { arrayItemsMax: 4 });
    step(1, ["a"]);
    const state = JSON.parse(c.states.a![0]![1]);
    expect(Object.keys(state).filter((k) => k.startsWith("f"))).toHaveLength(30);
    expect(state.log).toEqual(["…96 earlier", 96, 97, 98, 99]);
    expect(state.map).toEqual({ "…": "36 earlier keys", k36: 36, k37: 37, k38: 38, k39: 39 });
  });

  it("cuts collections further until a state fits stateCharsMax, and stays valid JSON", () => {
    const { sim, step } = fakeSim({ a: () => ({ log: Array.from({ length: 50 }, () => "x".repeat(40)) }) });
    const c = captureStates(sim, { arrayItemsMax: 16, stateCharsMax: 200 });
    step(1, ["a"]);
    const text = c.states.a![0]![1];
    expect(text.length).toBeLessThanOrEqual(200);
    expect(JSON.parse(text).log.length).toBeLessThan(16);
  });

  it("stops at totalCharsMax and says from which step; a protocol without inspect() is named", () => {
    let n = 0;
    const { sim, step } = fakeSim({ a: () => ({ n: ++n }) });
    const c = captureStates(sim, { totalCharsMax: 20 });
    step(1, ["a"]);
    step(2, ["a"]);
    step(3, ["a"]);
    expect(c.states.a).toEqual([[1, '{"n":1}'], [2, '{"n":2}']]);
    expect(c.note()).toMatch(/stopped at step 3: 20 chars of states recorded/);
    const plain = fakeSim({});
    expect(captureStates(plain.sim).note()).toMatch(/no node states/);
  });
});
