import { emptyBatchModel } from '../../../lib/core/model/batch-model';
import type { ContainerDetail, JobDetail } from '../../../lib/core/model/job';
import { containerSpecFor } from '../../../lib/local/attempt-runner';
import { ManualClock, SystemClock } from '../../../lib/local/clock';
import { LocalExecutor } from '../../../lib/local/executor';
import { FakeRuntime } from '../../../lib/testing/fake-runtime';
import { ce, harness, jobDef, model, queue } from '../scheduler/fixture';

describe('LocalExecutor facade', () => {
  test('listJobs: RUNNING by default, by status, array children, filters, newest first', async () => {
    const h = await harness(model([jobDef('d'), jobDef('other')]), (spec) => ({
      durationMs: spec.jobId.includes(':') ? 1000 : 10_000,
    }));
    const a = h.executor.submitJob({ jobName: 'alpha', jobQueue: 'q', jobDefinition: 'd' }).jobId;
    await h.clock.advance(10);
    const b = h.executor.submitJob({ jobName: 'beta', jobQueue: 'q', jobDefinition: 'other' }).jobId;
    await h.clock.advance(10);
    const arr = h.executor.submitJob({
      jobName: 'arr',
      jobQueue: 'q',
      jobDefinition: 'd',
      arrayProperties: { size: 2 },
    }).jobId;
    await h.clock.advance(10);
    expect(h.executor.listJobs({ jobQueue: 'q' }).map((s) => s.jobId)).toEqual([b, a]);
    expect(h.executor.listJobs({ jobQueue: 'q', jobStatus: 'PENDING' }).map((s) => s.jobId)).toEqual([arr]);
    expect(
      h.executor.listJobs({ jobQueue: 'q', filters: [{ name: 'JOB_NAME', values: ['AL*'] }] }).map((s) => s.jobId),
    ).toEqual([a]);
    expect(
      h.executor
        .listJobs({ jobQueue: 'q', filters: [{ name: 'JOB_DEFINITION', values: ['other'] }] })
        .map((s) => s.jobId),
    ).toEqual([b]);
    await h.clock.advance(2000);
    const children = h.executor.listJobs({ arrayJobId: arr, jobStatus: 'SUCCEEDED' });
    expect(children.map((c) => c.arrayProperties)).toEqual([{ index: 1 }, { index: 0 }]);
    expect(children[0]).toMatchObject({
      status: 'SUCCEEDED',
      container: { exitCode: 0 },
      statusReason: 'Essential container in task exited',
    });
    expect(() => h.executor.listJobs({})).toThrow(/exactly one of jobQueue, arrayJobId or multiNodeJobId/);
    expect(() => h.executor.listJobs({ jobQueue: 'q', filters: [{ name: 'COLOR', values: ['x'] }] })).toThrow(
      /unknown filter name "COLOR"/,
    );
  });

  test('currentLogs reads the running container, then the stored output', async () => {
    const h = await harness(model([jobDef('d')]), () => ({ durationMs: 5000, logs: 'partial and final\n' }));
    const { jobId } = h.executor.submitJob({ jobName: 'x', jobQueue: 'q', jobDefinition: 'd' });
    expect(await h.executor.currentLogs(jobId)).toBe('');
    await h.clock.advance(1000);
    expect(h.executor.logs(jobId)).toBe('');
    expect(await h.executor.currentLogs(jobId)).toBe('stdout partial and final\n');
    await h.clock.advance(5000);
    expect(h.executor.logs(jobId)).toBe('stdout partial and final\n');
    expect(await h.executor.currentLogs(jobId)).toBe('stdout partial and final\n');
  });

  test('waitForJob resolves with the final record; waitForIdle when nothing can progress', async () => {
    const h = await harness(model([jobDef('d'), jobDef('big', {}, '64')]), () => ({ durationMs: 3000 }));
    const { jobId } = h.executor.submitJob({ jobName: 'x', jobQueue: 'q', jobDefinition: 'd' });
    const blocked = h.executor.submitJob({ jobName: 'big', jobQueue: 'q', jobDefinition: 'big' }).jobId;
    let final: JobDetail | undefined;
    void h.executor.waitForJob(jobId).then((d) => (final = d));
    let idle = false;
    void h.executor.waitForIdle().then(() => (idle = true));
    await h.clock.advance(2000);
    expect(final).toBeUndefined();
    expect(idle).toBe(false);
    await h.clock.advance(1000);
    expect(final?.status).toBe('SUCCEEDED');
    expect(idle).toBe(true);
    expect(h.executor.describeJobs([blocked])[0].status).toBe('RUNNABLE');
    expect(h.executor.whyRunnable(jobId)).toEqual([]);
  });

  test('time scale: a 60 s timeout and the 30 s grace period run in a fraction of a second', async () => {
    const clock = new SystemClock(600);
    const runtime = new FakeRuntime(clock, () => ({ durationMs: 3_600_000, ignoreSigterm: true }));
    const executor = await LocalExecutor.open({
      model: model([jobDef('d', { timeout: { attemptDurationSeconds: 60 } })]),
      runtime,
      clock,
      storeDir: ':memory:',
    });
    const started = Date.now();
    const { jobId } = executor.submitJob({ jobName: 'x', jobQueue: 'q', jobDefinition: 'd' });
    const d = await executor.waitForJob(jobId);
    const wall = Date.now() - started;
    expect(d.statusReason).toBe('Job attempt duration exceeded timeout');
    expect(runtime.containers[0].signals).toEqual(['SIGTERM', 'SIGKILL']);
    expect(wall).toBeGreaterThanOrEqual(140);
    expect(wall).toBeLessThan(5000);
    expect(d.stoppedAt! - d.startedAt!).toBeGreaterThanOrEqual(89_000);
    await executor.close();
  });

  test('a DISABLED environment starts nothing until it is enabled again', async () => {
    const m = model([jobDef('d')], { computeEnvironments: [ce('ce1', 4, { state: 'DISABLED' })] });
    const h = await harness(m);
    const { jobId } = h.executor.submitJob({ jobName: 'x', jobQueue: 'q', jobDefinition: 'd' });
    await h.settle(3000);
    expect(h.executor.describeJobs([jobId])[0].status).toBe('RUNNABLE');
    expect(h.executor.whyRunnable(jobId)).toEqual(['compute environment ce1 is DISABLED: it takes no new jobs.']);
    h.executor.updateComputeEnvironment('ce1', { state: 'ENABLED' });
    await h.settle(3000);
    expect(h.statuses(jobId)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
    expect(() => h.executor.updateComputeEnvironment('nope', { state: 'ENABLED' })).toThrow(
      /Compute environment "nope" does not exist. Fix: use one of: ce1./,
    );
  });

  test('disabling a queue rejects new jobs but lets queued ones run', async () => {
    const h = await harness(model([jobDef('d')], {}, 1), () => ({ durationMs: 1000 }));
    const a = h.executor.submitJob({ jobName: 'a', jobQueue: 'q', jobDefinition: 'd' }).jobId;
    const b = h.executor.submitJob({ jobName: 'b', jobQueue: 'q', jobDefinition: 'd' }).jobId;
    h.executor.updateJobQueue('q', { state: 'DISABLED' });
    expect(() => h.executor.submitJob({ jobName: 'c', jobQueue: 'q', jobDefinition: 'd' })).toThrow(/DISABLED/);
    await h.settle(5000);
    expect(h.executor.describeJobs([a, b]).map((d) => d.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });

  test(
    'queues and environments registered at run time are scheduled; a ' + 'replaced environment keeps its reservations',
    async () => {
      const h = await harness(model([jobDef('d')], {}, 1), () => ({ durationMs: 5000 }));
      h.executor.putComputeEnvironment(ce('ce2', 2));
      h.executor.putJobQueue(queue('late', 5, ['ce2']));
      const a = h.executor.submitJob({ jobName: 'a', jobQueue: 'late', jobDefinition: 'd' }).jobId;
      const b = h.executor.submitJob({ jobName: 'b', jobQueue: 'q', jobDefinition: 'd' }).jobId;
      await h.clock.advance(1000);
      expect(h.executor.describeJobs([a, b]).map((d) => d.status)).toEqual(['RUNNING', 'RUNNING']);
      h.executor.putComputeEnvironment(ce('ce1', 1));
      const c = h.executor.submitJob({ jobName: 'c', jobQueue: 'q', jobDefinition: 'd' }).jobId;
      await h.clock.advance(1000);
      expect(h.executor.describeJobs([c])[0].status).toBe('RUNNABLE');
      await h.settle(20_000);
      expect(h.executor.describeJobs([c])[0].status).toBe('SUCCEEDED');
      expect(h.runtime.started.find((s) => s.jobId === a)!.environment.AWS_BATCH_CE_NAME).toBe('ce2');
    },
  );

  test('jobStateTimeLimitActions cancel a job blocked in RUNNABLE', async () => {
    const m = model([jobDef('big', {}, '8')], {
      jobQueues: [
        queue('q', 1, ['ce1'], {
          jobStateTimeLimitActions: [
            {
              reason: 'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE',
              state: 'RUNNABLE',
              maxTimeSeconds: 600,
              action: 'CANCEL',
            },
          ],
        }),
      ],
      computeEnvironments: [ce('ce1', 4)],
    });
    const h = await harness(m);
    const { jobId } = h.executor.submitJob({ jobName: 'big', jobQueue: 'q', jobDefinition: 'big' });
    await h.clock.advance(599_000);
    expect(h.executor.describeJobs([jobId])[0].status).toBe('RUNNABLE');
    await h.clock.advance(1000);
    expect(h.statuses(jobId)).toEqual(['RUNNABLE', 'FAILED']);
    expect(h.executor.describeJobs([jobId])[0]).toMatchObject({
      statusReason:
        'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE: RUNNABLE for 600 s, ' +
        "CANCEL by the job queue's jobStateTimeLimitActions",
      isCancelled: true,
    });
  });

  test('an empty model opens and rejects submissions with the fix', async () => {
    const executor = await LocalExecutor.open({
      model: emptyBatchModel(),
      runtime: new FakeRuntime(new ManualClock()),
      storeDir: ':memory:',
    });
    expect(() => executor.submitJob({ jobName: 'x', jobQueue: 'q', jobDefinition: 'd' })).toThrow(
      new RegExp(String.raw`job queue "q" does not exist. Fix: the loaded app declares n` + String.raw`o job queue`),
    );
    expect(executor.jobQueues()).toEqual([]);
    await executor.close();
  });

  test('a definition without memory is refused at submission with the field named', async () => {
    const def = jobDef('nomem');
    def.containerProperties!.resourceRequirements = [{ type: 'VCPU', value: '1' }];
    const h = await harness(model([def]));
    expect(() => h.executor.submitJob({ jobName: 'x', jobQueue: 'q', jobDefinition: 'nomem' })).toThrow(
      new RegExp(
        String.raw`job definition nomem: MEMORY is not set; a job needs a posit` +
          String.raw`ive value to run. Fix: set MEMORY in the job definition or w` +
          String.raw`ith --memory at submission.`,
      ),
    );
    expect(() =>
      h.executor.submitJob({
        jobName: 'x',
        jobQueue: 'q',
        jobDefinition: 'nomem',
        containerOverrides: { memory: 256 },
      }),
    ).not.toThrow();
  });
});

describe('container spec of an attempt', () => {
  const container: ContainerDetail = {
    image: 'local/busybox:test',
    command: ['sh', '-c', 'id'],
    vcpus: 2,
    memory: 300,
    user: '1000:1000',
    readonlyRootFilesystem: true,
    privileged: false,
    ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 2048 }],
    environment: [{ name: 'A', value: '1' }],
    volumes: [{ name: 'data', host: { sourcePath: '/tmp/data' } }, { name: 'scratch' }],
    mountPoints: [
      { sourceVolume: 'data', containerPath: '/data', readOnly: true },
      { sourceVolume: 'scratch', containerPath: '/scratch' },
    ],
    linuxParameters: {
      devices: [{ hostPath: '/dev/fuse', permissions: ['READ', 'WRITE'] }],
      tmpfs: [{ containerPath: '/run', size: 64, mountOptions: ['noexec'] }],
      sharedMemorySize: 128,
      initProcessEnabled: true,
      maxSwap: 512,
      swappiness: 10,
    },
  };

  test('maps every container setting the engine needs', () => {
    const job: JobDetail = { jobId: 'p:3', jobName: 'n', jobQueue: 'q', jobDefinition: 'd', status: 'STARTING' };
    const spec = containerSpecFor({
      runId: 'r',
      job,
      container,
      attempt: 2,
      queueName: 'q',
      ceName: 'ce',
      secrets: {},
      batchEnv: { AWS_BATCH_JOB_ARRAY_INDEX: '3' },
    });
    expect(spec).toEqual({
      runId: 'r',
      jobId: 'p:3',
      attempt: 2,
      image: 'local/busybox:test',
      command: ['sh', '-c', 'id'],
      environment: {
        A: '1',
        AWS_BATCH_JOB_ID: 'p:3',
        AWS_BATCH_JOB_ATTEMPT: '2',
        AWS_BATCH_JQ_NAME: 'q',
        AWS_BATCH_CE_NAME: 'ce',
        AWS_BATCH_JOB_ARRAY_INDEX: '3',
      },
      vcpus: 2,
      memoryMiB: 300,
      maxSwapMiB: 512,
      swappiness: 10,
      gpus: 0,
      user: '1000:1000',
      readonlyRootFilesystem: true,
      privileged: false,
      ulimits: [{ name: 'nofile', soft: 1024, hard: 2048 }],
      devices: [{ hostPath: '/dev/fuse', containerPath: '/dev/fuse', permissions: 'rw' }],
      tmpfs: { '/run': 'size=64m,noexec' },
      sharedMemoryMiB: 128,
      init: true,
      mounts: [
        { hostPath: '/tmp/data', containerPath: '/data', readOnly: true },
        { hostPath: undefined, containerPath: '/scratch', readOnly: false },
      ],
      network: 'host',
    });
  });

  test('EC2 jobs share the host network (ECS-EC2 host mode), Fargate jobs get none', () => {
    const base = { runId: 'r', container, attempt: 1, queueName: 'q', ceName: 'ce', secrets: {} };
    const job = (platformCapabilities?: JobDetail['platformCapabilities']): JobDetail => ({
      jobId: 'j',
      jobName: 'n',
      jobQueue: 'q',
      jobDefinition: 'd',
      status: 'STARTING',
      ...(platformCapabilities ? { platformCapabilities } : {}),
    });
    expect(containerSpecFor({ ...base, job: job() }).network).toBe('host');
    expect(containerSpecFor({ ...base, job: job(['EC2']) }).network).toBe('host');
    expect(containerSpecFor({ ...base, job: job(['FARGATE']) }).network).toBe('none');
    expect(containerSpecFor({ ...base, job: job(['FARGATE']), network: 'host' }).network).toBe('host');
  });
});
