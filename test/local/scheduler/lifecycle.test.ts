import type { EvaluateOnExit } from '../../../lib/core/model/job-definition';
import { harness, jobDef, model } from './fixture';

describe('single job life cycle', () => {
  test('exit 0: SUBMITTED is silent, then PENDING-less RUNNABLE → STARTING → RUNNING → SUCCEEDED', async () => {
    const h = await harness(model([jobDef('d')]), () => ({ exitCode: 0, durationMs: 5000 }));
    const { jobId } = h.executor.submitJob({ jobName: 'one', jobQueue: 'q', jobDefinition: 'd' });
    expect(h.executor.describeJobs([jobId])[0].status).toBe('SUBMITTED');
    await h.settle(10_000);
    expect(h.statuses(jobId)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
    const [d] = h.executor.describeJobs([jobId]);
    expect(d.statusReason).toBe('Essential container in task exited');
    expect(d.stoppedAt! - d.startedAt!).toBe(5000);
    expect(d.attempts).toHaveLength(1);
    expect(d.attempts![0].container!.exitCode).toBe(0);
    expect(d.attempts![0].container!.logStreamName).toMatch(/^d\/default\/[0-9a-f]{32}$/);
    expect(d.container!.command).toEqual(['echo', 'hello']);
    expect(h.executor.logs(jobId)).toBe(`stdout ran ${jobId} attempt 1\n`);
  });

  test('container gets AWS_BATCH_* variables, parameters and overrides', async () => {
    const h = await harness(model([jobDef('d')]));
    const { jobId } = h.executor.submitJob({
      jobName: 'one',
      jobQueue: 'q',
      jobDefinition: 'd',
      parameters: { greeting: 'bonjour' },
      containerOverrides: {
        environment: [{ name: 'STAGE', value: 'dev' }],
        resourceRequirements: [{ type: 'MEMORY', value: '1024' }],
      },
    });
    await h.settle(5000);
    const spec = h.runtime.started[0];
    expect(spec.command).toEqual(['echo', 'bonjour']);
    expect(spec.memoryMiB).toBe(1024);
    expect(spec.vcpus).toBe(1);
    expect(spec.environment).toEqual({
      STAGE: 'dev',
      AWS_BATCH_JOB_ID: jobId,
      AWS_BATCH_JOB_ATTEMPT: '1',
      AWS_BATCH_JQ_NAME: 'q',
      AWS_BATCH_CE_NAME: 'ce1',
    });
  });

  const reasons: [string, number, EvaluateOnExit[] | undefined, number, string[]][] = [
    ['no strategy: one attempt', 1, undefined, 1, ['RUNNABLE', 'STARTING', 'RUNNING', 'FAILED']],
    [
      '3 attempts, always failing',
      3,
      undefined,
      3,
      [
        'RUNNABLE',
        'STARTING',
        'RUNNING',
        'RUNNABLE',
        'STARTING',
        'RUNNING',
        'RUNNABLE',
        'STARTING',
        'RUNNING',
        'FAILED',
      ],
    ],
    [
      'EXIT on exit code 3*',
      3,
      [{ onExitCode: '3*', action: 'EXIT' }],
      1,
      ['RUNNABLE', 'STARTING', 'RUNNING', 'FAILED'],
    ],
    [
      'RETRY on 3, EXIT on anything: retried',
      2,
      [
        { onExitCode: '3', action: 'RETRY' },
        { onReason: '*', action: 'EXIT' },
      ],
      2,
      ['RUNNABLE', 'STARTING', 'RUNNING', 'RUNNABLE', 'STARTING', 'RUNNING', 'FAILED'],
    ],
    [
      'no rule matches: retried',
      2,
      [{ onExitCode: '9', action: 'EXIT' }],
      2,
      ['RUNNABLE', 'STARTING', 'RUNNING', 'RUNNABLE', 'STARTING', 'RUNNING', 'FAILED'],
    ],
    [
      'lower-case exit action',
      3,
      [{ onStatusReason: 'Essential*', action: 'exit' as 'EXIT' }],
      1,
      ['RUNNABLE', 'STARTING', 'RUNNING', 'FAILED'],
    ],
  ];
  test.each(reasons)('exit 3, %s', async (_name, attempts, evaluateOnExit, expectedAttempts, sequence) => {
    const h = await harness(model([jobDef('d', { retryStrategy: { attempts, evaluateOnExit } })]), () => ({
      exitCode: 3,
    }));
    const { jobId } = h.executor.submitJob({ jobName: 'one', jobQueue: 'q', jobDefinition: 'd' });
    await h.settle(20_000);
    expect(h.statuses(jobId)).toEqual(sequence);
    const [d] = h.executor.describeJobs([jobId]);
    expect(d.attempts).toHaveLength(expectedAttempts);
    expect(d.statusReason).toBe('Essential container in task exited');
    expect(h.runtime.started.map((s) => s.environment.AWS_BATCH_JOB_ATTEMPT)).toEqual(
      Array.from({ length: expectedAttempts }, (_, i) => String(i + 1)),
    );
  });

  test('retry succeeds on the second attempt; logs kept per attempt', async () => {
    const h = await harness(model([jobDef('d', { retryStrategy: { attempts: 2 } })]), (spec) => ({
      exitCode: spec.attempt === 1 ? 1 : 0,
      logs: `try ${spec.attempt}\n`,
    }));
    const { jobId } = h.executor.submitJob({ jobName: 'one', jobQueue: 'q', jobDefinition: 'd' });
    await h.settle(10_000);
    expect(h.statuses(jobId)).toEqual([
      'RUNNABLE',
      'STARTING',
      'RUNNING',
      'RUNNABLE',
      'STARTING',
      'RUNNING',
      'SUCCEEDED',
    ]);
    expect(h.executor.logs(jobId, 1)).toBe('stdout try 1\n');
    expect(h.executor.logs(jobId)).toBe('stdout try 2\n');
    const [d] = h.executor.describeJobs([jobId]);
    expect(d.attempts!.map((a) => a.container!.exitCode)).toEqual([1, 0]);
    expect(d.attempts![0].container!.logStreamName).not.toBe(d.attempts![1].container!.logStreamName);
  });

  test('OOM kill: container reason OutOfMemoryError, matched by onReason', async () => {
    const h = await harness(
      model([
        jobDef('d', {
          retryStrategy: { attempts: 3, evaluateOnExit: [{ onReason: 'OutOfMemoryError*', action: 'EXIT' }] },
        }),
      ]),
      () => ({ oomKilled: true }),
    );
    const { jobId } = h.executor.submitJob({ jobName: 'one', jobQueue: 'q', jobDefinition: 'd' });
    await h.settle(5000);
    const [d] = h.executor.describeJobs([jobId]);
    expect(d.status).toBe('FAILED');
    expect(d.statusReason).toBe('OutOfMemoryError: Container killed due to memory usage');
    expect(d.container!.reason).toBe('OutOfMemoryError: Container killed due to memory usage');
    expect(d.attempts![0].container!.exitCode).toBe(137);
    expect(d.attempts).toHaveLength(1);
  });

  test('missing image: CannotPullContainerError, STARTING → FAILED without RUNNING, no log stream', async () => {
    const h = await harness(model([jobDef('d')]), () => ({
      prepareFailure: { kind: 'image-not-found', message: 'pull access denied for nope' },
    }));
    const { jobId } = h.executor.submitJob({ jobName: 'one', jobQueue: 'q', jobDefinition: 'd' });
    await h.settle(2000);
    expect(h.statuses(jobId)).toEqual(['RUNNABLE', 'STARTING', 'FAILED']);
    const [d] = h.executor.describeJobs([jobId]);
    expect(d.statusReason).toBe('CannotPullContainerError: pull access denied for nope');
    expect(d.attempts![0]).toEqual({
      container: { reason: 'CannotPullContainerError: pull access denied for nope', networkInterfaces: [] },
      stoppedAt: expect.any(Number),
      statusReason: 'Task failed to start',
    });
    expect(d.startedAt).toBeUndefined();
  });

  test('missing secret fails the attempt with a clear reason and never starts a container', async () => {
    const def = jobDef('d');
    def.containerProperties!.secrets = [
      { name: 'TOKEN', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:tok' },
    ];
    const h = await harness(model([def]));
    const { jobId } = h.executor.submitJob({ jobName: 'one', jobQueue: 'q', jobDefinition: 'd' });
    await h.settle(2000);
    const [d] = h.executor.describeJobs([jobId]);
    expect(d.status).toBe('FAILED');
    expect(d.statusReason).toMatch(
      new RegExp(
        String.raw`^ResourceInitializationError: .*secret arn:aws:secretsmanage` +
          String.raw`r:us-east-1:123456789012:secret:tok for variable TOKEN was n` +
          String.raw`ot given to batchkit`,
      ),
    );
    expect(h.runtime.started).toHaveLength(0);
  });

  test('secrets given are passed as variables', async () => {
    const def = jobDef('d');
    def.containerProperties!.secrets = [{ name: 'TOKEN', valueFrom: 'tok' }];
    const h = await harness(model([def]), undefined, { secrets: { tok: 's3cr3t' } });
    h.executor.submitJob({ jobName: 'one', jobQueue: 'q', jobDefinition: 'd' });
    await h.settle(2000);
    expect(h.runtime.started[0].environment.TOKEN).toBe('s3cr3t');
    expect(JSON.stringify(h.events)).not.toContain('s3cr3t');
  });

  test('engine lost mid-run: the attempt fails with a reason and is retried', async () => {
    const h = await harness(model([jobDef('d', { retryStrategy: { attempts: 2 } })]), (spec) =>
      spec.attempt === 1 ? { engineLostAfterMs: 500 } : {},
    );
    const { jobId } = h.executor.submitJob({ jobName: 'one', jobQueue: 'q', jobDefinition: 'd' });
    await h.settle(5000);
    const [d] = h.executor.describeJobs([jobId]);
    expect(d.status).toBe('SUCCEEDED');
    expect(d.attempts![0].statusReason).toBe('Container engine unavailable: connect ENOENT /var/run/docker.sock');
  });
});
