import type { LivenessSpec, NodeId } from "@faultline/core";
import { PbftClient } from "../client/pbft-client.js";

/** The id of the client the liveness phase adds. */
export const LIVENESS_CLIENT = "liveness";

/**
 * The liveness phase of every PBFT scenario (TigerBeetle's pattern): after the faults end and the network
 * heals (byzantine replicas stay byzantine: at most f of them), a NEW client write, from a client added only
 * now, completes with f+1 matching replies within `withinMs`.
 */
export function newWriteCompletes(faultTolerance: number, withinMs = 20_000): LivenessSpec {
  let scanned = 0;
  let done = false;
  const isLive = (process: NodeId) => process === LIVENESS_CLIENT;
  return {
    withinMs,
    describe: "a new client write completed (f+1 matching replies)",
    begin(sim) {
      const client = new PbftClient({
        history: sim.history, faultTolerance, requestTimeoutMs: 500, retry: { maxAttempts: 1000, initialDelayMs: 20, maxDelayMs: 500 },
      });
      client.submit({ f: "write", key: "liveness", value: sim.nowUs });
      sim.addClient(LIVENESS_CLIENT, () => client);
    },
    progress(view) {
      const events = view.history.events();
      for (; scanned < events.length; scanned++) {
        const e = events[scanned]!;
        if (e.type === "ok" && isLive(e.process)) done = true;
      }
      return done;
    },
  };
}
