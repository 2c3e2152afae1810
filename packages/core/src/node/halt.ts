import type { NodeId } from "./behavior.js";

/**
 * Unwinds a handler whose node a trigger crashed in the middle of it (a `trigger` fault with
 * `when: "before-reply"`): the node died at that instruction, so nothing the handler would do next may
 * happen. Thrown from the context call or storage call at which the node died, and from every later one
 * while the handler unwinds; the engine catches it where it called the handler. Not an Error: it is no
 * failure of user code, and a protocol that catches every Error still lets it pass.
 */
export class NodeHalted {
  readonly name = "NodeHalted";
  constructor(readonly node: NodeId) {}

  toString(): string {
    return `NodeHalted: ${this.node} was crashed by a trigger mid-handler (a handler caught and swallowed this signal)`;
  }
}
