import { ILLEGAL, checkFunction, type Model, type StateKey } from "../model.js";

/** A mutex's state: whether it is held. */
export type MutexState = boolean;

/**
 * A mutex (lock): `acquire` takes it when it is free, `release` frees it when it is held; neither has an
 * output. As Knossos' mutex, the model does not know who holds the lock (operations carry no process), so
 * it catches two holders at once and a release of a free lock, not a release by a client that is not the
 * holder. A failed acquire (`fail`) never took effect; an acquire of unknown outcome (`info`) may have taken
 * the lock at any point after its invocation, or never.
 */
export function mutexModel(): Model<MutexState> {
  return {
    name: "mutex",
    init: () => false,
    step: (held, op) => (op.f === "acquire" ? (held ? ILLEGAL : true) : held ? false : ILLEGAL),
    stateKey: (held): StateKey => held,
    describeState: (held) => (held ? "held" : "free"),
    isReadOnly: () => false,
    validate: (op, field) => checkFunction(op, field, "mutex", ["acquire", "release"]),
  };
}
