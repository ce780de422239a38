/**
 * `FakeRuntime` (public, `batchkit/testing`): an in-process {@link ContainerRuntime} for unit tests
 * that need no Docker engine. Containers "run" for a scripted time on the executor's clock and exit
 * with a scripted code, so retries, timeouts, dependencies and events can be tested in milliseconds:
 * `LocalBatch.fromStack(stack, { runtime: (clock) => new FakeRuntime(clock, (spec) => ({ exitCode: 1 })) })`.
 * The image is not looked at (every image "exists" unless `prepareFailure` says otherwise). Signals behave as on
 * Docker: SIGTERM
 * stops a container with 143 unless it ignores it, SIGKILL with 137. Output is written line by line
 * on the same clock and can be followed as on Docker (no timestamps).
 */
import { BatchkitError } from '../core/errors';
import type { Clock, TimerHandle } from '../local/clock';
import {
  LABELS,
  PrepareError,
  type ContainerExit,
  type ContainerRuntime,
  type ContainerSpec,
  type FoundContainer,
  type LogEntry,
  type LogFollow,
  type PrepareFailure,
  type PreparedContainer,
  type RunningContainer,
} from '../local/runtime/container-runtime';
import { formatLogs } from '../local/runtime/log-demux';

/** What one scripted container does. */
export interface FakeBehavior {
  /** Exit code. @default 0 */
  readonly exitCode?: number;
  /** Run time in clock ms. @default 1000 */
  readonly durationMs?: number;
  /** Killed by the OOM killer at the end (exit 137). @default false */
  readonly oomKilled?: boolean;
  /** Preparing fails. @default - it succeeds */
  readonly prepareFailure?: PrepareFailure;
  /**
   * Output on stdout, written when the container starts. @default - "ran <jobId> attempt <n>" (unless `lines` is
   * given)
   */
  readonly logs?: string;
  /** Lines written `atMs` clock ms after the start (after `logs`). @default - none */
  readonly lines?: ReadonlyArray<{
    readonly atMs: number;
    readonly message: string;
    readonly stream?: 'stdout' | 'stderr';
  }>;
  /** Lines carry the clock's time as the engine's RFC 3339 timestamp, as Docker's do. @default false (no timestamps) */
  readonly timestamps?: boolean;
  /** SIGTERM has no effect (only SIGKILL stops it). @default false */
  readonly ignoreSigterm?: boolean;
  /** The engine goes away after this many ms (wait() rejects). @default - never */
  readonly engineLostAfterMs?: number;
}

/** Chooses a behaviour per container. */
export type FakeScript = (spec: ContainerSpec) => FakeBehavior;

/** One fake container. */
export class FakeContainer implements RunningContainer {
  /** Exit, once it stopped. */
  exit?: ContainerExit;
  /** Signals received, in order. */
  readonly signals: string[] = [];
  /** Clock time it started. */
  startedAt?: number;
  /** Removed from the engine. */
  removed = false;
  private readonly waiters: Array<{ resolve: (e: ContainerExit) => void; reject: (e: Error) => void }> = [];
  private timer?: TimerHandle;
  private lost?: Error;
  private readonly written: LogEntry[] = [];
  private readonly followers = new Set<{
    readonly onLines: (lines: readonly LogEntry[]) => void;
    readonly end: () => void;
    readonly fail: (e: Error) => void;
  }>();

  constructor(
    readonly id: string,
    readonly spec: ContainerSpec,
    readonly labels: Record<string, string>,
    private readonly behavior: FakeBehavior,
    private readonly clock: Clock,
    private readonly onStop: (c: FakeContainer) => void,
  ) {}

  /** Starts the scripted run. */
  begin(): void {
    this.startedAt = this.clock.now();
    const b = this.behavior;
    const text = b.logs ?? (b.lines ? '' : `ran ${this.spec.jobId} attempt ${this.spec.attempt}\n`);
    const stamp = (): string => (b.timestamps ? new Date(this.clock.now()).toISOString().replace('Z', '000000Z') : '');
    this.write(
      text
        .split('\n')
        .filter((l, i, all) => l !== '' || i < all.length - 1)
        .map((message) => ({ stream: 'stdout', timestamp: stamp(), message })),
    );
    for (const l of b.lines ?? []) {
      this.clock.setTimer(l.atMs, () => {
        if (!this.exit && !this.lost)
          this.write([{ stream: l.stream ?? 'stdout', timestamp: stamp(), message: l.message }]);
      });
    }
    if (b.engineLostAfterMs !== undefined) {
      this.timer = this.clock.setTimer(b.engineLostAfterMs, () => this.loseEngine());
      return;
    }
    this.timer = this.clock.setTimer(b.durationMs ?? 1000, () =>
      this.finish({ exitCode: b.oomKilled ? 137 : (b.exitCode ?? 0), oomKilled: b.oomKilled ?? false }),
    );
  }

  private loseEngine(): void {
    this.lost = new Error('connect ENOENT /var/run/docker.sock');
    this.onStop(this);
    for (const w of this.waiters.splice(0)) w.reject(this.lost);
    for (const f of [...this.followers]) f.fail(this.lost);
  }

  /** Stops it now with `exit`. */
  finish(exit: ContainerExit): void {
    if (this.exit) return;
    this.timer?.cancel();
    this.exit = exit;
    this.onStop(this);
    for (const f of [...this.followers]) f.end();
    for (const w of this.waiters.splice(0)) w.resolve(exit);
  }

  private write(lines: LogEntry[]): void {
    if (lines.length === 0) return;
    this.written.push(...lines);
    for (const f of this.followers) f.onLines(lines);
  }

  /** Delivers what was written so far at once, then each new line; ends when the container stops. */
  followLogs(onLines: (lines: readonly LogEntry[]) => void): LogFollow {
    let settle: { resolve: () => void; reject: (e: Error) => void } | undefined;
    const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    const follower = {
      onLines,
      end: () => {
        this.followers.delete(follower);
        settle?.resolve();
      },
      fail: (e: Error) => {
        this.followers.delete(follower);
        settle?.reject(e);
      },
    };
    if (this.written.length > 0) onLines([...this.written]);
    if (this.exit || this.removed) follower.end();
    else if (this.lost) follower.fail(this.lost);
    else this.followers.add(follower);
    return { done, stop: follower.end };
  }

  wait(): Promise<ContainerExit> {
    if (this.exit) return Promise.resolve(this.exit);
    if (this.lost) return Promise.reject(this.lost);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  async kill(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    this.signals.push(signal);
    if (this.exit) return;
    if (signal === 'SIGKILL') this.finish({ exitCode: 137, oomKilled: false });
    else if (!this.behavior.ignoreSigterm) this.finish({ exitCode: 143, oomKilled: false });
  }

  async logs(tail?: number): Promise<string> {
    return formatLogs(tail !== undefined ? this.written.slice(-tail) : this.written);
  }

  async remove(): Promise<void> {
    this.removed = true;
  }
}

/** The fake engine. */
export class FakeRuntime implements ContainerRuntime {
  /** Specs of started containers, in start order. */
  readonly started: ContainerSpec[] = [];
  /** Every container created. */
  readonly containers: FakeContainer[] = [];
  /** Highest number of containers running at once. */
  maxConcurrent = 0;
  /** When true, ping() and prepare() fail as with a stopped engine. */
  down = false;
  private runningNow = 0;
  private next = 0;

  /**
   * @param clock the executor's clock (LocalBatch's `runtime: (clock) => new FakeRuntime(clock)` passes it)
   * @param script the behaviour of each container @default - every container runs 1 s and exits 0
   */
  constructor(
    private readonly clock: Clock,
    private readonly script: FakeScript = () => ({}),
  ) {}

  /** Containers running now. */
  running(): number {
    return this.runningNow;
  }

  async ping(): Promise<void> {
    if (this.down) throw new BatchkitError('BATCHKIT-DOCKER-001', 'environment', 'The fake container engine is down.');
  }

  async prepare(spec: ContainerSpec): Promise<PreparedContainer> {
    if (this.down)
      throw new PrepareError({ kind: 'engine-unavailable', message: 'The fake container engine is down.' });
    const behavior = this.script(spec);
    if (behavior.prepareFailure) throw new PrepareError(behavior.prepareFailure);
    const labels = {
      ...(spec.labels ?? {}),
      [LABELS.runId]: spec.runId,
      [LABELS.jobId]: spec.jobId,
      [LABELS.attempt]: String(spec.attempt),
      [LABELS.managed]: 'true',
      ...(spec.member !== undefined ? { [LABELS.member]: spec.member } : {}),
    };
    const c = new FakeContainer(`fake-${++this.next}`, spec, labels, behavior, this.clock, () => {
      this.runningNow--;
    });
    this.containers.push(c);
    return {
      id: c.id,
      start: async () => {
        this.started.push(spec);
        this.runningNow++;
        this.maxConcurrent = Math.max(this.maxConcurrent, this.runningNow);
        c.begin();
        return c;
      },
      remove: async () => {
        c.removed = true;
      },
    };
  }

  async list(runId?: string): Promise<FoundContainer[]> {
    return this.containers
      .filter(
        (c) => !c.removed && c.startedAt !== undefined && (runId === undefined || c.labels[LABELS.runId] === runId),
      )
      .map((c) => ({ id: c.id, labels: c.labels, running: c.exit === undefined, attach: () => c }));
  }
}
