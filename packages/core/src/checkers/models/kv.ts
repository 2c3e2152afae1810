import { ConfigError } from "../../errors.js";
import { ILLEGAL, casArgument, checkFunction, sameValue, type Model, type ModelOp, type StateKey } from "../model.js";
import { isFailedCompare } from "./register.js";

/** Options of the key-value model. */
export interface KvModelOptions {
  /**
   * The value of a key never written. `null` (absent) suits a Raft KV store; the Porcupine kv corpus
   * starts every key as the empty string. @defaultValue null
   */
  initial?: string | null;
}

/**
 * One key's value during one search. Values set by put (and the initial value) are interned, so equal ones
 * share a state; an append from a state is remembered on it, so the same append again is one map lookup and
 * yields the same state. Appended values are kept as a chain of parts and only joined into a string when a
 * get compares against them (a length and last-part check first), so long appended values are neither
 * rebuilt nor hashed on every step. The memo key is the integer id.
 */
export class KvState {
  /** Appends already seen from this value: suffix -> resulting state (created on the first append). */
  appended: Map<string, KvState> | undefined;
  private joined: string | undefined;

  constructor(
    readonly id: number,
    readonly table: ValueTable,
    private readonly parent: KvState | undefined,
    /** For a root, the whole value; for an appended state, the appended suffix. */
    private readonly part: string | null,
    readonly length: number,
  ) {}

  /** The value as a string (null when absent), joined once and cached. */
  get value(): string | null {
    if (this.parent === undefined) return this.part;
    if (this.joined !== undefined) return this.joined;
    const parts: string[] = [];
    let node: KvState = this;
    while (node.parent !== undefined && node.joined === undefined) {
      parts.push(node.part!);
      node = node.parent;
    }
    parts.push(node.parent === undefined ? node.part ?? "" : node.joined!);
    this.joined = parts.reverse().join("");
    return this.joined;
  }

  /** Whether a get's output equals this value. */
  equals(output: unknown): boolean {
    if (typeof output !== "string" || this.parent === undefined) return sameValue(this.value, output);
    if (output.length !== this.length || !output.endsWith(this.part!)) return false;
    return this.value === output;
  }
}

/** The states of one key in one search. Its size is bounded by the search's steps (one new state per step at most). */
class ValueTable {
  private readonly roots = new Map<string | null, KvState>();
  private nextId = 0;

  intern(value: string | null): KvState {
    let state = this.roots.get(value);
    if (state === undefined) this.roots.set(value, (state = new KvState(this.nextId++, this, undefined, value, value?.length ?? 0)));
    return state;
  }

  append(state: KvState, suffix: string): KvState {
    const seen = (state.appended ??= new Map());
    let next = seen.get(suffix);
    if (next === undefined) seen.set(suffix, (next = new KvState(this.nextId++, this, state, suffix, state.length + suffix.length)));
    return next;
  }
}

/**
 * One key of a key-value store: `get` returns the value, `put` sets `input`, `append` concatenates `input`
 * onto the current string (an absent value counts as ""), `cas` takes `[from, to]` as in
 * {@link casRegisterModel}. The checker splits histories per key (P-compositionality), so the state is a
 * single key's value. Each `init` starts a fresh value table, so reusing one model across checks does not
 * accumulate memory.
 */
export function kvModel(options: KvModelOptions = {}): Model<KvState> {
  const initial = options.initial ?? null;
  if (initial !== null && typeof initial !== "string") throw new ConfigError("kvModel.initial", "must be a string or null", initial);
  return {
    name: "kv",
    init: () => new ValueTable().intern(initial),
    step: (state, op) => kvStep(state.table, state, op),
    stateKey: (state): StateKey => state.id,
    describeState: (state) => state.value,
    isReadOnly: (op) => op.f === "get" || isFailedCompare(op),
    validate: (op, field) => {
      checkFunction(op, field, "kv", ["get", "put", "append", "cas"]);
      if (op.f === "cas") casArgument(op, field);
    },
  };
}

function kvStep(table: ValueTable, state: KvState, op: ModelOp): KvState | typeof ILLEGAL {
  switch (op.f) {
    case "put":
      return table.intern(op.input === undefined || op.input === null ? null : String(op.input));
    case "append":
      return table.append(state, String(op.input ?? ""));
    case "cas": {
      const [from, to] = op.input as [unknown, unknown]; // validated before the search
      const matches = state.equals(from);
      if (op.outputKnown && (op.output === false) === matches) return ILLEGAL;
      return matches && (!op.outputKnown || op.output !== false) ? table.intern(to === undefined || to === null ? null : String(to)) : state;
    }
    default:
      if (!op.outputKnown) return state;
      return state.equals(op.output) ? state : ILLEGAL;
  }
}
