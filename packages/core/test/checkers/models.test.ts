import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ConfigError, checkLinearizable, fifoQueueModel, multiRegisterModel, mutexModel, parseJepsenEdn, unorderedQueueModel,
  type Operation,
} from "@faultline/core";

/** A compact operation builder: [process, f, input, output, invokeUs, completeUs, type]. */
function op(opId: number, process: string, f: string, input: unknown, output: unknown, invokeUs: number, completeUs: number, type: Operation["type"] = "ok"): Operation {
  return { opId, process, f, input, output, invokeUs, completeUs: type === "info" ? Infinity : completeUs, type };
}

const verdict = (ops: Operation[] | ReturnType<typeof parseJepsenEdn>, model: Parameters<typeof checkLinearizable>[1]) => checkLinearizable(ops, model).kind;

describe("mutex model (acquire / release)", () => {
  it("acquire, release, acquire in turn is fine; two holders at once are not", () => {
    expect(verdict([op(0, "a", "acquire", null, null, 0, 10), op(1, "a", "release", null, null, 20, 30), op(2, "b", "acquire", null, null, 40, 50)], mutexModel())).toBe("ok");
    expect(verdict([op(0, "a", "acquire", null, null, 0, 10), op(1, "b", "acquire", null, null, 20, 30)], mutexModel())).toBe("violation");
  });

  it("an acquire concurrent with the release may follow it; a release of a free lock is a violation", () => {
    expect(verdict([op(0, "a", "acquire", null, null, 0, 10), op(1, "a", "release", null, null, 15, 100), op(2, "b", "acquire", null, null, 50, 60)], mutexModel())).toBe("ok");
    expect(verdict([op(0, "a", "release", null, null, 0, 10)], mutexModel())).toBe("violation");
  });

  it("an acquire of unknown outcome may never have happened; a release of unknown outcome may have freed the lock", () => {
    expect(verdict([op(0, "a", "acquire", null, null, 0, 0, "info"), op(1, "b", "acquire", null, null, 20, 30)], mutexModel())).toBe("ok");
    expect(verdict([op(0, "a", "acquire", null, null, 0, 10), op(1, "a", "release", null, null, 20, 0, "info"), op(2, "b", "acquire", null, null, 40, 50)], mutexModel())).toBe("ok");
    expect(verdict([op(0, "a", "acquire", null, null, 0, 10), op(1, "a", "release", null, null, 20, 30, "fail"), op(2, "b", "acquire", null, null, 40, 50)], mutexModel())).toBe("violation");
  });
});

describe("multi-register model (txn of reads and writes)", () => {
  const w = (k: string, v: unknown) => ["w", k, v];
  const r = (k: string, v: unknown) => ["r", k, v];
  const txn = (opId: number, process: string, micro: unknown[][], done: unknown[][] | null, invokeUs: number, completeUs: number, type: Operation["type"] = "ok") =>
    op(opId, process, "txn", micro.map((m) => (m[0] === "r" ? [m[0], m[1], null] : m)), done, invokeUs, completeUs, type);

  it("a transaction's writes are seen together", () => {
    const model = multiRegisterModel({ initial: { x: 0, y: 0 } });
    const write = txn(0, "a", [w("x", 1), w("y", 1)], [w("x", 1), w("y", 1)], 0, 10);
    expect(verdict([write, txn(1, "b", [r("x", 0), r("y", 0)], [r("x", 1), r("y", 1)], 20, 30)], model)).toBe("ok");
    expect(verdict([write, txn(1, "b", [r("x", 0), r("y", 0)], [r("x", 0), r("y", 0)], 5, 8)], model)).toBe("ok");
    // half of the transaction seen, concurrently: not atomic
    expect(verdict([write, txn(1, "b", [r("x", 0), r("y", 0)], [r("x", 1), r("y", 0)], 5, 8)], model)).toBe("violation");
  });

  it("reads inside a transaction see its own earlier writes", () => {
    expect(verdict([txn(0, "a", [w("x", 5), r("x", null)], [w("x", 5), r("x", 5)], 0, 10)], multiRegisterModel())).toBe("ok");
    expect(verdict([txn(0, "a", [r("x", null), w("x", 5)], [r("x", 5), w("x", 5)], 0, 10)], multiRegisterModel())).toBe("violation");
  });

  it("reads of nil constrain nothing by default (Knossos); with nilReads: absent they read the initial value", () => {
    const ops = [txn(0, "a", [w("x", 1)], [w("x", 1)], 0, 10), txn(1, "b", [r("x", null)], [r("x", null)], 20, 30)];
    expect(verdict(ops, multiRegisterModel())).toBe("ok");
    expect(verdict(ops, multiRegisterModel({ nilReads: "absent" }))).toBe("violation");
  });

  it("a transaction of unknown outcome may have applied its writes", () => {
    const ops = [txn(0, "a", [w("x", 1), w("y", 2)], null, 0, 0, "info"), txn(1, "b", [r("x", null), r("y", null)], [r("x", 1), r("y", 2)], 20, 30)];
    expect(verdict(ops, multiRegisterModel())).toBe("ok");
  });

  it("Jepsen :txn histories import as they are", () => {
    const text = [
      "[{:process 0, :type :invoke, :f :txn, :value [[:w :x 1] [:w :y 1]]}",
      " {:process 0, :type :ok, :f :txn, :value [[:w :x 1] [:w :y 1]]}",
      " {:process 1, :type :invoke, :f :txn, :value [[:r :x nil] [:r :y nil]]}",
      " {:process 1, :type :ok, :f :txn, :value [[:r :x 1] [:r :y 0]]}]",
    ].join("\n");
    expect(verdict(parseJepsenEdn(text), multiRegisterModel({ initial: { x: 0, y: 0 } }))).toBe("violation");
    expect(verdict(parseJepsenEdn(text.replace("[:r :y 0]", "[:r :y 1]")), multiRegisterModel({ initial: { x: 0, y: 0 } }))).toBe("ok");
  });

  it("malformed transactions are ConfigErrors naming the field", () => {
    expect(() => checkLinearizable([op(0, "a", "txn", [["x", "k", 1]], null, 0, 1)], multiRegisterModel())).toThrow(/input\[0\].*micro-op/);
    expect(() => checkLinearizable([op(0, "a", "txn", [["r", "k", null]], [["r", "j", 1]], 0, 1)], multiRegisterModel())).toThrow(/output\[0\]/);
    expect(() => checkLinearizable([op(0, "a", "read", null, 1, 0, 1)], multiRegisterModel())).toThrow(ConfigError);
    expect(() => multiRegisterModel({ nilReads: "zero" as never })).toThrow(/nilReads/);
  });
});

describe("queue models", () => {
  const queueList = parseJepsenEdn(readFileSync(new URL("../history/fixtures/queue-list.edn", import.meta.url), "utf8"));

  it("FIFO: elements leave in the order they went in; the fixture's reversed order is a violation, fine for an unordered queue", () => {
    const inOrder = [op(0, "a", "enqueue", 1, 1, 0, 10), op(1, "a", "enqueue", 2, 2, 20, 30), op(2, "b", "dequeue", null, 1, 40, 50), op(3, "b", "dequeue", null, 2, 60, 70)];
    expect(verdict(inOrder, fifoQueueModel())).toBe("ok");
    expect(verdict(queueList, fifoQueueModel())).toBe("violation");
    expect(verdict(queueList, unorderedQueueModel())).toBe("ok");
  });

  it("FIFO: concurrent enqueues may go in either order; a dequeue of unknown outcome may have taken the head", () => {
    expect(verdict([op(0, "a", "enqueue", 1, 1, 0, 30), op(1, "b", "enqueue", 2, 2, 0, 30), op(2, "c", "dequeue", null, 2, 40, 50), op(3, "c", "dequeue", null, 1, 60, 70)], fifoQueueModel())).toBe("ok");
    const tookHead = [op(0, "a", "enqueue", 1, 1, 0, 10), op(1, "a", "enqueue", 2, 2, 20, 30), op(2, "b", "dequeue", null, null, 40, 0, "info"), op(3, "c", "dequeue", null, 2, 60, 70)];
    expect(verdict(tookHead, fifoQueueModel())).toBe("ok");
    expect(verdict(tookHead.filter((o) => o.opId !== 2), fifoQueueModel())).toBe("violation");
  });

  it("both queues: an element dequeued twice, or before it was enqueued, is a violation", () => {
    const twice = [op(0, "a", "enqueue", 1, 1, 0, 10), op(1, "b", "dequeue", null, 1, 20, 30), op(2, "c", "dequeue", null, 1, 40, 50)];
    const early = [op(0, "b", "dequeue", null, 1, 0, 5), op(1, "a", "enqueue", 1, 1, 10, 20)];
    for (const model of [fifoQueueModel(), unorderedQueueModel()]) {
      expect(verdict(twice, model)).toBe("violation");
      expect(verdict(early, model)).toBe("violation");
      expect(verdict(twice.slice(0, 2), model)).toBe("ok");
    }
  });

  it("an ok dequeue must name the element it took (record an empty dequeue as fail)", () => {
    expect(() => checkLinearizable([op(0, "a", "dequeue", null, null, 0, 1)], fifoQueueModel())).toThrow(/record a dequeue that found the queue empty as fail/);
    expect(() => checkLinearizable([op(0, "a", "enqueue", null, null, 0, 1)], unorderedQueueModel())).toThrow(/enqueue takes/);
  });
});
