import { bugSuite, CASES } from "./bug-suite.js";

// Four realistic mistakes beyond the catalogue's first eight: a snapshot-install guard, truncation arithmetic,
// vote bookkeeping across restarts, and the leader's own durability order. Each is found by random seeds.
bugSuite(CASES.filter((c) => ["installOlderSnapshot", "truncateAfterConflict", "restartForgetsVote", "leaderCountsUnsyncedSelf"].includes(c.bug)));
