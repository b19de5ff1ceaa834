/**
 * What moves live calls on: the real clock (timers, the default) or a manual one that moves only
 * when told to, so that a test decides exactly when calls change and what time they record.
 */
export interface LiveClock {
  /** The current instant, in ms since the epoch, on the data's own time line. */
  now(): number;
  /** Runs `action` once this clock has moved `ms` on. */
  after(ms: number, action: () => void): void;
  /** Drops every pending action; none runs afterwards. */
  stop(): void;
}

/**
 * Real time shifted by `offsetMs` (so that live calls follow the `now` the data was generated
 * around). Timers are unref'd so that they never keep a process alive.
 */
export function realClock(offsetMs: number): LiveClock {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  return {
    now: () => Date.now() + offsetMs,
    after(ms, action) {
      if (stopped) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!stopped) action();
      }, ms);
      timer.unref();
      timers.add(timer);
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

/** A clock that stands still until {@link ManualClock.advance} moves it. */
export class ManualClock implements LiveClock {
  private nowMs: number;
  private stopped = false;
  /** Pending actions by due time; those due at the same instant in the order they came. */
  private readonly pending: { atMs: number; action: () => void }[] = [];

  constructor(startMs: number) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  after(ms: number, action: () => void): void {
    if (this.stopped) return;
    const atMs = this.nowMs + ms;
    let index = this.pending.length;
    while (index > 0 && (this.pending[index - 1]?.atMs ?? 0) > atMs) index--;
    this.pending.splice(index, 0, { atMs, action });
  }

  /**
   * Moves the clock `ms` on, running every action that falls due on the way, in time order and
   * each with the clock at its own instant (actions they schedule run too when due in time).
   */
  advance(ms: number): void {
    const targetMs = this.nowMs + ms;
    for (let due = this.pending[0]; due !== undefined && due.atMs <= targetMs && !this.stopped;) {
      this.pending.shift();
      this.nowMs = due.atMs;
      due.action();
      due = this.pending[0];
    }
    this.nowMs = targetMs;
  }

  stop(): void {
    this.stopped = true;
    this.pending.length = 0;
  }
}
