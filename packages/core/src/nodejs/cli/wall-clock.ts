/**
 * The one place the Node-side tooling reads real time: sweep throughput (seeds/s, simulated seconds per wall
 * second) and progress lines. Simulation code never imports this; the engine only knows virtual time.
 */
export function wallClockMs(): number {
  return performance.now();
}
