import { drawParameters, type ParameterDocs, type ParameterValue, type Seed } from "@faultline/core";
import type { PrimaryBackupConfig } from "../../primary-backup/config.js";

/**
 * Primary-backup knobs the parameter swarm draws per seed, within their legal ranges. The monitor pings at
 * most a third of its failover timeout, so a live primary is never declared dead for want of pings.
 */
export const PB_PARAMETERS: ParameterDocs = {
  heartbeatMs: { description: "primary heartbeat and retransmission interval (ms)", min: 5, max: 60, integer: true },
  pingMs: { description: "monitor ping interval (ms), held below a third of the failover timeout", min: 10, max: 60, integer: true },
  failoverTimeoutMs: { description: "primary silence after which the monitor fails over (ms)", min: 60, max: 400, integer: true, log: true },
  fenceGatherMs: { description: "how long the monitor waits for better logs once a fence quorum answered (ms)", min: 0, max: 60, integer: true },
  maxEntriesPerAppend: { description: "most entries per append (1: entry by entry)", values: [1, 4, 64] },
  acks: { description: "semi-sync: backup acknowledgements a write waits for (capped at replicas - 1)", min: 1, max: 4, integer: true },
};

/** What the swarm drew for one seed, as replica options (the explicit ones in `fixed` win). */
export function drawPbParameters(seed: Seed, fixed: Readonly<Record<string, unknown>>, replicas: number): { drawn: Record<string, ParameterValue>; config: PrimaryBackupConfig } {
  const p = drawParameters(seed, PB_PARAMETERS, fixed);
  const failoverTimeoutMs = p.failoverTimeoutMs as number;
  return {
    drawn: p,
    config: {
      heartbeatMs: p.heartbeatMs as number,
      pingMs: Math.max(1, Math.min(p.pingMs as number, Math.floor(failoverTimeoutMs / 3))),
      failoverTimeoutMs,
      fenceTimeoutMs: failoverTimeoutMs,
      fenceGatherMs: p.fenceGatherMs as number,
      maxEntriesPerAppend: p.maxEntriesPerAppend as number,
      acks: Math.min(p.acks as number, replicas - 1),
    },
  };
}
