import { ce, harness, jobDef, model, queue } from './fixture';

describe('capacity and queues', () => {
  test('an environment of 2 vCPUs runs two 1-vCPU jobs at a time, FIFO', async () => {
    const h = await harness(model([jobDef('d')], {}, 2), () => ({ durationMs: 1000 }));
    const ids = Array.from(
      { length: 5 },
      (_, i) => h.executor.submitJob({ jobName: `j${i}`, jobQueue: 'q', jobDefinition: 'd' }).jobId,
    );
    await h.clock.advance(0);
    expect(h.executor.describeJobs(ids).map((d) => d.status)).toEqual([
      'RUNNING',
      'RUNNING',
      'RUNNABLE',
      'RUNNABLE',
      'RUNNABLE',
    ]);
    expect(h.executor.whyRunnable(ids[2])).toEqual([
      'compute environment ce1 is busy: 2/2 vCPUs, 1024/65536 MiB, 0/0 GPUs in use; it waits for capacity.',
    ]);
    await h.settle(5000);
    expect(h.runtime.maxConcurrent).toBe(2);
    expect(h.runtime.started.map((s) => s.jobId)).toEqual(ids);
  });

  test('memory limits too: 3 jobs of 600 MiB on 1024 MiB run one at a time', async () => {
    const h = await harness(model([jobDef('d', {}, '1', '600')]), () => ({ durationMs: 1000 }), { maxMemoryMiB: 1024 });
    for (let i = 0; i < 3; i++) h.executor.submitJob({ jobName: `j${i}`, jobQueue: 'q', jobDefinition: 'd' });
    await h.settle(5000);
    expect(h.runtime.maxConcurrent).toBe(1);
    expect(h.runtime.started).toHaveLength(3);
  });

  test('host cap: maxvCpus 256 is capped by --max-vcpus', async () => {
    const h = await harness(model([jobDef('d')], {}, 256), () => ({ durationMs: 1000 }), { maxVcpus: 3 });
    for (let i = 0; i < 6; i++) h.executor.submitJob({ jobName: `j${i}`, jobQueue: 'q', jobDefinition: 'd' });
    await h.settle(5000);
    expect(h.runtime.maxConcurrent).toBe(3);
  });

  test('a job larger than every environment stays RUNNABLE with a MISCONFIGURATION reason', async () => {
    const h = await harness(model([jobDef('big', {}, '8')], {}, 4));
    const { jobId } = h.executor.submitJob({ jobName: 'big', jobQueue: 'q', jobDefinition: 'big' });
    await h.settle(5000);
    const [d] = h.executor.describeJobs([jobId]);
    expect(d.status).toBe('RUNNABLE');
    expect(d.statusReason).toBe(
      'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE - compute ' +
        'environment "ce1" (EC2): the job needs 8 vCPUs but maxvCpus is 4.',
    );
    expect(h.executor.whyRunnable(jobId)).toEqual([
      'no compute environment of job queue q could ever run this job, on AWS either:',
      'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE - compute ' +
        'environment "ce1" (EC2): the job needs 8 vCPUs but maxvCpus is 4.',
    ]);
    expect(h.runtime.started).toHaveLength(0);
  });

  test('a job AWS could place but this host cannot stays RUNNABLE and says so', async () => {
    const h = await harness(model([jobDef('big', {}, '8')], {}, 256), undefined, { maxVcpus: 2 });
    const { jobId } = h.executor.submitJob({ jobName: 'big', jobQueue: 'q', jobDefinition: 'big' });
    await h.settle(5000);
    const [d] = h.executor.describeJobs([jobId]);
    expect(d.status).toBe('RUNNABLE');
    expect(d.statusReason).toBe(
      'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE - compute ' +
        'environment ce1 can never run it: needs 8 vCPUs, the environment holds ' +
        "at most 2 vCPUs (maxvCpus 256 capped by this host's 2).",
    );
    expect(h.executor.whyRunnable(jobId)[0]).toBe(
      'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE: no compute ' +
        'environment of job queue q can ever run this job.',
    );
    expect(h.runtime.started).toHaveLength(0);
  });

  test('GPU jobs need GPUs on this host', async () => {
    const def = jobDef('gpu');
    def.containerProperties!.resourceRequirements!.push({ type: 'GPU', value: '1' });
    const h = await harness(model([def]));
    const { jobId } = h.executor.submitJob({ jobName: 'g', jobQueue: 'q', jobDefinition: 'gpu' });
    await h.settle(2000);
    expect(h.executor.describeJobs([jobId])[0].status).toBe('RUNNABLE');
    expect(h.executor.whyRunnable(jobId)).toContain(
      'compute environment ce1 can never run it: needs 1 GPUs, the environment has 0.',
    );
    const h2 = await harness(model([def]), undefined, { maxGpus: 1 });
    const j2 = h2.executor.submitJob({ jobName: 'g', jobQueue: 'q', jobDefinition: 'gpu' }).jobId;
    await h2.settle(2000);
    expect(h2.executor.describeJobs([j2])[0].status).toBe('SUCCEEDED');
    expect(h2.runtime.started[0].gpus).toBe(1);
  });

  test('queue priority: the higher-priority queue gets the shared environment first', async () => {
    const m = model([jobDef('d')], {
      jobQueues: [queue('low', 1, ['ce1']), queue('high', 10, ['ce1'])],
      computeEnvironments: [ce('ce1', 1)],
    });
    const h = await harness(m, () => ({ durationMs: 1000 }));
    const low = [0, 1].map(
      (i) => h.executor.submitJob({ jobName: `l${i}`, jobQueue: 'low', jobDefinition: 'd' }).jobId,
    );
    const high = [0, 1].map(
      (i) => h.executor.submitJob({ jobName: `h${i}`, jobQueue: 'high', jobDefinition: 'd' }).jobId,
    );
    await h.settle(10_000);
    expect(h.runtime.started.map((s) => s.jobId)).toEqual([...high, ...low]);
  });

  test('environments tried in order: overflow goes to the second one; DISABLED ones take nothing', async () => {
    const m = model([jobDef('d')], {
      jobQueues: [queue('q', 1, ['first', 'off', 'second'])],
      computeEnvironments: [ce('first', 1), ce('off', 8, { state: 'DISABLED' }), ce('second', 1)],
    });
    const h = await harness(m, () => ({ durationMs: 1000 }));
    for (let i = 0; i < 3; i++) h.executor.submitJob({ jobName: `j${i}`, jobQueue: 'q', jobDefinition: 'd' });
    await h.settle(5000);
    expect(h.runtime.started.map((s) => s.environment.AWS_BATCH_CE_NAME)).toEqual(['first', 'second', 'first']);
  });

  test('a DISABLED queue rejects submissions', async () => {
    const m = model([jobDef('d')], { jobQueues: [queue('q', 1, ['ce1'], { state: 'DISABLED' })] });
    const h = await harness(m);
    expect(() => h.executor.submitJob({ jobName: 'j', jobQueue: 'q', jobDefinition: 'd' })).toThrow(
      /job queue "q" is DISABLED and takes no new jobs/,
    );
  });

  test('unknown queue and definition are not-found errors that list what exists', async () => {
    const h = await harness(model([jobDef('d')]));
    expect(() => h.executor.submitJob({ jobName: 'j', jobQueue: 'nope', jobDefinition: 'd' })).toThrow(
      /job queue "nope" does not exist. Fix: use one of: q./,
    );
    expect(() => h.executor.submitJob({ jobName: 'j', jobQueue: 'q', jobDefinition: 'nope:3' })).toThrow(
      /job definition "nope:3" does not exist .* Fix: use one of: d./,
    );
  });

  test('fair share: the share with the lower weight factor gets more of the capacity', async () => {
    const policyArn = 'arn:aws:batch:us-east-1:123456789012:scheduling-policy/fs';
    const m = model([jobDef('d')], {
      jobQueues: [queue('q', 1, ['ce1'], { schedulingPolicyArn: policyArn })],
      computeEnvironments: [ce('ce1', 4)],
      schedulingPolicies: [
        {
          name: 'fs',
          arn: policyArn,
          fairsharePolicy: {
            shareDistribution: [
              { shareIdentifier: 'gold', weightFactor: 0.5 },
              { shareIdentifier: 'lead*', weightFactor: 2 },
            ],
          },
        },
      ],
    });
    const h = await harness(m, () => ({ durationMs: 10_000 }));
    for (let i = 0; i < 4; i++)
      h.executor.submitJob({ jobName: `l${i}`, jobQueue: 'q', jobDefinition: 'd', shareIdentifier: 'leadA' });
    for (let i = 0; i < 4; i++)
      h.executor.submitJob({ jobName: `g${i}`, jobQueue: 'q', jobDefinition: 'd', shareIdentifier: 'gold' });
    await h.clock.advance(0);
    const first = h.runtime.started.map((s) => s.jobId).map((id) => h.executor.describeJobs([id])[0].shareIdentifier);
    expect(first.filter((s) => s === 'gold')).toHaveLength(3);
    expect(first.filter((s) => s === 'leadA')).toHaveLength(1);
  });
});
