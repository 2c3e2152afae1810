import type { NodeBehavior, NodeContext, NodeId } from "@faultline/core";

/** Handlers of a test behaviour; the ones left out do nothing. */
export interface Handlers<Msg = any> {
  onStart?(ctx: NodeContext<Msg>): void;
  onMessage?(ctx: NodeContext<Msg>, from: NodeId, msg: Msg): void;
  onTimer?(ctx: NodeContext<Msg>, name: string): void;
}

/** A behaviour factory from plain handler functions (a fresh object per boot, as the engine requires). */
export function behavior<Msg = any>(handlers: Handlers<Msg>): (id: NodeId) => NodeBehavior<Msg> {
  return () => ({
    onStart: (ctx) => handlers.onStart?.(ctx),
    onMessage: (ctx, from, msg) => handlers.onMessage?.(ctx, from, msg),
    onTimer: (ctx, name) => handlers.onTimer?.(ctx, name),
  });
}

/** A behaviour that does nothing at all. */
export const idle = behavior({});

/** ids n1..nN */
export function ids(n: number, prefix = "n"): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
}
