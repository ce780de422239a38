/**
 * SubmitJob is all or nothing: a request the job store cannot record (disk full) is answered with a
 * ServerException and leaves no job behind, also after the SDK's retries and once space returns;
 * a request answered 200 is in the store.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchClient, ListJobsCommand, SubmitJobCommand, type JobStatus } from '@aws-sdk/client-batch';
import Database from 'better-sqlite3';
import { startLocalBatchService } from '../../../lib/local/api';
import { ManualClock } from '../../../lib/local/clock';
import { SqliteJobStore, storeWriteError } from '../../../lib/local/store/sqlite-store';
import { FakeRuntime } from '../../../lib/testing/fake-runtime';
import { sampleModel } from './support';
import { GuardedStore } from '../../_helpers/guarded-store';

/** A SQLite store on a "disk" that can fill up: while `full`, every write fails as SQLite reports it. */
class FillableStore extends GuardedStore {
  full = false;
  writes = 0;
  constructor(dir: string, inner: SqliteJobStore) {
    super(inner, () => {
      this.writes += 1;
      if (this.full) throw storeWriteError(dir, new Database.SqliteError('database or disk is full', 'SQLITE_FULL'));
      return true;
    });
  }
}

test(
  'SubmitJob on a full disk: ServerException after the SDK retries, no ' +
    'job exists or runs once space returns; a 200 is durable',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batchkit-submit-full-'));
    const clock = new ManualClock(Date.now());
    const runtime = new FakeRuntime(clock, () => ({ durationMs: 1000 }));
    const store = new FillableStore(dir, new SqliteJobStore(dir));
    const service = await startLocalBatchService({
      model: sampleModel(),
      runtime,
      storeDir: dir,
      settleMs: 0,
      executor: { clock, store, maxVcpus: 4, maxMemoryMiB: 4096 },
    });
    // The SDK's default retry policy: a ServerException is retried (3 attempts in all).
    const client = new BatchClient({
      endpoint: service.server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 3,
      retryStrategy: undefined,
    });
    const submit = (name: string) =>
      client.send(new SubmitJobCommand({ jobName: name, jobQueue: 'main-queue', jobDefinition: 'hello' }));
    const listAll = async () => {
      const ids: string[] = [];
      for (const jobStatus of [
        'SUBMITTED',
        'PENDING',
        'RUNNABLE',
        'STARTING',
        'RUNNING',
        'SUCCEEDED',
        'FAILED',
      ] as JobStatus[]) {
        const out = await client.send(new ListJobsCommand({ jobQueue: 'main-queue', jobStatus }));
        ids.push(...(out.jobSummaryList ?? []).map((j) => j.jobId ?? ''));
      }
      return ids;
    };
    try {
      store.full = true;
      const error = await submit('lost').then(
        () => undefined,
        (e: { name: string; message: string; $metadata: { attempts?: number } }) => e,
      );
      expect(error?.name).toBe('ServerException');
      expect(error?.message).toMatch(
        new RegExp(
          String.raw`BATCHKIT-LOCAL-402: Cannot write the job store in .*database` +
            String.raw` or disk is full \(SQLITE_FULL\)`,
        ),
      );
      expect(error?.$metadata.attempts).toBe(3);
      expect(store.writes).toBe(3);
      // Space returns: nothing was left behind, nothing runs.
      store.full = false;
      await clock.advance(5000);
      expect(await listAll()).toEqual([]);
      expect(runtime.started).toEqual([]);
      expect(new SqliteJobStore(dir).loadAll()).toEqual([]);

      const ok = await submit('kept');
      const durable = new SqliteJobStore(dir);
      expect(durable.load(ok.jobId ?? '')?.detail.jobName).toBe('kept');
      durable.close();
      await clock.advance(2000);
      expect(await listAll()).toEqual([ok.jobId]);
      expect(runtime.started.map((s) => s.jobId)).toEqual([ok.jobId]);
    } finally {
      client.destroy();
      await service.close();
    }
  },
);
