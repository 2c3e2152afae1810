import type { RandomStream } from "../random/stream.js";
import type { LatencyDistribution } from "./config.js";
import { compactUs } from "../time.js";

/**
 * Draws one delay, in whole microseconds, from a validated distribution. Samples are clamped to
 * [0, maxMs] so a heavy tail cannot push a message past the end of any run.
 */
export function sampleLatencyUs(d: LatencyDistribution, rng: RandomStream): number {
  let ms: number;
  let maxMs = Infinity;
  switch (d.kind) {
    case "constant":
      return compactUs(Math.round(d.ms * 1000));
    case "uniform":
      ms = d.minMs + (d.maxMs - d.minMs) * rng.float();
      break;
    case "normal":
      ms = d.meanMs + d.stddevMs * rng.normal();
      maxMs = d.maxMs ?? Infinity;
      break;
    case "exponential":
      ms = -d.meanMs * Math.log(1 - rng.float());
      maxMs = d.maxMs ?? d.meanMs * 50;
      break;
    case "pareto":
      ms = d.scaleMs / Math.pow(1 - rng.float(), 1 / d.shape);
      maxMs = d.maxMs ?? d.scaleMs * 1000;
      break;
  }
  if (ms < 0) ms = 0;
  if (ms > maxMs) ms = maxMs;
  return compactUs(Math.round(ms * 1000));
}
