import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobRecord } from '../../../lib/local/scheduler/job-record';
import { SqliteJobStore } from '../../../lib/local/store/sqlite-store';
import { MemoryJobStore } from '../../../lib/local/store/job-store';

function record(id: string, status: JobRecord['detail']['status'] = 'RUNNABLE'): JobRecord {
  return {
    detail: {
      jobId: id,
      jobName: 'n',
      jobQueue: 'arn:q',
      jobDefinition: 'arn:d:1',
      status,
      attempts: [],
      createdAt: 5,
    },
    meta: {
      kind: 'single',
      queueName: 'q',
      definitionName: 'd',
      seq: 1,
      waitingOn: ['a'],
      demand: { vcpus: 1, memoryMiB: 512, gpus: 0 },
    },
  };
}

describe.each([
  ['sqlite', () => new SqliteJobStore(mkdtempSync(join(tmpdir(), 'batchkit-store-')))],
  ['memory', () => new MemoryJobStore()],
])('%s store', (_name, make) => {
  test('saves, replaces and loads records and logs', () => {
    const store = make();
    store.save(record('j1'));
    store.saveMany([record('j2'), record('j3', 'FAILED')]);
    store.save(record('j1', 'STARTING'));
    store.saveLogs('j1', 1, 'hello\n');
    const all = store.loadAll().sort((a, b) => a.detail.jobId.localeCompare(b.detail.jobId));
    expect(all.map((r) => [r.detail.jobId, r.detail.status])).toEqual([
      ['j1', 'STARTING'],
      ['j2', 'RUNNABLE'],
      ['j3', 'FAILED'],
    ]);
    expect(all[0]).toEqual(record('j1', 'STARTING'));
    expect(store.loadLogs('j1', 1)).toBe('hello\n');
    expect(store.loadLogs('j1', 2)).toBeUndefined();
    store.close();
  });
});

test('sqlite survives reopening, and writes after close are ignored', () => {
  const dir = mkdtempSync(join(tmpdir(), 'batchkit-store-'));
  const a = new SqliteJobStore(dir);
  a.save(record('j1'));
  a.saveLogs('j1', 1, 'out');
  a.close();
  expect(() => a.save(record('j2'))).not.toThrow();
  const b = new SqliteJobStore(dir);
  expect(b.loadAll().map((r) => r.detail.jobId)).toEqual(['j1']);
  expect(b.loadLogs('j1', 1)).toBe('out');
  b.close();
});

test('an unusable store directory is an environment error', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'batchkit-store-')), 'plain-file');
  writeFileSync(file, 'not a directory');
  expect(() => new SqliteJobStore(join(file, 'store'))).toThrow(
    new RegExp(
      String.raw`Cannot open the job store in .*plain-file\/store: .*Fix: che` +
        String.raw`ck that the directory is writable`,
    ),
  );
});
