/**
 * Virtual time is an integer count of microseconds from 0. Public options take milliseconds
 * (the unit is in the name); these helpers convert at the boundary, in one place.
 */

/** Microseconds per millisecond. */
export const US_PER_MS = 1000;

/** Converts milliseconds (possibly fractional) to whole microseconds, rounding to nearest. */
export function msToUs(ms: number): number {
  return Math.round(ms * US_PER_MS);
}

/** Converts microseconds to milliseconds. */
export function usToMs(us: number): number {
  return us / US_PER_MS;
}

/** The fixed epoch that virtual time 0 maps to in exported timestamps (ISO-8601). */
export const VIRTUAL_EPOCH_MS = Date.UTC(2020, 0, 1);

/** Renders a virtual time as an ISO-8601 timestamp from {@link VIRTUAL_EPOCH_MS}. */
export function virtualIso(timeUs: number): string {
  const ms = VIRTUAL_EPOCH_MS + Math.floor(timeUs / US_PER_MS);
  const iso = new Date(ms).toISOString(); // "...sss Z"; append the sub-millisecond microseconds
  const micros = String(timeUs % US_PER_MS).padStart(3, "0");
  return `${iso.slice(0, -1)}${micros}Z`;
}
