import type { Invariant, NodeId, TraceEvent } from "@faultline/core";
import { RaftStepObserver } from "./observer.js";

/**
 * Applied indices are contiguous: each node applies index k+1 right after k (`commit_applied`, in order),
 * a snapshot install never moves the applied state back, lastApplied matches the applies it announced, and
 * nothing is applied beyond commitIndex. After a (re)start the applied cursor starts where the node's
 * recovered state says (its lastApplied before any apply of that step).
 */
export function appliedContiguous(observer = new RaftStepObserver()): Invariant {
  /** The last applied index per node in its current incarnation; absent until it is known. */
  const cursor = new Map<NodeId, number>();
  return {
    name: "AppliedContiguous",
    messageEvents: false, // it reads the step's handler nodes and log events only
    check(view) {
      observer.sync(view);
      for (const id of observer.restarted) cursor.delete(id);
      seedCursors(observer, cursor);
      for (const e of observer.logEvents) {
        const problem = applyEvent(e, cursor);
        if (problem !== undefined) return problem;
      }
      for (const { id, inspection: insp } of observer.up) {
        const at = cursor.get(id);
        if (at !== undefined && insp.lastApplied !== at) return `${id} reports lastApplied ${insp.lastApplied} but announced applies up to ${at}`;
        if (insp.lastApplied > insp.commitIndex) return `${id} applied up to ${insp.lastApplied}, beyond its commitIndex ${insp.commitIndex}`;
      }
      return undefined;
    },
  };
}

/** Nodes without a known cursor start from their lastApplied minus the applies they announced this step. */
function seedCursors(observer: RaftStepObserver, cursor: Map<NodeId, number>): void {
  for (const { id, inspection: insp } of observer.up) {
    if (cursor.has(id)) continue;
    let appliesThisStep = 0;
    for (const e of observer.logEvents) if (e.node === id && e.event === "commit_applied") appliesThisStep++;
    cursor.set(id, insp.lastApplied - appliesThisStep);
  }
}

function applyEvent(e: TraceEvent, cursor: Map<NodeId, number>): string | undefined {
  const id = e.node!;
  const at = cursor.get(id);
  if (at === undefined) return undefined;
  const data = e.data as Record<string, number> | undefined;
  if (e.event === "commit_applied") {
    if (data?.index !== at + 1) return `${id} applied index ${String(data?.index)} right after index ${at}`;
    cursor.set(id, data.index);
  } else if (e.event === "snapshot_installed") {
    const s = data?.snapshotIndex ?? 0;
    if (s < at) return `${id} installed a snapshot at index ${s}, behind its applied index ${at}`;
    cursor.set(id, s);
  }
  return undefined;
}
