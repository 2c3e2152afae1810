import { checkConvergence, checkStaleReads, type CheckVerdict, type History, type NodeId, type Operation, type SimulationView } from "@faultline/core";
import { covers, type VersionVector } from "../conflict/version-vector.js";
import { inspectAs } from "../invariants/step-log.js";
import type { QuorumReadOutput, QuorumWriteOutput } from "./client.js";
import type { QuorumInspection } from "./inspect.js";

const REPORTED = 5;

/**
 * ReadsSeeAcknowledgedWrites: no read misses a write acknowledged before the read began. A read's causal
 * context must cover the dot of every write on its key that completed (ok) before the read was invoked. With
 * R + W > N every read quorum meets every write quorum, so this holds; with R + W <= N it need not.
 * Linear in the history (per key and coordinator, the highest dot completed so far).
 */
export function checkReadsSeeAcknowledgedWrites(history: History): CheckVerdict {
  const checker = "ReadsSeeAcknowledgedWrites";
  // per key: per coordinator, the highest dot counter of a write acknowledged so far, and that write's op id
  const done = new Map<string, Map<NodeId, { counter: number; opId: number }>>();
  // open operations; a read takes a copy of its key's acknowledged writes when it is invoked
  const open = new Map<number, { key: string; f: string; before?: Map<NodeId, { counter: number; opId: number }> }>();
  const misses: string[] = [];
  for (const e of history.events()) {
    if (e.type === "invoke") {
      if (e.key === undefined) continue;
      const isRead = e.f === "get" || e.f === "read";
      open.set(e.opId, { key: e.key, f: e.f, ...(isRead ? { before: new Map(done.get(e.key) ?? []) } : {}) });
      continue;
    }
    const op = open.get(e.opId);
    open.delete(e.opId);
    if (op === undefined || e.type !== "ok") continue;
    if (op.before !== undefined) {
      const context = (e.value as QuorumReadOutput | undefined)?.context ?? {};
      for (const [node, best] of op.before) {
        if (covers(context, { node, counter: best.counter })) continue;
        misses.push(`read #${e.opId} of ${JSON.stringify(op.key)} (context ${JSON.stringify(context)}) misses write #${best.opId} (dot ${node}:${best.counter}), acknowledged before the read began`);
      }
      continue;
    }
    const dot = (e.value as QuorumWriteOutput | undefined)?.dot;
    if (dot === undefined) continue;
    let perNode = done.get(op.key);
    if (perNode === undefined) done.set(op.key, (perNode = new Map()));
    const best = perNode.get(dot.node);
    if (best === undefined || dot.counter > best.counter) perNode.set(dot.node, { counter: dot.counter, opId: e.opId });
  }
  if (misses.length === 0) return { kind: "ok", checker };
  return { kind: "violation", checker, message: `${misses.length} read(s) missed an acknowledged write: ${misses.slice(0, REPORTED).join("; ")}`, witness: misses };
}

/**
 * Last-writer-wins in real time: with synchronized clocks, a read returns the value of the last write that
 * completed before it began (or a concurrent one). Core's stale-read checker over the register values
 * (reads' outputs and writes' inputs, unique per write).
 */
export function checkLwwStaleReads(history: History): CheckVerdict {
  const ops: Operation[] = history.operations().map((op) => (op.f === "get" && op.type === "ok" ? { ...op, output: (op.output as QuorumReadOutput).value } : op));
  return checkStaleReads(ops, { reads: ["get"], writes: ["put"] });
}

/**
 * Convergence after quiescence: for every key, its N replicas hold the same state (data and causal context).
 * Reads each node's values through its inspection.
 */
export function checkQuorumConvergence(view: SimulationView, nodes: readonly NodeId[]): CheckVerdict {
  const inspections = new Map<NodeId, QuorumInspection | undefined>(nodes.map((n) => [n, inspectAs<QuorumInspection>(view, n)]));
  const keys = new Set<string>();
  for (const i of inspections.values()) for (const k of i?.values.keys() ?? []) keys.add(k);
  for (const key of [...keys].sort()) {
    const some = [...inspections.values()].find((i) => i !== undefined)!;
    const states: Record<NodeId, unknown> = {};
    for (const n of some.preference(key)) states[n] = inspections.get(n)?.values.get(key) ?? (inspections.get(n) === undefined ? "down" : "absent");
    const verdict = checkConvergence(states);
    if (verdict.kind === "violation") return { ...verdict, message: `key ${JSON.stringify(key)}: ${verdict.message}` };
  }
  return { kind: "ok", checker: "convergence" };
}

/** The version vector type, re-exported for check users. */
export type { VersionVector };
