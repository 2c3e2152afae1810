/**
 * Reduces a failing sub-history to a 1-minimal one, for any checker.
 *
 * "Removing" an operation means: a read-only operation (a read, a failed compare) is dropped; an operation
 * with effects is moved to the context, where it counts as an operation of unknown outcome (it may have
 * taken effect at any point after its invocation, or never). Dropping a write outright would be the wrong
 * test: every read of its value would then have no writer and fail for that reason alone, and a shrinker
 * that follows such failures ends on a read "from nowhere", a witness that explains nothing.
 *
 * The result satisfies, for the checker's `fails`:
 * 1. `kept` with `context` fails;
 * 2. for every operation of `kept`, removing it from `kept` (into the context when it has effects) passes:
 *    `kept` is 1-minimal;
 * 3. each operation of `context` is needed for 2 (dropping it outright would make some operation of `kept`
 *    unnecessary), so the context holds only the writes the witness's reads need, usually none.
 * Since context operations are optional, 1 implies that `kept` alone fails too.
 */
export interface MinimizeProblem<T> {
  /** The failing sub-history, in input order. */
  items: readonly T[];
  /** Whether the operation only constrains (dropped when removed) rather than having effects (kept possible). */
  readOnly(item: T): boolean;
  /**
   * Whether `kept` (as recorded) plus `context` (of unknown outcome) fails: true, false, or undefined when
   * the check could not decide (its budget ran out); an undecided removal is not made.
   */
  fails(kept: readonly T[], context: readonly T[]): boolean | undefined;
  /** The most calls of `fails`. */
  maxTrials: number;
}

/** A reduced failing sub-history. */
export interface Minimized<T> {
  /** The operations that make it fail, each necessary, in input order. */
  kept: T[];
  /** Operations whose effect `kept` needs but whose outcome does not matter (read them as of unknown outcome). */
  context: T[];
  /** Whether 1-3 hold; false when some check was undecided or the trials ran out (`kept` still fails with `context`). */
  oneMinimal: boolean;
  /** Calls of `fails` spent. */
  trials: number;
}

/**
 * Delta debugging: operations are removed in chunks, halving the chunk size down to one operation, last
 * chunk first (a read usually comes after the write it needs, so reads go first); at one operation the
 * passes repeat until one removes nothing, since removing one operation can make another removable. Then
 * the context is trimmed the same way, keeping what `kept` needs to stay 1-minimal. An undecided check
 * keeps what it was about and goes on. At most `maxTrials` checks; a history of n operations with a
 * witness of k takes about O(k log n) checks.
 */
export function minimizeFailing<T>(problem: MinimizeProblem<T>): Minimized<T> {
  const { items, readOnly, maxTrials } = problem;
  const order = new Map(items.map((item, i) => [item, i]));
  const byInput = (list: T[]): T[] => list.sort((a, b) => order.get(a)! - order.get(b)!);
  let trials = 0;
  const fails = (kept: readonly T[], context: readonly T[]): boolean | undefined => (++trials > maxTrials ? undefined : problem.fails(kept, context));
  let context: T[] = [];
  const removal = removeChunks(items.slice(), (chunk, rest) => {
    const moved = byInput([...context, ...chunk.filter((t) => !readOnly(t))]);
    const result = fails(rest, moved);
    if (result === true) context = moved;
    return result;
  });
  const kept = removal.list;
  /** Whether every kept operation is still necessary with this context: true, false, or undefined (budget). */
  const stillMinimal = (ctx: readonly T[]): boolean | undefined => {
    for (let i = 0; i < kept.length; i++) {
      const k = kept[i]!;
      const result = fails(kept.filter((_, j) => j !== i), readOnly(k) ? ctx : byInput([...ctx, k]));
      if (result !== false) return result === undefined ? undefined : false;
    }
    return true;
  };
  const trim = context.length === 0 ? { list: context, complete: true } : removeChunks(context, (_, rest) => stillMinimal(rest));
  return { kept, context: trim.list, oneMinimal: removal.complete && trim.complete && trials <= maxTrials, trials: Math.min(trials, maxTrials) };
}

/**
 * Removes chunks of `list` that `removable(chunk, rest)` allows, chunk size halving from half the list to
 * one, passes at size one repeated until nothing changes. An undecided chunk (undefined) stays; `complete`
 * says whether the last pass decided everything.
 */
function removeChunks<T>(list: T[], removable: (chunk: T[], rest: T[]) => boolean | undefined): { list: T[]; complete: boolean } {
  let size = Math.max(1, Math.ceil(list.length / 2));
  // each repeated size-one pass removes one element at least, so the loop ends within 2 log n + n passes
  for (let passes = 0; passes <= 2 * list.length + 64; passes++) {
    let changed = false;
    let undecided = false;
    for (let end = list.length; end > 0; end -= size) {
      const start = Math.max(0, end - size);
      const chunk = list.slice(start, end);
      const rest = [...list.slice(0, start), ...list.slice(end)];
      const result = removable(chunk, rest);
      if (result === undefined) undecided = true;
      if (result === true) {
        list = rest;
        changed = true;
      }
    }
    if (size === 1 && !changed) return { list, complete: !undecided };
    if (size > 1) size = Math.ceil(size / 2);
  }
  return { list, complete: false };
}
