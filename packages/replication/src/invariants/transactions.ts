import type { CheckVerdict, History, Invariant, NodeId, SimulationView } from "@faultline/core";
import { checkExactlyOnce } from "@faultline/core";
import { ownerOf, type ResolvedTxConfig } from "../transactions/config.js";
import type { TxWrite } from "../transactions/messages.js";
import type { TxParticipantInspection } from "../transactions/participant.js";
import { StepLog, inspectAs } from "./step-log.js";

/**
 * Atomicity: every participant of a transaction decides the same way: all that prepared it commit, or all
 * abort. Reads the participants' `tx_decided` events; a second decision that differs from the first is the
 * violation (a coordinator that lost its commit decision, then presumed abort).
 */
export function atomicity(): Invariant {
  const log = new StepLog();
  const decided = new Map<string, { commit: boolean; node: NodeId }>();
  return {
    name: "Atomicity",
    messageEvents: false,
    check(view) {
      if (!log.sync(view)) return undefined;
      for (const { node, data } of log.named<{ txId: string; commit: boolean }>("tx_decided")) {
        const first = decided.get(data.txId);
        if (first === undefined) decided.set(data.txId, { commit: data.commit, node });
        else if (first.commit !== data.commit) {
          return `transaction ${data.txId} ${first.commit ? "committed" : "aborted"} at ${first.node} but ${data.commit ? "committed" : "aborted"} at ${node}`;
        }
      }
      return undefined;
    },
  };
}

/**
 * Exactly once ("exactly-once"): no participant applies one request twice (a retried transaction that committed
 * is answered from the coordinator's record within the dedup window, never run again); and durability
 * ("Durability"): every transaction a client saw commit is applied at each participant that owns one of its keys.
 */
export function checkTransactionsOnce(view: SimulationView, config: ResolvedTxConfig, history: History): CheckVerdict {
  const applied: Record<NodeId, readonly string[]> = {};
  for (const p of config.participants) applied[p] = inspectAs<TxParticipantInspection>(view, p)?.applied ?? [];
  const once = checkExactlyOnce(applied);
  if (once.kind !== "ok") return once;
  const requestIds = requestIdsOf(history);
  for (const op of history.operations()) {
    if (op.f !== "txn" || op.type !== "ok") continue;
    const requestId = requestIds.get(op.opId)!;
    for (const owner of new Set((op.input as TxWrite[]).map(([key]) => ownerOf(config, key)))) {
      if (!applied[owner]!.includes(requestId)) return { kind: "violation", checker: "Durability", message: `transaction ${requestId} committed (the client was told) but ${owner} never applied it` };
    }
  }
  return { kind: "ok", checker: "exactly-once" };
}

/** Each operation's request id: WorkloadClient numbers a process's operations from 0 (`<process>:<n>`). */
function requestIdsOf(history: History): Map<number, string> {
  const counts = new Map<string, number>();
  const out = new Map<number, string>();
  for (const e of history.events()) {
    if (e.type !== "invoke") continue;
    const n = counts.get(e.process) ?? 0;
    counts.set(e.process, n + 1);
    out.set(e.opId, `${e.process}:${n}`);
  }
  return out;
}
