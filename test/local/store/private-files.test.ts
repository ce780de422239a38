/**
 * The store is private: `batchkit local serve`/`run` create the store directory 0700 and every file
 * batchkit writes in it 0600 (the SQLite database with its -wal and -shm, the API's resource file),
 * whatever the umask, and tighten a store left with looser modes by an older batchkit.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegisterJobDefinitionCommand, SubmitJobCommand } from '@aws-sdk/client-batch';
import { startLocalBatchService } from '../../../lib/local/api';
import { ManualClock } from '../../../lib/local/clock';
import { FakeRuntime } from '../../../lib/testing/fake-runtime';
import { sampleModel, sdkClient } from '../api/support';

let root: string;
let umask: number;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'batchkit-modes-'));
  umask = process.umask(0o022);
});
afterAll(() => {
  process.umask(umask);
  rmSync(root, { recursive: true, force: true });
});

/** Starts the service on `store`, registers a definition and submits a job (database and resource file written). */
async function useStore(store: string): Promise<void> {
  const clock = new ManualClock(Date.now());
  const service = await startLocalBatchService({
    model: sampleModel(),
    runtime: new FakeRuntime(clock),
    storeDir: store,
    settleMs: 0,
    executor: { clock, maxVcpus: 4, maxMemoryMiB: 4096 },
  });
  const client = sdkClient(service.server.url);
  try {
    await client.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'secretive',
        type: 'container',
        containerProperties: {
          image: 'i',
          environment: [{ name: 'TOKEN', value: 'hunter2' }],
          resourceRequirements: [
            { type: 'VCPU', value: '1' },
            { type: 'MEMORY', value: '32' },
          ],
        },
      }),
    );
    await client.send(new SubmitJobCommand({ jobName: 'j', jobQueue: 'main-queue', jobDefinition: 'secretive' }));
  } finally {
    client.destroy();
    // The files are checked while the database is open, -wal and -shm included.
    modesWhileOpen = modes(store);
    await service.close();
  }
}

let modesWhileOpen: Record<string, string> = {};

function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = { '.': (statSync(dir).mode & 0o777).toString(8) };
  for (const f of readdirSync(dir)) out[f] = (statSync(join(dir, f)).mode & 0o777).toString(8);
  return out;
}

test('a new store is 0700 with 0600 files, under a 022 umask', async () => {
  const store = join(root, 'new', '.batchkit');
  await useStore(store);
  expect(modesWhileOpen).toEqual({
    '.': '700',
    'jobs.db': '600',
    'jobs.db-wal': '600',
    'jobs.db-shm': '600',
    'api-resources.json': '600',
  });
  expect(modes(store)).toEqual({ '.': '700', 'jobs.db': '600', 'api-resources.json': '600' });
});

test('an existing store with looser modes is tightened when opened', async () => {
  const store = join(root, 'old');
  await useStore(store);
  chmodSync(store, 0o755);
  for (const f of readdirSync(store)) chmodSync(join(store, f), 0o644);
  expect(modes(store)).toEqual({ '.': '755', 'jobs.db': '644', 'api-resources.json': '644' });
  await useStore(store);
  expect(modesWhileOpen).toEqual({
    '.': '700',
    'jobs.db': '600',
    'jobs.db-wal': '600',
    'jobs.db-shm': '600',
    'api-resources.json': '600',
  });
});

test('only batchkit files are touched in the store directory', async () => {
  const store = join(root, 'shared');
  mkdirSync(store, { recursive: true });
  const mine = join(store, 'notes.txt');
  writeFileSync(mine, 'x', { mode: 0o644 });
  await useStore(store);
  expect(modes(store)['notes.txt']).toBe('644');
});
