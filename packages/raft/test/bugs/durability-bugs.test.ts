import { bugSuite, CASES } from "./bug-suite.js";

// planted bugs in durability and recovery: a fast crash/restart loop, and swarm seeds, expose them
bugSuite(CASES.filter((c) => ["forgetVote", "ackBeforeSync", "restartForgetsVote", "leaderCountsUnsyncedSelf"].includes(c.bug)));
