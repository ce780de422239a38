import type { LoadedJobDefinition } from '../../../lib/core/model/job-definition';
import { rangeIndexes } from '../../../lib/local/scheduler/multi-node-layout';
import { harness, model } from './fixture';

function mnp(extra: Partial<LoadedJobDefinition> = {}): LoadedJobDefinition {
  const container = {
    image: 'local/busybox:test',
    command: ['sh', '-c', 'echo node'],
    resourceRequirements: [
      { type: 'VCPU' as const, value: '1' },
      { type: 'MEMORY' as const, value: '256' },
    ],
  };
  return {
    jobDefinitionName: 'mpi',
    type: 'multinode',
    revision: 1,
    nodeProperties: {
      numNodes: 3,
      mainNode: 0,
      nodeRangeProperties: [
        { targetNodes: '0:1', container },
        { targetNodes: '2:', container: { ...container, command: ['sh', '-c', 'echo last'] } },
      ],
    },
    ...extra,
  };
}

describe('multi-node parallel jobs', () => {
  test.each([
    ['0:', 4, [0, 1, 2, 3]],
    [':1', 4, [0, 1]],
    ['2', 4, [2]],
    ['1:2', 4, [1, 2]],
    ['3:9', 4, [3]],
  ])('range %s of %d nodes covers %j', (range, n, expected) => {
    expect(rangeIndexes(range, n)).toEqual(expected);
  });

  test('main node first, others after it runs; env vars; the job ends with the main node', async () => {
    const h = await harness(model([mnp()]), (spec) => ({ durationMs: spec.jobId.endsWith('#0') ? 5000 : 100_000 }));
    const { jobId } = h.executor.submitJob({ jobName: 'mpi', jobQueue: 'q', jobDefinition: 'mpi' });
    await h.settle(20_000);
    expect(h.runtime.started.map((s) => s.jobId)).toEqual([`${jobId}#0`, `${jobId}#1`, `${jobId}#2`]);
    const [main, child, last] = h.runtime.started;
    expect(main.environment).toMatchObject({
      AWS_BATCH_JOB_NODE_INDEX: '0',
      AWS_BATCH_JOB_NUM_NODES: '3',
      AWS_BATCH_JOB_MAIN_NODE_INDEX: '0',
    });
    expect(main.environment.AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS).toBeUndefined();
    expect(child.environment).toMatchObject({
      AWS_BATCH_JOB_NODE_INDEX: '1',
      AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS: '127.0.0.1',
    });
    expect(last.command).toEqual(['sh', '-c', 'echo last']);
    expect(main.network).toBe('host');
    expect(h.statuses(jobId)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
    const [d] = h.executor.describeJobs([jobId]);
    expect(d.stoppedAt! - d.startedAt!).toBe(5000);
    expect(h.runtime.containers[1].signals).toEqual(['SIGTERM']);
    expect(h.executor.describeJobs([`${jobId}#1`])[0]).toMatchObject({
      status: 'SUCCEEDED',
      statusReason: 'Main node exited',
      nodeDetails: { nodeIndex: 1, isMainNode: false },
    });
    expect(
      h.executor
        .listJobs({ multiNodeJobId: jobId, jobStatus: 'SUCCEEDED' })
        .map((s) => s.jobId)
        .sort(),
    ).toEqual([`${jobId}#0`, `${jobId}#1`, `${jobId}#2`]);
  });

  test('capacity: all nodes are placed together', async () => {
    const h = await harness(model([mnp()], {}, 2));
    const { jobId } = h.executor.submitJob({ jobName: 'mpi', jobQueue: 'q', jobDefinition: 'mpi' });
    await h.settle(3000);
    expect(h.executor.describeJobs([jobId])[0].status).toBe('RUNNABLE');
    expect(h.executor.whyRunnable(jobId)[1]).toBe(
      'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE - compute ' +
        'environment "ce1" (EC2): the job needs 3 vCPUs across all its nodes but maxvCpus is 2.',
    );
  });

  test('a failing child node takes no action; a failing main node retries the whole job', async () => {
    const h = await harness(model([mnp({ retryStrategy: { attempts: 2 } })]), (spec) => {
      if (spec.jobId.endsWith('#1')) return { exitCode: 1, durationMs: 1000 };
      if (spec.jobId.endsWith('#0')) return { exitCode: spec.attempt === 1 ? 2 : 0, durationMs: 5000 };
      return { durationMs: 100_000 };
    });
    const { jobId } = h.executor.submitJob({ jobName: 'mpi', jobQueue: 'q', jobDefinition: 'mpi' });
    await h.settle(30_000);
    expect(h.statuses(jobId)).toEqual([
      'RUNNABLE',
      'STARTING',
      'RUNNING',
      'RUNNABLE',
      'STARTING',
      'RUNNING',
      'SUCCEEDED',
    ]);
    const [d, node1] = h.executor.describeJobs([jobId, `${jobId}#1`]);
    expect(d.attempts).toHaveLength(2);
    expect(d.attempts![0].container!.exitCode).toBe(2);
    expect(node1.status).toBe('FAILED');
    expect(node1.attempts).toHaveLength(2);
    expect(
      h.runtime.started.filter((s) => s.jobId.endsWith('#0')).map((s) => s.environment.AWS_BATCH_JOB_ATTEMPT),
    ).toEqual(['1', '2']);
  });

  test('numNodes override and a missing range are checked at submission', async () => {
    const h = await harness(model([mnp()], {}, 8));
    const { jobId } = h.executor.submitJob({
      jobName: 'mpi',
      jobQueue: 'q',
      jobDefinition: 'mpi',
      nodeOverrides: { numNodes: 5 },
    });
    await h.settle(5000);
    expect(h.runtime.started.map((s) => s.environment.AWS_BATCH_JOB_NUM_NODES)).toEqual(['5', '5', '5', '5', '5']);
    expect(h.executor.describeJobs([jobId])[0].nodeProperties!.numNodes).toBe(5);
    const gap = mnp();
    gap.jobDefinitionName = 'gap';
    gap.nodeProperties!.nodeRangeProperties = [
      { targetNodes: '0:1', container: gap.nodeProperties!.nodeRangeProperties[0].container },
    ];
    const h2 = await harness(model([gap]));
    expect(() => h2.executor.submitJob({ jobName: 'g', jobQueue: 'q', jobDefinition: 'gap' })).toThrow(
      /node 2 of 3 is not covered by any nodeRangeProperties entry/,
    );
  });
});
