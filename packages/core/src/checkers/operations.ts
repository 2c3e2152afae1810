import { ConfigError } from "../errors.js";
import { History, type Operation } from "../history/history.js";

/**
 * An operation with its real-time interval as the checkers order it. For a {@link History} the positions
 * are event indices (exact even when two events share a virtual time); for a bare operation list they are
 * `invokeUs` / `completeUs`, and ties count as concurrent.
 */
export interface TimedOperation {
  op: Operation;
  /** Index in the checker's operation list, for witnesses. */
  index: number;
  callAt: number;
  /** `Infinity` for info and open operations. */
  returnAt: number;
}

/** The most operations one check accepts. */
export const MAX_CHECKED_OPERATIONS = 5_000_000;

/** Reads a History or an operation list into timed operations, validating the shape of every operation. */
export function timedOperations(input: History | readonly Operation[], api: string): TimedOperation[] {
  if (input instanceof History) return fromHistory(input);
  if (!Array.isArray(input)) throw new ConfigError(`${api}.input`, "must be a History or an array of operations", input);
  if (input.length > MAX_CHECKED_OPERATIONS) throw new ConfigError(`${api}.input`, `may hold at most ${MAX_CHECKED_OPERATIONS} operations`, input.length);
  return input.map((op, index) => {
    checkOperation(op, `${api}.input[${index}]`);
    const returnAt = op.type === "info" ? Infinity : op.completeUs;
    return { op, index, callAt: op.invokeUs, returnAt };
  });
}

function fromHistory(history: History): TimedOperation[] {
  const events = history.events();
  const byId = new Map<number, TimedOperation>();
  const out: TimedOperation[] = [];
  for (const e of events) {
    if (e.type === "invoke") {
      const op: Operation = {
        opId: e.opId, process: e.process, f: e.f, key: e.key, input: e.value,
        output: undefined, type: "info", invokeUs: e.timeUs, completeUs: Infinity,
      };
      if (op.key === undefined) delete op.key;
      const timed = { op, index: out.length, callAt: e.index, returnAt: Infinity };
      byId.set(e.opId, timed);
      out.push(timed);
      continue;
    }
    const timed = byId.get(e.opId);
    if (timed === undefined) throw new ConfigError(`history[${e.index}].opId`, "must name an invoked operation", e.opId);
    timed.op.type = e.type;
    if (e.error !== undefined) timed.op.error = e.error;
    if (e.type === "ok") timed.op.output = e.value;
    if (e.type !== "info") {
      timed.op.completeUs = e.timeUs;
      timed.returnAt = e.index;
    }
  }
  return out;
}

function checkOperation(op: Operation, field: string): void {
  if (typeof op !== "object" || op === null) throw new ConfigError(field, "must be an operation object", op);
  if (typeof op.f !== "string" || op.f.length === 0) throw new ConfigError(`${field}.f`, "must be a non-empty string", op.f);
  if (op.type !== "ok" && op.type !== "fail" && op.type !== "info") throw new ConfigError(`${field}.type`, "must be ok, fail or info", op.type);
  if (!Number.isFinite(op.invokeUs)) throw new ConfigError(`${field}.invokeUs`, "must be a finite number", op.invokeUs);
  if (op.type !== "info" && !(op.completeUs >= op.invokeUs && Number.isFinite(op.completeUs))) {
    throw new ConfigError(`${field}.completeUs`, "must be a finite time no earlier than invokeUs", op.completeUs);
  }
  if (op.key !== undefined && typeof op.key !== "string") throw new ConfigError(`${field}.key`, "must be a string when present", op.key);
}

/** Groups operations by key in order of first appearance (deterministic); operations without a key share "". */
export function groupByKey<T extends { op: Operation }>(ops: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const t of ops) {
    const key = t.op.key ?? "";
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = []));
    group.push(t);
  }
  return groups;
}
