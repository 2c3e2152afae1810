import { stableJson, type Invariant, type NodeId } from "@faultline/core";
import type { AcceptedResult } from "../client/pbft-client.js";
import { PbftStepObserver } from "./observer.js";

/** A client whose accepted results can be read (PbftClient). */
interface AcceptingClient {
  readonly accepted: readonly AcceptedResult[];
}

/**
 * A result a client accepted equals the correct replicas' result: the one a correct replica computed when it
 * executed the request. A client that trusts fewer than f+1 matching replies can accept a byzantine replica's
 * made-up result before any correct replica executed the request, or a different one.
 */
export function clientResult(observer = new PbftStepObserver()): Invariant {
  const results = new Map<string, { result: string; node: NodeId }>();
  const seen = new Map<NodeId, number>();
  return {
    name: "ClientResult",
    messageEvents: false,
    check(view) {
      observer.sync(view);
      for (const e of observer.events) {
        if (e.event === "executed" && e.data.fresh === true) results.set(e.data.requestId as string, { result: stableJson(e.data.result), node: e.node });
      }
      for (const c of observer.touchedClients) {
        const client = view.behavior<any>(c) as Partial<AcceptingClient> | undefined;
        const accepted = client?.accepted;
        if (accepted === undefined) continue;
        for (let i = seen.get(c) ?? 0; i < accepted.length; i++) {
          const a = accepted[i]!;
          const correct = results.get(a.requestId);
          if (correct === undefined) return `${c} accepted ${a.result} for ${a.requestId}, which no correct replica executed`;
          if (correct.result !== a.result) return `${c} accepted ${a.result} for ${a.requestId} but ${correct.node} computed ${correct.result}`;
        }
        seen.set(c, accepted.length);
      }
      return undefined;
    },
  };
}
