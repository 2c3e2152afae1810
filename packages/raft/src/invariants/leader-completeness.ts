import type { Invariant, NodeId } from "@faultline/core";
import type { RaftInspection } from "../inspect.js";
import { RaftStepObserver } from "./observer.js";

interface Committed {
  entryTerm: number;
  digest: string;
  /** The lowest term in which some node was when it applied the entry: it was committed in this term or earlier. */
  knownInTerm: number;
  node: NodeId;
}

/**
 * Leader Completeness (Raft §5.4): an entry committed in a term is in the log (or snapshot) of every leader of
 * every later term.
 *
 * An entry is known committed once a node applies it (`commit_applied`); a node applying it in term T proves
 * it was committed in T or earlier, so every leader of term T or later must hold it. Checked when a node is
 * first seen leading a term (against every entry known committed by then), and when an entry becomes known
 * committed (against the current leaders). Inside a snapshot, only the snapshot's last index can be compared
 * (by term); earlier compacted indices are taken as present.
 */
export function leaderCompleteness(observer = new RaftStepObserver()): Invariant {
  const committed: Array<Committed | undefined> = [];
  /** Current leaders and the term each leads (the term it was last checked in as leader). */
  const leaders = new Map<NodeId, number>();
  return {
    name: "LeaderCompleteness",
    messageEvents: false, // it reads the step's handler nodes and log events only
    check(view) {
      observer.sync(view);
      for (const id of observer.restarted) leaders.delete(id);
      for (const id of observer.touched) {
        const insp = observer.inspectionOf(id);
        if (insp === undefined || insp.role !== "leader") {
          leaders.delete(id);
          continue;
        }
        if (leaders.get(id) === insp.currentTerm) continue;
        leaders.set(id, insp.currentTerm);
        for (let index = insp.snapshotIndex; index < committed.length; index++) {
          const problem = missing(insp, index, committed[index]);
          if (problem !== undefined) return problem;
        }
      }
      for (const e of observer.logEvents) {
        if (e.event !== "commit_applied") continue;
        const data = e.data as { index: number; entryTerm: number; digest: string; term: number };
        const known = committed[data.index];
        if (known !== undefined && known.knownInTerm <= data.term) continue;
        const entry = known ?? { entryTerm: data.entryTerm, digest: data.digest, knownInTerm: data.term, node: e.node! };
        entry.knownInTerm = data.term;
        committed[data.index] = entry;
        for (const [id] of leaders) {
          const insp = observer.inspect(view, id);
          if (insp === undefined || insp.role !== "leader") continue;
          const problem = missing(insp, data.index, entry);
          if (problem !== undefined) return problem;
        }
      }
      return undefined;
    },
  };
}

/** Why leader `insp` lacks the committed entry at `index`, or undefined when it holds it (or it does not apply). */
function missing(insp: RaftInspection, index: number, c: Committed | undefined): string | undefined {
  if (c === undefined || insp.currentTerm < c.knownInTerm || index === 0 || index < insp.snapshotIndex) return undefined;
  let why: string | undefined;
  if (index === insp.snapshotIndex) {
    if (insp.snapshotTerm !== c.entryTerm) why = `its snapshot ends in term ${insp.snapshotTerm} there`;
  } else {
    const e = insp.entries[index - insp.snapshotIndex - 1];
    if (e === undefined) why = `its log ends at ${insp.snapshotIndex + insp.entries.length}`;
    else if (e.term !== c.entryTerm || e.digest !== c.digest) why = `it has (term ${e.term}) ${e.digest} there`;
  }
  if (why === undefined) return undefined;
  return `leader ${insp.id} of term ${insp.currentTerm} lacks index ${index} (term ${c.entryTerm}, ${c.digest}) that ${c.node} applied in term ${c.knownInTerm}: ${why}`;
}
