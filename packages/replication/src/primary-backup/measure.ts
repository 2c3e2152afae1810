import type { NodeId, Simulation } from "@faultline/core";
import { inspectAs } from "../invariants/step-log.js";
import type { PbInspection } from "./inspect.js";

/** What one primary-backup run measured: the trade-off table's row for one seed. */
export interface PbMeasurement {
  /** Client writes issued in the safety phase, and how they ended. */
  writes: { invoked: number; ok: number; fail: number; info: number };
  /**
   * The share of the writes invoked in the safety phase that were acknowledged within `deadlineMs` of their
   * invocation (clients retry for long, so nearly every write ends ok in the end: a deadline tells a stalled
   * system from a live one).
   */
  availability: number;
  /** The longest time no client write was acknowledged, within the safety phase (ms). */
  longestStallMs: number;
  /** Client-side latency of acknowledged writes (virtual ms): median, 99th percentile, mean. */
  latencyMs: { p50: number; p99: number; mean: number };
  /** replication_lag_seconds per follower, sampled after every step: the largest and the time-weighted mean. */
  lagSeconds: Record<NodeId, { max: number; mean: number }>;
  /** Acknowledged writes absent from the final log (after healing): data lost on failover. */
  lostWrites: number;
  /** The longest span from a lost write's acknowledgement to the failover that dropped it (ms): the RPO in time. */
  rpoMs: number;
  /** Failovers (promotions after the first primary). */
  failovers: number;
}

interface Ack { requestId: string; epoch: number; atUs: number }

/**
 * Records a primary-backup run as it goes (acknowledgements, promotions, the lag gauges) and measures it at the
 * end. Attach before the run starts (`runScenario(..., { onSimulation: (sim) => (recorder = recordPrimaryBackup(sim, replicas)) })`),
 * then call `measure()` once it ended. Listens to the simulation's events only: the run is unchanged.
 */
export function recordPrimaryBackup(sim: Simulation, replicas: readonly NodeId[]): { measure(safetyEndMs: number, deadlineMs?: number): PbMeasurement } {
  const acks: Ack[] = [];
  const promotions: Array<{ epoch: number; atUs: number }> = [];
  const lag = new Map<NodeId, { max: number; sum: number; lastUs: number; last: number }>(replicas.map((r) => [r, { max: 0, sum: 0, lastUs: 0, last: 0 }]));
  sim.on("log", (e) => {
    const d = e.data as { requestId?: string; epoch?: number };
    if (e.event === "write_acknowledged") acks.push({ requestId: d.requestId!, epoch: d.epoch!, atUs: e.timeUs });
    else if (e.event === "primary_promoted") promotions.push({ epoch: d.epoch!, atUs: e.timeUs });
  });
  sim.on("step", (_step, timeUs) => {
    for (const [follower, l] of lag) {
      const value = sim.metrics.value("replication_lag_seconds", { follower_id: follower });
      l.sum += l.last * (timeUs - l.lastUs); // time-weighted: the previous value held until now
      l.lastUs = timeUs;
      l.last = value;
      l.max = Math.max(l.max, value);
    }
  });
  return {
    measure(safetyEndMs, deadlineMs = 1000) {
      const ops = sim.history.operations().filter((op) => op.f === "put" && /^c\d+$/.test(op.process) && op.invokeUs <= safetyEndMs * 1000);
      const ok = ops.filter((op) => op.type === "ok");
      const latencies = ok.map((op) => (op.completeUs - op.invokeUs) / 1000).sort((a, b) => a - b);
      const final = finalLog(sim, replicas);
      const lost = acks.filter((a) => !final.has(a.requestId));
      const rpoMs = Math.max(0, ...lost.map((a) => {
        const dropped = promotions.find((p) => p.epoch > a.epoch && p.atUs >= a.atUs);
        return dropped === undefined ? 0 : (dropped.atUs - a.atUs) / 1000;
      }));
      const endUs = sim.nowUs;
      return {
        writes: { invoked: ops.length, ok: ok.length, fail: ops.filter((o) => o.type === "fail").length, info: ops.filter((o) => o.type === "info").length },
        availability: ops.length === 0 ? 1 : ok.filter((op) => op.completeUs - op.invokeUs <= deadlineMs * 1000).length / ops.length,
        longestStallMs: longestGapMs(ok.map((op) => op.completeUs).filter((t) => t <= safetyEndMs * 1000), safetyEndMs * 1000),
        latencyMs: { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), mean: latencies.length === 0 ? 0 : latencies.reduce((s, x) => s + x, 0) / latencies.length },
        lagSeconds: Object.fromEntries([...lag].map(([f, l]) => [f, { max: l.max, mean: endUs === 0 ? 0 : (l.sum + l.last * (endUs - l.lastUs)) / endUs }])),
        lostWrites: new Set(lost.map((a) => a.requestId)).size,
        rpoMs,
        failovers: promotions.filter((p) => p.epoch > 1).length,
      };
    },
  };
}

/** The request ids in the primary's log at the end (any replica's when none is primary). */
function finalLog(sim: Simulation, replicas: readonly NodeId[]): Set<string> {
  const inspections = replicas.map((r) => inspectAs<PbInspection>(sim, r)).filter((i) => i !== undefined);
  const primary = inspections.find((i) => i.role === "primary") ?? inspections[0];
  return new Set((primary?.log ?? []).map((e) => e.requestId));
}

/** The longest interval without a completion between time 0 and `endUs`, in ms. */
function longestGapMs(completionsUs: number[], endUs: number): number {
  const times = [0, ...completionsUs.sort((a, b) => a - b), endUs];
  let gap = 0;
  for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i]! - times[i - 1]!);
  return gap / 1000;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
