import { bugSuite, CASES } from "./bug-suite.js";

// planted bugs in elections, log handling, commitment and reads, each found by random seeds of its hunting scenario
bugSuite(CASES.filter((c) => ["commitPreviousTerm", "noUpToDateCheck", "truncateOnMatch", "readWithoutReadIndex", "uncappedCommitIndex", "acceptStaleReplies"].includes(c.bug)));
