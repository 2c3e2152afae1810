import { drawParameters, type ParameterDocs, type ParameterValue, type Seed } from "@faultline/core";
import type { PbftConfig } from "../config.js";

/**
 * PBFT's knobs the parameter swarm draws per seed, within their legal ranges: a small checkpoint interval
 * makes checkpoints, garbage collection and state transfer frequent; a short view-change timeout makes view
 * changes (and failed ones, doubling) frequent under network faults.
 */
export const PBFT_PARAMETERS: ParameterDocs = {
  checkpointInterval: { description: "K: sequence numbers between checkpoints", min: 2, max: 32, integer: true, log: true },
  watermarkFactor: { description: "L = K * this: the window of sequence numbers above the stable checkpoint", values: [2, 3, 4] },
  viewChangeTimeoutMs: { description: "T: how long a backup waits for a request to execute before a view change (ms)", min: 100, max: 800, integer: true },
  statusIntervalMs: { description: "how often a stuck replica asks the others for what it misses (ms)", min: 20, max: 200, integer: true },
};

/** What the swarm drew for one seed, as replica options (the explicit ones in `fixed` win). */
export function drawPbftParameters(seed: Seed, fixed: Readonly<Record<string, unknown>>): { drawn: Record<string, ParameterValue>; pbft: PbftConfig } {
  const p = drawParameters(seed, PBFT_PARAMETERS, fixed);
  const k = p.checkpointInterval as number;
  return {
    drawn: p,
    pbft: {
      checkpointInterval: k,
      watermarkWindow: k * (p.watermarkFactor as number),
      viewChangeTimeoutMs: p.viewChangeTimeoutMs as number,
      statusIntervalMs: p.statusIntervalMs as number,
    },
  };
}
