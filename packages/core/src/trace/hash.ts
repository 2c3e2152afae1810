/**
 * A running 64-bit hash kept as two 32-bit lanes (FNV-1a style multiply-xor with different primes and
 * a final avalanche), so it costs a few integer multiplies per word and never allocates.
 */
export class RunningHash {
  private hi = 0x811c9dc5 | 0;
  private lo = 0x9e3779b9 | 0;

  /** Mixes a 32-bit integer (the low 32 bits of `word`). */
  word(word: number): void {
    this.lo = Math.imul(this.lo ^ word, 0x01000193);
    // `| 0` changes no result (`^` truncates to 32 bits anyway) but keeps the sum a wrapping int32 add:
    // without it V8 sees the add overflow int32 and falls back to float arithmetic on every word
    this.hi = Math.imul(this.hi ^ ((word + 0x7f4a7c15) | 0), 0x5bd1e995) ^ (this.lo >>> 15);
  }

  /** Mixes a non-negative integer up to 2^53 (two words). */
  number(n: number): void {
    this.word(n | 0);
    this.word((n / 4294967296) | 0);
  }

  /** Mixes a string, code unit by code unit, followed by its length. */
  string(s: string): void {
    for (let i = 0; i < s.length; i++) this.word(s.charCodeAt(i));
    this.word(s.length);
  }

  /** The current value as 16 lower-case hex digits. */
  hex(): string {
    let h = this.hi ^ Math.imul(this.lo ^ (this.lo >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ (h >>> 16);
    let l = this.lo ^ Math.imul(this.hi ^ (this.hi >>> 16), 0x27d4eb2f);
    l = Math.imul(l ^ (l >>> 15), 0x165667b1) ^ (l >>> 16);
    return (h >>> 0).toString(16).padStart(8, "0") + (l >>> 0).toString(16).padStart(8, "0");
  }
}
