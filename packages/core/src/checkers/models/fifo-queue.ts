import { ConfigError } from "../../errors.js";
import { ILLEGAL, checkFunction, elementKey, type Model, type ModelOp, type StateKey } from "../model.js";

/** A FIFO queue's state: its elements, oldest first. */
export type FifoQueueState = readonly unknown[];

/**
 * A first-in first-out queue (as Knossos' fifo-queue): `enqueue` appends `input`; an `ok` `dequeue` removes
 * the oldest element, which must equal its output. A dequeue that found the queue empty is recorded as
 * `fail` (it took nothing), as Jepsen's queue clients do. A dequeue of unknown outcome (`info`), if it took
 * effect, removed the oldest element (or nothing, from an empty queue). Elements are compared by value.
 */
export function fifoQueueModel(): Model<FifoQueueState> {
  return {
    name: "fifo-queue",
    init: () => [],
    step: (queue, op) => {
      if (op.f === "enqueue") return [...queue, op.input];
      if (queue.length === 0) return op.outputKnown ? ILLEGAL : queue;
      if (op.outputKnown && elementKey(queue[0]) !== elementKey(op.output)) return ILLEGAL;
      return queue.slice(1);
    },
    stateKey: (queue): StateKey => JSON.stringify(queue.map(elementKey)),
    isReadOnly: () => false,
    validate: (op, field) => validateQueueOp(op, field, "fifo-queue"),
  };
}

/** The queue models' shared rules: enqueue and dequeue only, no null elements. */
export function validateQueueOp(op: ModelOp, field: string, model: string): void {
  checkFunction(op, field, model, ["enqueue", "dequeue"]);
  if (op.f === "enqueue" && (op.input === null || op.input === undefined)) throw new ConfigError(`${field}.input`, "an enqueue takes the element to add (not null)", op.input);
  if (op.f === "dequeue" && op.outputKnown && (op.output === null || op.output === undefined)) {
    throw new ConfigError(`${field}.output`, "an ok dequeue returns the element it took (record a dequeue that found the queue empty as fail)", op.output);
  }
}
