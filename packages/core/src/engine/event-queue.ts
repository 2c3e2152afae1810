/**
 * The scheduler's queue: a binary min-heap totally ordered by (timeUs, priority, seq). `seq` is assigned
 * at push and is unique, so equal times and priorities never fall back on an unspecified order.
 */
export interface QueuedEvent {
  timeUs: number;
  priority: number;
  seq: number;
}

const INITIAL_CAPACITY = 64;

/**
 * The heap keeps each event's time in a Float64Array beside the array of events (same index). Nearly
 * every comparison is decided by time alone, so sifting reads one contiguous array instead of chasing a
 * pointer per compared event: with 100k pending events the pointer chasing (cache misses) dominated.
 * Only equal times look at the events themselves (priority, then seq).
 */
export class EventQueue<E extends QueuedEvent> {
  private items: (E | undefined)[] = new Array(INITIAL_CAPACITY);
  private times = new Float64Array(INITIAL_CAPACITY);
  private count = 0;
  private nextSeq = 0;

  get size(): number {
    return this.count;
  }

  /** Assigns the event's sequence number and inserts it. */
  push(event: E): void {
    event.seq = this.nextSeq++;
    if (this.count === this.times.length) this.grow();
    const items = this.items;
    const times = this.times;
    const time = event.timeUs;
    let i = this.count++;
    // sift up: move parents down while the new event comes first
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < time || (pt === time && !before(event, items[parent]!))) break;
      items[i] = items[parent];
      times[i] = pt;
      i = parent;
    }
    items[i] = event;
    times[i] = time;
  }

  /** The earliest event without removing it. */
  peek(): E | undefined {
    return this.count === 0 ? undefined : this.items[0];
  }

  /** Removes and returns the earliest event. */
  pop(): E | undefined {
    const n = this.count;
    if (n === 0) return undefined;
    const items = this.items;
    const top = items[0]!;
    const size = n - 1;
    this.count = size;
    const last = items[size]!;
    items[size] = undefined; // release the reference: the queue must not keep dispatched events alive
    if (size > 0) this.siftDown(last, this.times[size]!, size);
    return top;
  }

  /** Removes every event. */
  clear(): void {
    this.items = new Array(INITIAL_CAPACITY);
    this.times = new Float64Array(INITIAL_CAPACITY);
    this.count = 0;
  }

  /** Places `event` (time `time`) from the root down into a heap of `size` events. */
  private siftDown(event: E, time: number, size: number): void {
    const items = this.items;
    const times = this.times;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      let c = l;
      let ct = times[l]!;
      const r = l + 1;
      if (r < size) {
        const rt = times[r]!;
        if (rt < ct || (rt === ct && before(items[r]!, items[l]!))) {
          c = r;
          ct = rt;
        }
      }
      if (time < ct || (time === ct && before(event, items[c]!))) break;
      items[i] = items[c];
      times[i] = ct;
      i = c;
    }
    items[i] = event;
    times[i] = time;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    times.set(this.times);
    this.times = times;
    this.items.length = capacity;
  }
}

/** Tie-break of two events at the same time: priority, then push order. */
function before(a: QueuedEvent, b: QueuedEvent): boolean {
  if (a.priority !== b.priority) return a.priority < b.priority;
  return a.seq < b.seq;
}
