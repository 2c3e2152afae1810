import { ConfigError } from "../errors.js";
import type { Engine } from "../engine/engine.js";
import { endingFault, type Fault, type TriggerFault } from "./fault.js";

/**
 * Applies one (validated) fault to the simulation now, and traces it. Faults on a node in the wrong state
 * (crash a crashed node, resume a running one) are traced as no-ops rather than errors: generated and
 * shrunk schedules produce them routinely.
 */
export function applyFault(sim: Engine, fault: Fault): void {
  const applied = applyOne(sim, fault);
  sim.record({ step: sim.stepCount, timeUs: sim.nowUs, kind: "fault_applied", node: "node" in fault ? fault.node : undefined, event: fault.kind, data: { fault, applied } });
}

function applyOne(sim: Engine, fault: Fault): boolean {
  const t = { step: sim.stepCount, timeUs: sim.nowUs };
  switch (fault.kind) {
    case "crash": {
      const rt = sim.runtime(fault.node);
      if (rt.status !== "up") return false;
      sim.discardFrozen(rt); // a paused node's inbox dies with it; its messages must leave their links
      rt.halt("crashed");
      sim.record({ ...t, kind: "node_crashed", node: rt.id });
      return true;
    }
    case "restart": {
      const rt = sim.runtime(fault.node);
      if (rt.status === "up") return false;
      sim.bootNode(rt, "node_restarted");
      return true;
    }
    case "pause": {
      const rt = sim.runtime(fault.node);
      if (rt.status !== "up" || rt.paused) return false;
      rt.paused = true;
      sim.record({ ...t, kind: "node_paused", node: rt.id });
      return true;
    }
    case "resume": {
      const rt = sim.runtime(fault.node);
      if (!rt.paused) return false;
      rt.paused = false;
      sim.record({ ...t, kind: "node_resumed", node: rt.id });
      sim.thaw(rt);
      return true;
    }
    case "partition":
      sim.network.partitions.partition(fault.groups);
      return partitioned(sim, fault);
    case "isolate":
      sim.network.partitions.isolate(fault.node, fault.clients === false ? sim.nodeIds : sim.allIds());
      return partitioned(sim, fault);
    case "ring":
      sim.network.partitions.ring(fault.nodes ?? sim.nodeIds);
      return partitioned(sim, fault);
    case "block":
      sim.network.partitions.block(fault.from, fault.to);
      return partitioned(sim, fault);
    case "disconnect":
      sim.network.partitions.disconnect(fault.node, sim.nodeIds);
      return partitioned(sim, fault);
    case "connect":
      if (!sim.network.partitions.connect(fault.node)) return false;
      healed(sim, fault);
      return true;
    case "heal": {
      const wasActive = sim.network.partitions.active;
      sim.network.partitions.heal();
      if (wasActive) healed(sim, fault);
      return wasActive;
    }
    case "link":
      sim.network.degrade(fault.from, fault.to, fault.link, fault.scope === "cluster" ? sim.nodeIds : undefined, fault.types);
      return true;
    case "restore-links":
      sim.network.restoreLinks();
      return true;
    case "clock":
      sim.runtime(fault.node).clock.set(sim.nowUs, fault.skewMs, fault.driftPpm);
      return true;
    case "storage": {
      const rt = sim.runtime(fault.node);
      if (fault.mode === "lose-unsynced") return rt.storage.loseUnsynced() > 0;
      const rng = sim.stream(`storage:${rt.id}`);
      return rt.storage.corrupt((names) => rng.pick(names), fault.key) !== undefined;
    }
    case "byzantine": {
      const rt = sim.runtime(fault.node);
      if (rt.status !== "up") return false;
      const behavior = rt.behavior!;
      if (typeof behavior.onByzantine !== "function") {
        // bad input (a schedule the protocol cannot run), not an engine bug: a ConfigError, so the outcome says "rejected input"
        throw new ConfigError(`fault byzantine (${rt.id})`, "the node's behaviour does not model byzantine nodes (no onByzantine)", fault.behavior);
      }
      rt.byzantine = fault.behavior;
      sim.runByzantine(rt, fault.behavior);
      return true;
    }
    case "trigger":
      sim.armTrigger(fault);
      return true;
    case "disarm":
      return sim.disarmTriggers(fault.node) > 0;
  }
}

/**
 * A trigger fired: applies its fault now and, with `endsAfterMs`, schedules the fault that ends it (the
 * restart after a crash, ...) as a step of its own that much later.
 */
export function fireTrigger(sim: Engine, trigger: TriggerFault): void {
  applyFault(sim, trigger.then);
  const end = trigger.endsAfterMs === undefined ? undefined : endingFault(trigger.then);
  if (end !== undefined) sim.scheduleFaultAfter(trigger.endsAfterMs!, end);
}

/** Traces the end of a cut: `heal` ends all (the event as before, no detail); `connect` ends one node's disconnect. */
function healed(sim: Engine, fault: Extract<Fault, { kind: "heal" | "connect" }>): void {
  const t = { step: sim.stepCount, timeUs: sim.nowUs };
  if (fault.kind === "heal") sim.record({ ...t, kind: "partition_healed" });
  else sim.record({ ...t, kind: "partition_healed", node: fault.node, event: fault.kind });
  sim.metrics.inc("partition_events_total", { type: "healed" });
}

function partitioned(sim: Engine, fault: Fault): true {
  sim.record({ step: sim.stepCount, timeUs: sim.nowUs, kind: "partition_detected", event: fault.kind, data: fault });
  sim.metrics.inc("partition_events_total", { type: "detected" });
  return true;
}
