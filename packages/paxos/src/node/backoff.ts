/**
 * How long a preempted proposer waits before its next phase 1: a random time between `baseMs` and
 * `baseMs * 2^preemptions`, capped at `maxMs`. Randomised, so two dueling proposers soon stop colliding;
 * growing, so the more they collide, the further apart they try. Meanwhile the proposer follows the winner:
 * a heartbeat from it replaces the wait with the ordinary failure timeout.
 */
export function backoffMs(preemptions: number, baseMs: number, maxMs: number, random: () => number): number {
  const exponent = Math.min(Math.max(0, preemptions), 30); // 2^30 is past any cap: a bound on the shift
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  return baseMs + random() * Math.max(0, ceiling - baseMs);
}
