/**
 * The buggy-election example: a small leader election written on `@faultline/core`, with a planted
 * durability bug (`forgetVote`) that the engine finds by sweeping seeds. The CLI loads this file as a
 * module: `faultline sweep examples/buggy-election/index.ts --opt bugs=forgetVote`.
 */
import type { ScenarioCatalogue } from "@faultline/core";
import { electionScenario } from "./scenario.js";

export { ElectionNode, ELECTION_BUGS, DEFAULT_TIMING, type ElectionMsg, type ElectionBug, type ElectionTiming, type ElectionInspection } from "./protocol.js";
export { atMostOneLeaderPerTerm, oneVotePerTerm, hasStableLeader } from "./invariant.js";
export { electionScenario, type ElectionScenarioOptions } from "./scenario.js";

/** The scenario catalogue, keyed by id. */
export const scenarios: ScenarioCatalogue = { [electionScenario.id]: electionScenario };
