import { drawParameters, type ParameterDocs, type ParameterValue, type Seed } from "@faultline/core";
import type { QuorumConfig } from "../../quorum/config.js";

/**
 * Quorum-store knobs the parameter swarm draws per seed. R and W are drawn over 1..N, so some seeds run
 * with quorums that need not meet (R + W <= N): those advertise no freshness, and the freshness checks stay
 * off for them (the planted bug advertises R + W = N as strong).
 */
export const QUORUM_PARAMETERS: ParameterDocs = {
  readQuorum: { description: "R: replica answers per read", values: [1, 2, 3] },
  writeQuorum: { description: "W: replica acknowledgements per write", values: [1, 2, 3] },
  hintAfterMs: { description: "hinted handoff: wait for a replica's acknowledgement before hinting (ms)", min: 5, max: 150, integer: true, log: true },
  antiEntropyMs: { description: "anti-entropy interval (ms)", min: 30, max: 400, integer: true, log: true },
  requestTimeoutMs: { description: "coordinator's wait for a quorum (ms)", min: 80, max: 400, integer: true },
  readRepair: { description: "read repair on or off", values: [true, false] },
};

/** What the swarm drew for one seed, as node options (the explicit ones in `fixed` win). */
export function drawQuorumParameters(seed: Seed, fixed: Readonly<Record<string, unknown>>): { drawn: Record<string, ParameterValue>; config: QuorumConfig } {
  const p = drawParameters(seed, QUORUM_PARAMETERS, fixed);
  return {
    drawn: p,
    config: {
      readQuorum: p.readQuorum as number, writeQuorum: p.writeQuorum as number, hintAfterMs: p.hintAfterMs as number,
      antiEntropyMs: p.antiEntropyMs as number, requestTimeoutMs: p.requestTimeoutMs as number, readRepair: p.readRepair as boolean,
    },
  };
}
