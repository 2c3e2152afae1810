import { ILLEGAL, elementKey, type Model, type StateKey } from "../model.js";
import { validateQueueOp } from "./fifo-queue.js";

/** An unordered queue's state: its elements as a multiset, sorted by element key. */
export type UnorderedQueueState = ReadonlyArray<{ key: string; value: unknown }>;

/**
 * A queue that promises no order (as Knossos' unordered-queue): `enqueue` adds `input`; an `ok` `dequeue`
 * removes one element equal to its output, which must be present. A dequeue that found nothing is recorded
 * as `fail`. A dequeue of unknown outcome (`info`) may have removed any one element; the model keeps them
 * all, which loses no verdict: no operation of this model observes that an element is still there (there is
 * no "empty" result), so an extra element never makes a later operation illegal.
 */
export function unorderedQueueModel(): Model<UnorderedQueueState> {
  return {
    name: "unordered-queue",
    init: () => [],
    step: (queue, op) => {
      if (op.f === "enqueue") return insertSorted(queue, { key: elementKey(op.input), value: op.input });
      if (!op.outputKnown) return queue;
      const key = elementKey(op.output);
      const at = queue.findIndex((e) => e.key === key);
      return at < 0 ? ILLEGAL : [...queue.slice(0, at), ...queue.slice(at + 1)];
    },
    stateKey: (queue): StateKey => JSON.stringify(queue.map((e) => e.key)),
    describeState: (queue) => queue.map((e) => e.value),
    isReadOnly: () => false,
    validate: (op, field) => validateQueueOp(op, field, "unordered-queue"),
  };
}

function insertSorted(queue: UnorderedQueueState, element: { key: string; value: unknown }): UnorderedQueueState {
  let at = 0;
  while (at < queue.length && queue[at]!.key <= element.key) at++;
  return [...queue.slice(0, at), element, ...queue.slice(at)];
}
