import { ConfigError, ILLEGAL, sameValue, valueKey, type Model, type ModelOp, type StateKey } from "@faultline/core";

/**
 * The sequential specification of one key of the Raft KV store, for the linearizability checker. Values keep
 * their JSON type (core's `kvModel` follows the Porcupine corpus, where every value is a string): `put` sets
 * the value, `cas` takes `[expected, new]` (a failed compare is recorded as a `fail` operation, so an ok cas
 * always swapped), `append` adds to a list, and `get` returns the value (null when absent).
 */
export function raftKvModel(): Model<unknown> {
  return {
    name: "raft-kv",
    init: () => null,
    step: (state, op) => {
      switch (op.f) {
        case "put":
          return op.input ?? null;
        case "cas": {
          const [expected, next] = casPair(op);
          if (sameValue(state, expected)) return next ?? null;
          return op.outputKnown ? ILLEGAL : state;
        }
        case "append":
          return [...(Array.isArray(state) ? state : []), op.input];
        default:
          if (!op.outputKnown) return state;
          return sameValue(state, op.output) ? state : ILLEGAL;
      }
    },
    stateKey: (state): StateKey => valueKey(state),
    isReadOnly: (op) => op.f === "get",
    validate: (op, field) => {
      if (!["get", "put", "cas", "append"].includes(op.f)) throw new ConfigError(`${field}.f`, "must be get, put, cas or append (raft-kv model)", op.f);
      if (op.f === "cas") casPair(op);
    },
  };
}

function casPair(op: ModelOp): [unknown, unknown] {
  if (!Array.isArray(op.input) || op.input.length !== 2) throw new ConfigError("op.input", "a cas input must be [expected, new]", op.input);
  return [op.input[0], op.input[1]];
}
