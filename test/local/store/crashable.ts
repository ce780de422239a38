/** A fake engine wrapper whose executor can "die": after crash() it sees nothing more. */
import type {
  ContainerRuntime,
  ContainerSpec,
  FoundContainer,
  PreparedContainer,
  RunningContainer,
} from '../../../lib/local/runtime/container-runtime';
import type { FakeRuntime } from '../../../lib/testing/fake-runtime';

/** Wraps the fake engine so the first executor can "die": after `crashed` is set it sees nothing more. */
export class CrashableRuntime implements ContainerRuntime {
  crashed = false;
  /**
   * Containers of these job ids are never created (their prepare() hangs): nodes that had not started when
   * batchkit died.
   */
  readonly hold = new Set<string>();
  /** Containers of multi-container jobs with these names are never created either (prepare() hangs). */
  readonly holdMembers = new Set<string>();
  constructor(private readonly inner: FakeRuntime) {}
  ping(): Promise<void> {
    return this.inner.ping();
  }
  list(runId?: string): Promise<FoundContainer[]> {
    return this.inner.list(runId);
  }
  async prepare(spec: ContainerSpec): Promise<PreparedContainer> {
    // A dead batchkit creates nothing more; nor does it get to create a held job's container.
    if (this.crashed || this.hold.has(spec.jobId) || this.holdMembers.has(spec.member ?? ''))
      return new Promise<PreparedContainer>(() => undefined);
    const p = await this.inner.prepare(spec);
    return { id: p.id, remove: () => p.remove(), start: async () => this.wrap(await p.start()) };
  }
  private wrap(c: RunningContainer): RunningContainer {
    const frozen = <T>(v: T): Promise<T> => (this.crashed ? new Promise<T>(() => undefined) : Promise.resolve(v));
    const follow = c.followLogs?.bind(c);
    return {
      id: c.id,
      wait: () => c.wait().then(frozen),
      kill: (s) => (this.crashed ? Promise.resolve() : c.kill(s)),
      logs: () => c.logs(),
      remove: () => (this.crashed ? Promise.resolve() : c.remove()),
      ...(follow
        ? {
            followLogs: (onLines) => {
              const f = follow((lines) => {
                if (!this.crashed) onLines(lines);
              });
              return { done: f.done.then(frozen), stop: f.stop };
            },
          }
        : {}),
    };
  }
}
