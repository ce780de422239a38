/**
 * LocalBatch without Docker: the public FakeRuntime scripts each container, so retries, failures
 * and dependencies of an `aws-cdk-lib/aws-batch` app are tested in milliseconds.
 */
import { App } from 'aws-cdk-lib';
import { isJobStateChangeEvent } from '../../lib';
import { FakeRuntime, LocalBatch } from '../../lib/testing';
import { PlainStack } from './stacks';

let stack: PlainStack;
let local: LocalBatch;
let fake: FakeRuntime | undefined;

beforeAll(async () => {
  stack = new PlainStack(new App(), 'Plain');
  local = await LocalBatch.fromStack(stack, {
    timeScale: 100,
    runtime: (clock) =>
      (fake = new FakeRuntime(clock, (spec) =>
        spec.environment.FAIL === 'yes'
          ? { exitCode: 3, logs: 'boom\n' }
          : { durationMs: 500, logs: `ran ${spec.command?.join(' ')}\n` },
      )),
  });
});

afterAll(() => local?.close());

test('aws-cdk-lib L2 constructs as arguments; the fake container runs the definition command', async () => {
  const job = await local.runJob({ jobQueue: stack.queue, jobDefinition: stack.hello });
  expect(job.status).toBe('SUCCEEDED');
  expect(await job.logs()).toBe('ran echo hello from aws-batch\n');
  expect(fake!.started.map((s) => s.image)).toEqual(['local/busybox:test']);
});

test(
  'a failing container with two attempts: FAILED after attempt 2, each ' + 'attempt logged, the dependant fails too',
  async () => {
    const failing = local.submitJob({
      jobQueue: stack.queue,
      jobDefinition: stack.hello,
      jobName: 'failing',
      retryStrategy: { attempts: 2 },
      containerOverrides: { environment: [{ name: 'FAIL', value: 'yes' }] },
    });
    const dependant = local.submitJob({
      jobQueue: stack.queue,
      jobDefinition: stack.hello,
      jobName: 'after',
      dependsOn: [failing],
    });
    const [f, d] = await Promise.all([failing.wait(), dependant.wait()]);
    expect(f.status).toBe('FAILED');
    expect(f.attempts?.map((a) => a.container?.exitCode)).toEqual([3, 3]);
    expect(await failing.logs(1)).toBe('boom\n');
    expect(d.status).toBe('FAILED');
    expect(d.statusReason).toMatch(/dependent job/i);
    const statuses = local.events
      .filter(isJobStateChangeEvent)
      .filter((e) => e.detail.jobId === failing.jobId)
      .map((e) => e.detail.status);
    expect(statuses.at(-1)).toBe('FAILED');
  },
);

test(
  'a job that can never start rejects wait() with BATCHKIT-TESTING-201 ' + 'and the reason, instead of hanging',
  async () => {
    const job = local.submitJob({
      jobQueue: stack.queue,
      jobDefinition: stack.hello,
      containerOverrides: { resourceRequirements: [{ type: 'VCPU', value: '64' }] },
    });
    await expect(job.wait()).rejects.toMatchObject({
      code: 'BATCHKIT-TESTING-201',
      message: expect.stringMatching(/is RUNNABLE and can never finish/),
    });
  },
);

test('fromAssembly: an app of two stacks synthesized to a directory; constructs of both stacks resolve', async () => {
  const { mkdtempSync, rmSync } = await import('fs');
  const { tmpdir } = await import('os');
  const path = await import('path');
  const { RenderStack } = await import('./stacks');
  const outdir = mkdtempSync(path.join(tmpdir(), 'batchkit-assembly-'));
  const app = new App({ outdir });
  const render = new RenderStack(app, 'Render');
  const plain = new PlainStack(app, 'Plain');
  app.synth();
  const both = await LocalBatch.fromAssembly(outdir, {
    runtime: (clock) => new FakeRuntime(clock, () => ({ durationMs: 10 })),
  });
  try {
    const [a, b] = await Promise.all([
      both.runJob({ jobQueue: render.queue, jobDefinition: render.render }),
      both.runJob({ jobQueue: plain.queue, jobDefinition: plain.hello }),
    ]);
    expect([a.jobName, a.status, b.status]).toEqual(['render', 'SUCCEEDED', 'SUCCEEDED']);
    expect(both.model.jobQueues.map((q) => q.source?.stack).sort()).toEqual(['Plain', 'Render', 'Render']);
  } finally {
    await both.close();
    rmSync(outdir, { recursive: true, force: true });
  }
});
