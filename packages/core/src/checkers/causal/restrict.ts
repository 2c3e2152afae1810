import { readSources, type CausalHistory, type CausalOp } from "./causal-history.js";

/**
 * The sub-history of `kept` (as recorded) and `context` (writes made of unknown outcome), for shrinking:
 * ops keep their relative order and sessions; session order and sources are rebuilt over what is left.
 */
export function restrictHistory(h: CausalHistory, kept: readonly CausalOp[], context: readonly CausalOp[], initial: unknown): CausalHistory {
  const optional = new Set(context.map((o) => o.id));
  const chosen = [...kept, ...context].sort((a, b) => a.id - b.id);
  const sessions: string[] = [];
  const sessionOf = new Map<number, number>();
  const chains: number[][] = [];
  const ops: CausalOp[] = [];
  for (const o of chosen) {
    let session = sessionOf.get(o.session);
    if (session === undefined) {
      sessionOf.set(o.session, (session = sessions.length));
      sessions.push(h.sessions[o.session]!);
      chains.push([]);
    }
    const chain = chains[session]!;
    const id = ops.length;
    const isOptional = o.optional || optional.has(o.id);
    ops.push({ ...o, id, session, optional: isOptional, poPrevious: chain.length === 0 ? -1 : chain[chain.length - 1]! });
    if (!isOptional) chain.push(id);
  }
  return { ops, sessions, chains, ...readSources(ops, initial) };
}
