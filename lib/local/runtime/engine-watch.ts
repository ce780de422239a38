/**
 * Watches the engine while containers are waited on. A long `POST /containers/{id}/wait` whose
 * connection dies after the response headers never settles in the HTTP client, so an engine that
 * goes away would leave attempts hanging. One shared heartbeat per runtime (not one per container)
 * pings the engine while any wait is pending and fails every pending wait when the engine is gone.
 */

/** Options of {@link EngineWatch}. */
export interface EngineWatchOptions {
  /** Time between pings while waits are pending. @default 2000 */
  readonly intervalMs?: number;
  /** A ping slower than this counts as a failure. @default 10000 */
  readonly pingTimeoutMs?: number;
  /** Consecutive slow pings (not refused connections) before the engine counts as gone. @default 3 */
  readonly slowPingsAllowed?: number;
}

interface Guarded {
  readonly abort: AbortController;
  readonly fail: (cause: unknown) => void;
}

/** The heartbeat. */
export class EngineWatch {
  private readonly guarded = new Set<Guarded>();
  private readonly intervalMs: number;
  private readonly pingTimeoutMs: number;
  private readonly slowPingsAllowed: number;
  private timer?: NodeJS.Timeout;
  private slowPings = 0;

  constructor(
    private readonly ping: () => Promise<unknown>,
    private readonly isRefused: (e: unknown) => boolean,
    options: EngineWatchOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 2000;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 10_000;
    this.slowPingsAllowed = options.slowPingsAllowed ?? 3;
  }

  /**
   * Runs `work` with an abort signal; the result rejects with the engine's error (mapped by
   * `onLost`) when the engine is found gone before `work` settles.
   */
  guard<T>(work: (signal: AbortSignal) => Promise<T>, onLost: (cause: unknown) => Error): Promise<T> {
    const abort = new AbortController();
    return new Promise<T>((resolve, reject) => {
      const entry: Guarded = {
        abort,
        fail: (cause) => {
          this.release(entry);
          abort.abort();
          reject(onLost(cause));
        },
      };
      this.guarded.add(entry);
      this.schedule();
      work(abort.signal).then(
        (value) => {
          this.release(entry);
          resolve(value);
        },
        (e: unknown) => {
          this.release(entry);
          reject(e);
        },
      );
    });
  }

  /** Pending guarded calls. */
  get pending(): number {
    return this.guarded.size;
  }

  private release(entry: Guarded): void {
    this.guarded.delete(entry);
    if (this.guarded.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.slowPings = 0;
    }
  }

  private schedule(): void {
    if (this.timer || this.guarded.size === 0) return;
    this.timer = setTimeout(() => void this.beat(), this.intervalMs);
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    let failure: unknown;
    let refused = false;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer to ping within ${this.pingTimeoutMs} ms`)),
            this.pingTimeoutMs,
          );
        }),
      ]);
      this.slowPings = 0;
    } catch (e) {
      failure = e;
      refused = this.isRefused(e);
      if (!refused) this.slowPings += 1;
    } finally {
      clearTimeout(timer);
    }
    this.timer = undefined;
    if (failure !== undefined && (refused || this.slowPings >= this.slowPingsAllowed)) {
      for (const entry of [...this.guarded]) entry.fail(failure);
      this.slowPings = 0;
    }
    this.schedule();
  }
}
