/**
 * Isolation of `LocalBatch` instances on one Docker engine. Every container a `LocalBatch` starts
 * carries, besides batchkit's own labels (`batchkit.managed`, run id, job id, attempt):
 *
 * | label | value |
 * |---|---|
 * | `batchkit.testing.owner` | a random id of the `LocalBatch` instance |
 * | `batchkit.testing.pid` | the process id of the test process (a Jest worker) |
 * | `batchkit.testing.host` | `os.hostname()` of that process |
 * | `batchkit.testing.store` | the resolved store directory, or `:memory:` |
 *
 * An instance sees (lists, re-attaches, removes) only its own containers, plus, with a store
 * directory, the containers left by an earlier instance on the same store (so the executor's
 * restart recovery re-attaches them). When it opens, it removes the containers of `LocalBatch`
 * instances whose process is gone (same host, `process.kill(pid, 0)` fails with ESRCH): what a
 * killed test run left behind. Containers of live processes (another Jest worker) and of other hosts
 * are never touched.
 */
import { hostname } from 'node:os';
import type {
  ContainerRuntime,
  ContainerSpec,
  FoundContainer,
  PreparedContainer,
} from '../local/runtime/container-runtime';

/** Label keys of `LocalBatch` containers. */
export const TESTING_LABELS = {
  owner: 'batchkit.testing.owner',
  pid: 'batchkit.testing.pid',
  host: 'batchkit.testing.host',
  store: 'batchkit.testing.store',
} as const;

/** The store label of an in-memory store. */
export const MEMORY_STORE = ':memory:';

/** Who owns the containers of one `LocalBatch`. */
export interface Ownership {
  /** Random id of the instance. */
  readonly owner: string;
  /** Process id. */
  readonly pid: number;
  /** Host name. */
  readonly host: string;
  /** Resolved store directory or `:memory:`. */
  readonly store: string;
}

/** An ownership for this process. */
export function ownershipFor(owner: string, store: string): Ownership {
  return { owner, pid: process.pid, host: hostname(), store };
}

/** True when a process with this id exists on this machine (EPERM: it exists, owned by someone else). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when `c` belongs to a `LocalBatch` whose process on this host is gone, and not to our own store. */
export function isOrphan(
  c: Pick<FoundContainer, 'labels'>,
  me: Ownership,
  alive: (pid: number) => boolean = processAlive,
): boolean {
  const owner = c.labels[TESTING_LABELS.owner];
  if (owner === undefined || owner === me.owner) return false;
  if (c.labels[TESTING_LABELS.host] !== me.host) return false;
  if (me.store !== MEMORY_STORE && c.labels[TESTING_LABELS.store] === me.store) return false;
  const pid = Number(c.labels[TESTING_LABELS.pid]);
  return pid !== me.pid && !alive(pid);
}

/** A {@link ContainerRuntime} decorator that labels, filters and cleans up one `LocalBatch`'s containers. */
export class OwnedRuntime implements ContainerRuntime {
  constructor(
    private readonly inner: ContainerRuntime,
    /** Who owns the containers. */
    readonly ownership: Ownership,
    /** Image references replaced by local images (`LocalBatchOptions.imageOverrides`). */
    private readonly images: Readonly<Record<string, string>> = {},
  ) {}

  ping(): Promise<void> {
    return this.inner.ping();
  }

  prepare(spec: ContainerSpec): Promise<PreparedContainer> {
    const o = this.ownership;
    const labels = {
      ...(spec.labels ?? {}),
      [TESTING_LABELS.owner]: o.owner,
      [TESTING_LABELS.pid]: String(o.pid),
      [TESTING_LABELS.host]: o.host,
      [TESTING_LABELS.store]: o.store,
    };
    return this.inner.prepare({ ...spec, image: this.images[spec.image] ?? spec.image, labels });
  }

  /** Our containers, and with a store directory those of earlier instances on the same store. */
  async list(runId?: string): Promise<FoundContainer[]> {
    return (await this.inner.list(runId)).filter((c) => this.mine(c));
  }

  removeVolume(name: string): Promise<void> {
    return this.inner.removeVolume?.(name) ?? Promise.resolve();
  }

  private mine(c: FoundContainer): boolean {
    if (c.labels[TESTING_LABELS.owner] === this.ownership.owner) return true;
    return (
      this.ownership.store !== MEMORY_STORE &&
      c.labels[TESTING_LABELS.owner] !== undefined &&
      c.labels[TESTING_LABELS.store] === this.ownership.store
    );
  }

  /** Removes (force) the containers of `LocalBatch` instances whose process is gone; returns their ids. */
  async reapOrphans(alive: (pid: number) => boolean = processAlive): Promise<string[]> {
    const orphans = (await this.inner.list()).filter((c) => isOrphan(c, this.ownership, alive));
    await Promise.all(
      orphans.map((c) =>
        c
          .attach()
          .remove()
          .catch(() => undefined),
      ),
    );
    return orphans.map((c) => c.id);
  }

  /** Removes (force) every container of this instance; returns their ids. */
  async removeOwn(): Promise<string[]> {
    const own = (await this.inner.list()).filter((c) => c.labels[TESTING_LABELS.owner] === this.ownership.owner);
    await Promise.all(
      own.map((c) =>
        c
          .attach()
          .remove()
          .catch(() => undefined),
      ),
    );
    return own.map((c) => c.id);
  }
}
