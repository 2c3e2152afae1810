/**
 * Worker-thread entry: fingerprints a range of seeds and posts them back in one message, with the file
 * `@faultline/core` resolved to (the test checks that the worker ran the same sources, not a stale dist/).
 */
import { parentPort, workerData } from "node:worker_threads";
import { fingerprintRange } from "./hash-seeds.js";

const { from, count } = workerData as { from: number; count: number };
parentPort!.postMessage({ core: import.meta.resolve("@faultline/core"), fingerprints: fingerprintRange(from, count) });
