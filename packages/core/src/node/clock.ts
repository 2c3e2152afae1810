/**
 * A node's local clock: true time plus an offset (skew, a step) plus accumulated drift (a rate error in
 * parts per million). Drift changes keep the clock continuous; skew changes step it, as NTP does.
 */
export class LocalClock {
  private skewUs = 0;
  private driftPpm = 0;
  private anchorTrueUs = 0;
  private driftAtAnchorUs = 0;

  /** The local reading at true time `trueUs`, in microseconds (fractional). */
  localUs(trueUs: number): number {
    return trueUs + this.skewUs + this.driftAtAnchorUs + ((trueUs - this.anchorTrueUs) * this.driftPpm) / 1e6;
  }

  /**
   * True microseconds that pass while this clock advances `localDelayUs`, at the current drift. A timer's
   * true deadline is fixed when it is armed: a later drift change does not move a pending timer.
   */
  trueDelayUs(localDelayUs: number): number {
    return Math.max(0, Math.round(localDelayUs / (1 + this.driftPpm / 1e6)));
  }

  /** Applies a clock fault at true time `trueUs`. */
  set(trueUs: number, skewMs: number | undefined, driftPpm: number | undefined): void {
    this.driftAtAnchorUs += ((trueUs - this.anchorTrueUs) * this.driftPpm) / 1e6;
    this.anchorTrueUs = trueUs;
    if (skewMs !== undefined) this.skewUs = skewMs * 1000;
    if (driftPpm !== undefined) this.driftPpm = driftPpm;
  }

  get drift(): number {
    return this.driftPpm;
  }
}
