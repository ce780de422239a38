/**
 * OwnedRuntime on the in-process engine: labels on every container, image overrides, and which
 * containers an instance sees (its own; with a store directory, those of earlier instances on it).
 */
import { ManualClock } from '../../lib/local/clock';
import { FakeRuntime, TESTING_LABELS } from '../../lib/testing';
import { MEMORY_STORE, OwnedRuntime, ownershipFor } from '../../lib/testing/owned-runtime';
import type { ContainerSpec } from '../../lib/local/runtime/container-runtime';

const spec = (jobId: string): ContainerSpec => ({
  runId: 'r',
  jobId,
  attempt: 1,
  image: 'registry/image:1',
  environment: {},
  vcpus: 1,
  memoryMiB: 64,
});

test(
  'labels and image overrides; an instance lists its own containers and, ' + 'with a store directory, those left on it',
  async () => {
    const fake = new FakeRuntime(new ManualClock());
    const first = new OwnedRuntime(fake, ownershipFor('first', '/tmp/store'), {
      'registry/image:1': 'local/busybox:test',
    });
    await (await first.prepare(spec('a'))).start();
    expect(fake.started[0].image).toBe('local/busybox:test');
    expect(fake.started[0].labels).toEqual({
      [TESTING_LABELS.owner]: 'first',
      [TESTING_LABELS.pid]: String(process.pid),
      [TESTING_LABELS.host]: expect.any(String),
      [TESTING_LABELS.store]: '/tmp/store',
    });

    const sameStore = new OwnedRuntime(fake, ownershipFor('second', '/tmp/store'));
    const inMemory = new OwnedRuntime(fake, ownershipFor('third', MEMORY_STORE));
    const otherStore = new OwnedRuntime(fake, ownershipFor('fourth', '/tmp/other'));
    expect((await sameStore.list()).map((c) => c.labels['batchkit.job-id'])).toEqual(['a']);
    expect(await inMemory.list()).toEqual([]);
    expect(await otherStore.list()).toEqual([]);
    // Our process is alive: nothing is an orphan; removeOwn removes only the owner's containers.
    expect(await otherStore.reapOrphans()).toEqual([]);
    expect(await sameStore.removeOwn()).toEqual([]);
    expect(await first.removeOwn()).toEqual(['fake-1']);
    expect(await sameStore.list()).toEqual([]);
  },
);
