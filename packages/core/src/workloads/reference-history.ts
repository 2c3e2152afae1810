import { ConfigError, assert } from "../errors.js";
import type { Operation } from "../history/history.js";
import { checkRatio, type Workload, type WorkloadOp } from "./workload.js";

/** Options of {@link referenceHistory}. */
export interface ReferenceHistoryOptions<S> {
  workload: Workload<S>;
  /** Concurrent clients (processes "c0", "c1", ...). */
  clients: number;
  /** Operations in total. */
  operations: number;
  /** Float source in [0,1), e.g. a seeded stream. */
  random: () => number;
  /** Share of operations whose completion is lost (recorded `info`); half of them never take effect. @defaultValue 0 */
  infoRatio?: number;
  /** Share of operations that fail cleanly (recorded `fail`, never take effect). @defaultValue 0 */
  failRatio?: number;
}

interface Pending {
  opId: number;
  op: WorkloadOp;
  invokeUs: number;
  phase: "invoked" | "applied";
  output: unknown;
  fate: "ok" | "info-applied" | "info-lost" | "fail";
}

/**
 * Builds a history that is linearizable by construction: concurrent clients invoke operations at random
 * times, each operation takes effect on a sequential reference (`workload.apply`) at one instant between its
 * invocation and its completion, and completions report the reference's output. Real-time overlap is random.
 * For property tests and benchmarks of the checkers. Bounded: exactly one phase advances per time step.
 */
export function referenceHistory<S>(options: ReferenceHistoryOptions<S>): Operation[] {
  const { workload, clients, operations, random } = options;
  if (!Number.isInteger(clients) || clients < 1 || clients > 10_000) throw new ConfigError("referenceHistory.clients", "must be an integer from 1 to 10000", clients);
  if (!Number.isInteger(operations) || operations < 0 || operations > 10_000_000) throw new ConfigError("referenceHistory.operations", "must be an integer from 0 to 10000000", operations);
  const infoRatio = checkRatio(options.infoRatio ?? 0, "referenceHistory.infoRatio");
  const failRatio = checkRatio(options.failRatio ?? 0, "referenceHistory.failRatio");
  const out: Operation[] = [];
  const pending = new Map<number, Pending>();
  let state = workload.initialState();
  let invoked = 0;
  const maxTicks = 3 * operations + 1;
  for (let t = 1; t <= maxTicks; t++) {
    const active = activeClients(clients, pending, invoked < operations);
    if (active.length === 0) break;
    const client = active[Math.floor(random() * active.length)]!;
    const p = pending.get(client);
    if (p === undefined) {
      const roll = random();
      const fate = roll < failRatio ? "fail" : roll < failRatio + infoRatio ? (random() < 0.5 ? "info-applied" : "info-lost") : "ok";
      pending.set(client, { opId: invoked++, op: workload.nextOp(random), invokeUs: t, phase: "invoked", output: undefined, fate });
    } else if (p.phase === "invoked" && (p.fate === "ok" || p.fate === "info-applied")) {
      const result = workload.apply(state, p.op);
      state = result.state;
      p.output = result.output;
      p.phase = "applied";
    } else {
      out.push(complete(client, p, t));
      pending.delete(client);
    }
  }
  assert(pending.size === 0 && invoked === operations, "referenceHistory finished with operations pending");
  return out.sort((a, b) => a.opId - b.opId);
}

function activeClients(clients: number, pending: ReadonlyMap<number, Pending>, more: boolean): number[] {
  const active: number[] = [];
  for (let c = 0; c < clients; c++) if (more || pending.has(c)) active.push(c);
  return active;
}

function complete(client: number, p: Pending, t: number): Operation {
  const type = p.fate === "ok" ? "ok" : p.fate === "fail" ? "fail" : "info";
  const op: Operation = {
    opId: p.opId, process: `c${client}`, f: p.op.f, input: p.op.value ?? null,
    output: type === "ok" ? p.output : undefined, type, invokeUs: p.invokeUs, completeUs: type === "info" ? Infinity : t,
  };
  if (p.op.key !== undefined) op.key = p.op.key;
  return op;
}
