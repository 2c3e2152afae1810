import type { Invariant, NodeId, SimulationView } from "@faultline/core";
import type { PbInspection } from "../primary-backup/inspect.js";
import { StepLog, inspectAs } from "./step-log.js";

/** One acknowledged write, as an observer saw the primary answer it. */
export interface AcknowledgedWrite {
  index: number;
  epoch: number;
  requestId: string;
  node: NodeId;
  atUs: number;
}

/**
 * What the primary-backup invariants of one run share: the acknowledged writes by log position (from the
 * primaries' `write_acknowledged` events), and the replicas' inspections after each step.
 */
export class PbObserver {
  readonly log = new StepLog();
  /** Acknowledged writes by index: the first one acknowledged at each index. */
  readonly acked = new Map<number, AcknowledgedWrite>();
  /** This step's new acknowledgements. */
  readonly newAcks: AcknowledgedWrite[] = [];
  /** The epoch each replica was primary of after the previous look at it (for spotting promotions). */
  private readonly primaryOf = new Map<NodeId, number | null>();
  /** Replicas that became primary (of a new epoch) in this step, with their inspections. */
  readonly promoted: PbInspection[] = [];

  constructor(readonly replicas: readonly NodeId[]) {}

  sync(view: SimulationView): void {
    if (!this.log.sync(view)) return;
    this.newAcks.length = 0;
    this.promoted.length = 0;
    for (const { node, data, timeUs } of this.log.named<{ index: number; epoch: number; requestId: string }>("write_acknowledged")) {
      const ack = { ...data, node, atUs: timeUs };
      this.newAcks.push(ack);
    }
    for (const id of view.stepNodes) {
      if (!this.replicas.includes(id)) continue;
      const i = inspectAs<PbInspection>(view, id);
      const now = i?.primaryOf ?? null;
      if (i !== undefined && now !== null && now !== this.primaryOf.get(id)) this.promoted.push(i);
      this.primaryOf.set(id, now);
    }
  }

  /** The replicas up now that are primary of an epoch above `epoch`. */
  laterPrimaries(view: SimulationView, epoch: number): PbInspection[] {
    const out: PbInspection[] = [];
    for (const id of this.replicas) {
      const i = inspectAs<PbInspection>(view, id);
      if (i !== undefined && i.primaryOf !== null && i.primaryOf > epoch) out.push(i);
    }
    return out;
  }
}

/**
 * NoSplitBrain: no two different writes are ever acknowledged at the same log position. Two primaries that
 * both acknowledge writes after a failover (the old one not fenced off) put different writes at one index,
 * and the clients of both were told their write is durable. Only for configurations that advertise RPO zero:
 * async mode acknowledges before replicating, so a cut-off async primary does exactly this by design.
 */
export function noSplitBrain(observer: PbObserver): Invariant {
  return {
    name: "NoSplitBrain",
    messageEvents: false,
    check(view) {
      observer.sync(view);
      for (const ack of observer.newAcks) {
        const known = observer.acked.get(ack.index);
        if (known === undefined) {
          observer.acked.set(ack.index, ack);
          continue;
        }
        if (known.requestId !== ack.requestId) {
          return `divergent acknowledged writes at index ${ack.index}: ${describe(known)} and ${describe(ack)}`;
        }
      }
      return undefined;
    },
  };
}

/**
 * AcknowledgedWritesSurvive: every acknowledged write is at its index in the log of every primary of a later
 * epoch (RPO zero). Checked when a replica becomes primary (its whole log against every earlier
 * acknowledgement) and when a write is acknowledged (against every primary of a later epoch). Only for
 * configurations that advertise RPO zero.
 */
export function acknowledgedWritesSurvive(observer: PbObserver): Invariant {
  const acked = new Map<number, AcknowledgedWrite>(); // its own record: NoSplitBrain may not run
  const lost = (ack: AcknowledgedWrite, p: PbInspection) => {
    const entry = p.log[ack.index - 1];
    if (entry !== undefined && entry.requestId === ack.requestId) return undefined;
    const has = entry === undefined ? `its log ends at ${p.log.length}` : `it holds ${entry.requestId || "a no-op"} (epoch ${entry.epoch}) there`;
    return `acknowledged write lost: ${describe(ack)} is not in the log of ${p.id}, primary of epoch ${p.primaryOf}: ${has}`;
  };
  return {
    name: "AcknowledgedWritesSurvive",
    messageEvents: false,
    check(view) {
      observer.sync(view);
      for (const ack of observer.newAcks) {
        if (!acked.has(ack.index)) acked.set(ack.index, ack);
        for (const p of observer.laterPrimaries(view, ack.epoch)) {
          const message = lost(ack, p);
          if (message !== undefined) return message;
        }
      }
      for (const p of observer.promoted) {
        for (const ack of acked.values()) {
          if (ack.epoch >= p.primaryOf!) continue;
          const message = lost(ack, p);
          if (message !== undefined) return message;
        }
      }
      return undefined;
    },
  };
}

/** OnePrimaryPerEpoch: the monitor hands each epoch to one replica; no two replicas are ever primary of one epoch. */
export function onePrimaryPerEpoch(observer: PbObserver): Invariant {
  const holder = new Map<number, NodeId>();
  return {
    name: "OnePrimaryPerEpoch",
    messageEvents: false,
    check(view) {
      observer.sync(view);
      for (const p of observer.promoted) {
        const known = holder.get(p.primaryOf!);
        if (known === undefined) holder.set(p.primaryOf!, p.id);
        else if (known !== p.id) return `two primaries of epoch ${p.primaryOf}: ${known} and ${p.id}`;
      }
      return undefined;
    },
  };
}

/**
 * PromiseSurvivesRestart: the epoch a replica promised never goes back, across its crashes and restarts too.
 * A promise that was answered but not synced would come back older after a restart, and the replica could
 * then accept appends from the primary it fenced off.
 */
export function promiseSurvivesRestart(replicas: readonly NodeId[]): Invariant {
  const highest = new Map<NodeId, number>();
  return {
    name: "PromiseSurvivesRestart",
    messageEvents: false,
    check(view) {
      for (const id of view.stepNodes) {
        if (!replicas.includes(id)) continue;
        const promised = inspectAs<PbInspection>(view, id)?.promised;
        if (promised === undefined) continue;
        const before = highest.get(id) ?? 0;
        if (promised < before) return `${id} promised epoch ${before}, and now (incarnation ${view.incarnation(id)}) only ${promised}`;
        highest.set(id, promised);
      }
      return undefined;
    },
  };
}

/** The primary-backup invariant names. */
export const PB_INVARIANT_NAMES = ["NoSplitBrain", "AcknowledgedWritesSurvive", "OnePrimaryPerEpoch", "PromiseSurvivesRestart"] as const;

/**
 * The primary-backup invariants for one run, sharing one observer. `zeroRpo` is what the configuration
 * advertises: with it, NoSplitBrain and AcknowledgedWritesSurvive hold the replicas to it.
 */
export function primaryBackupInvariants(replicas: readonly NodeId[], zeroRpo: boolean): Invariant[] {
  const observer = new PbObserver(replicas);
  const always = [onePrimaryPerEpoch(observer), promiseSurvivesRestart(replicas)];
  return zeroRpo ? [noSplitBrain(observer), acknowledgedWritesSurvive(observer), ...always] : always;
}

function describe(ack: AcknowledgedWrite): string {
  return `${ack.requestId} (acknowledged by ${ack.node} in epoch ${ack.epoch})`;
}
