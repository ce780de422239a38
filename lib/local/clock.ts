/**
 * The executor's notion of time. The scheduler never calls `Date.now()` or `setTimeout` directly:
 * it asks a {@link Clock}, so tests can drive time by hand ({@link ManualClock}) and the CLI can run
 * long timeouts faster (`--time-scale`, a local-only option) without changing any rule.
 */

/** A pending timer. */
export interface TimerHandle {
  /** Cancels the timer; a no-op after it fired. */
  cancel(): void;
}

/** Time source and timers. */
export interface Clock {
  /** Now, in epoch milliseconds. */
  now(): number;
  /** Calls `fn` after `ms` milliseconds of clock time. */
  setTimer(ms: number, fn: () => void): TimerHandle;
}

/**
 * Real time. With `timeScale` N, timers fire N times sooner (a 60 s attempt timeout fires after
 * 1 s of wall time with N = 60); `now()` advances N times faster from the moment the clock was made,
 * so recorded durations (startedAt → stoppedAt) read as they would on AWS.
 */
export class SystemClock implements Clock {
  private readonly origin = Date.now();

  constructor(private readonly timeScale: number = 1) {
    if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
      throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
    }
  }

  now(): number {
    return Math.round(this.origin + (Date.now() - this.origin) * this.timeScale);
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const t = setTimeout(fn, Math.max(0, ms / this.timeScale));
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  }
}

interface ManualTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/** Waits until queued promise callbacks and I/O callbacks have run. */
export function flushAsync(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A clock that only moves when told to: for unit tests. */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: ManualTimer[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const timer: ManualTimer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Number of timers not yet fired or cancelled. */
  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /**
   * Moves time forward by `ms`, firing due timers in order and letting the promise callbacks they
   * cause settle after each one.
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await flushAsync();
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.current = Math.max(this.current, due.at);
      due.cancelled = true;
      due.fn();
      await flushAsync();
    }
    this.current = target;
    await flushAsync();
  }
}
