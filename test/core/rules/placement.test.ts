import { emptyBatchModel, type BatchModel } from '../../../lib/core/model/batch-model';
import type { ComputeEnvironment, ComputeResource } from '../../../lib/core/model/compute-environment';
import type { ContainerProperties, JobDefinition } from '../../../lib/core/model/job-definition';
import type { JobQueue } from '../../../lib/core/model/job-queue';
import { UNRESOLVED_NUMBER, unresolvedString } from '../../../lib/core/model/unresolved';
import {
  computeEnvironmentOf,
  effectiveDefinition,
  nodeCount,
  placementProblems,
  type PlacementOverrides,
  type PlacementProblemKind,
} from '../../../lib/core/rules/placement';

function ec2(name: string, cr: Partial<ComputeResource> = {}): ComputeEnvironment {
  return {
    computeEnvironmentName: name,
    type: 'MANAGED',
    computeResources: {
      type: 'EC2',
      maxvCpus: 256,
      instanceTypes: ['m5'],
      subnets: ['subnet-1'],
      instanceRole: 'ecsInstanceRole',
      ...cr,
    },
  };
}

function fargate(name: string, maxvCpus = 64): ComputeEnvironment {
  return {
    computeEnvironmentName: name,
    type: 'MANAGED',
    computeResources: { type: 'FARGATE', maxvCpus, subnets: ['subnet-1'] },
  };
}

function job(
  resources: { vcpus?: string; memory?: string; gpus?: string },
  extra: Partial<JobDefinition> = {},
): JobDefinition {
  const reqs = [
    ...(resources.vcpus ? [{ type: 'VCPU' as const, value: resources.vcpus }] : []),
    ...(resources.memory ? [{ type: 'MEMORY' as const, value: resources.memory }] : []),
    ...(resources.gpus ? [{ type: 'GPU' as const, value: resources.gpus }] : []),
  ];
  return {
    jobDefinitionName: 'j',
    type: 'container',
    containerProperties: { image: 'busybox', resourceRequirements: reqs },
    ...extra,
  };
}

function mnp(numNodes: number, container: ContainerProperties, instanceTypes?: string[]): JobDefinition {
  return {
    jobDefinitionName: 'mnp',
    type: 'multinode',
    nodeProperties: { numNodes, mainNode: 0, nodeRangeProperties: [{ targetNodes: '0:', container, instanceTypes }] },
  };
}

function setup(ces: ComputeEnvironment[]): { model: BatchModel; queue: JobQueue } {
  const model = emptyBatchModel();
  model.computeEnvironments.push(...ces);
  const queue: JobQueue = {
    jobQueueName: 'q',
    priority: 1,
    computeEnvironmentOrder: ces.map((ce, i) => ({
      order: i + 1,
      computeEnvironment: `arn:aws:batch:us-east-1:123456789012:compute-environment/${ce.computeEnvironmentName}`,
    })),
  };
  model.jobQueues.push(queue);
  return { model, queue };
}

type Scenario = [string, ComputeEnvironment[], JobDefinition, PlacementProblemKind[], RegExp?, PlacementOverrides?];

const scenarios: Scenario[] = [
  ['a small job on m5 fits', [ec2('ce')], job({ vcpus: '2', memory: '4096' }), []],
  ['m5.24xlarge holds 96 vCPUs', [ec2('ce')], job({ vcpus: '96', memory: '4096' }), []],
  [
    'more vCPUs than m5.24xlarge',
    [ec2('ce')],
    job({ vcpus: '128', memory: '4096' }),
    ['vcpus'],
    /needs 128 vCPUs.*m5\.24xlarge has 96/,
  ],
  [
    'more vCPUs than maxvCpus',
    [ec2('ce', { maxvCpus: 16 })],
    job({ vcpus: '32', memory: '4096' }),
    ['max-vcpus'],
    /needs 32 vCPUs but maxvCpus is 16/,
  ],
  [
    'the nominal memory of m5.large does not fit',
    [ec2('ce', { instanceTypes: ['m5.large'] })],
    job({ vcpus: '1', memory: '8192' }),
    ['memory'],
    /8192 MiB.*at most 7955 MiB.*m5\.large \(8192 MiB installed/,
  ],
  [
    'just under the schedulable memory fits',
    [ec2('ce', { instanceTypes: ['m5.large'] })],
    job({ vcpus: '1', memory: '7955' }),
    [],
  ],
  ['c5 excludes c5.metal: 97 vCPUs never fit', [ec2('ce', { instanceTypes: ['c5'] })], job({ vcpus: '97' }), ['vcpus']],
  [
    'GPU job on a CPU-only environment',
    [ec2('ce')],
    job({ vcpus: '1', memory: '1024', gpus: '1' }),
    ['no-gpu'],
    /1 GPU\(s\) but none of its instance types has a GPU/,
  ],
  [
    'GPU job on g4dn fits',
    [ec2('ce', { instanceTypes: ['g4dn'] })],
    job({ vcpus: '4', memory: '8192', gpus: '4' }),
    [],
  ],
  [
    'more GPUs than g4dn (without metal) has',
    [ec2('ce', { instanceTypes: ['g4dn'] })],
    job({ vcpus: '4', gpus: '8' }),
    ['gpus'],
    /8 GPUs.*most.*is 4 \(g4dn\.12xlarge\)/,
  ],
  [
    'c5.24xlarge holds 96 vCPUs and 12000 MiB',
    [ec2('ce', { instanceTypes: ['c5.24xlarge', 'r5.large'] })],
    job({ vcpus: '96', memory: '12000' }),
    [],
    undefined,
  ],
  [
    '64 vCPUs exceed the largest of c5.2xlarge and r5.12xlarge',
    [ec2('ce', { instanceTypes: ['c5.2xlarge', 'r5.12xlarge'] })],
    job({ vcpus: '64', memory: '300000' }),
    ['vcpus'],
  ],
  [
    'combination only',
    [ec2('ce', { instanceTypes: ['c5.24xlarge', 'r5.12xlarge'] })],
    job({ vcpus: '96', memory: '300000' }),
    ['combination'],
    /no single instance type has 96 vCPUs, 300000 MiB/,
  ],
  [
    'FARGATE job on an EC2 queue',
    [ec2('ce')],
    job({ vcpus: '1', memory: '2048' }, { platformCapabilities: ['FARGATE'] }),
    ['platform'],
    /runs EC2 jobs.*FARGATE/,
  ],
  [
    'EC2 job on a Fargate queue',
    [fargate('fg')],
    job({ vcpus: '1', memory: '2048' }),
    ['platform'],
    /runs FARGATE jobs.*EC2/,
  ],
  [
    'FARGATE job on Fargate fits',
    [fargate('fg')],
    job({ vcpus: '1', memory: '2048' }, { platformCapabilities: ['FARGATE'] }),
    [],
  ],
  [
    'Fargate task above 16 vCPUs',
    [fargate('fg')],
    job({ vcpus: '32', memory: '65536' }, { platformCapabilities: ['FARGATE'] }),
    ['vcpus'],
    /at most 16/,
  ],
  [
    'Fargate has no GPUs',
    [fargate('fg')],
    job({ vcpus: '1', memory: '2048', gpus: '1' }, { platformCapabilities: ['FARGATE'] }),
    ['no-gpu'],
    /Fargate has no GPUs/,
  ],
  [
    'one of two environments fits: no problem',
    [ec2('small', { instanceTypes: ['m5.large'] }), ec2('big', { instanceTypes: ['r5'] })],
    job({ vcpus: '2', memory: '65536' }),
    [],
  ],
  [
    'both environments too small: both named',
    [ec2('a', { instanceTypes: ['m5.large'] }), ec2('b', { instanceTypes: ['c5.xlarge'] })],
    job({ vcpus: '8' }),
    ['vcpus', 'vcpus'],
    /"a"/,
  ],
  [
    'unknown instance type: benefit of the doubt',
    [ec2('ce', { maxvCpus: 1024, instanceTypes: ['zz9.large'] })],
    job({ vcpus: '512' }),
    [],
  ],
  [
    'unresolved memory is skipped',
    [ec2('ce', { instanceTypes: ['m5.large'] })],
    { ...job({ vcpus: '1' }), containerProperties: { image: 'x', vcpus: 1, memory: UNRESOLVED_NUMBER } },
    [],
  ],
  [
    'unresolved maxvCpus is skipped',
    [ec2('ce', { maxvCpus: UNRESOLVED_NUMBER, instanceTypes: ['m5'] })],
    job({ vcpus: '8' }),
    [],
  ],
  [
    'unmanaged environment: capacity unknown',
    [{ computeEnvironmentName: 'u', type: 'UNMANAGED' }],
    job({ vcpus: '512', memory: '9999999' }),
    [],
  ],
  [
    'deprecated top-level vcpus/memory are read',
    [ec2('ce', { instanceTypes: ['m5.large'] })],
    { ...job({}), containerProperties: { image: 'x', vcpus: 4, memory: 1024 } },
    ['vcpus'],
  ],
  [
    'override raises vCPUs past the largest type',
    [ec2('ce', { instanceTypes: ['m5.large'] })],
    job({ vcpus: '1', memory: '1024' }),
    ['vcpus'],
    /needs 4 vCPUs/,
    { containerOverrides: { resourceRequirements: [{ type: 'VCPU', value: '4' }] } },
  ],
  [
    'override lowers memory so it fits',
    [ec2('ce', { instanceTypes: ['m5.large'] })],
    job({ vcpus: '1', memory: '9000' }),
    [],
    undefined,
    { containerOverrides: { memory: 2048 } },
  ],
  [
    'multi-node: all nodes count against maxvCpus',
    [ec2('ce', { maxvCpus: 32 })],
    mnp(5, { image: 'x', vcpus: 8, memory: 1024 }),
    ['max-vcpus'],
    /40 vCPUs across all its nodes but maxvCpus is 32/,
  ],
  [
    'multi-node: numNodes override',
    [ec2('ce', { maxvCpus: 32 })],
    mnp(5, { image: 'x', vcpus: 8, memory: 1024 }),
    [],
    undefined,
    { nodeOverrides: { numNodes: 4 } },
  ],
  ['multi-node on Fargate', [fargate('fg')], mnp(2, { image: 'x', vcpus: 1, memory: 1024 }), ['platform']],
  [
    'multi-node with a Fargate definition on Fargate',
    [fargate('fg')],
    { ...mnp(2, { image: 'x', vcpus: 1, memory: 1024 }), platformCapabilities: ['FARGATE'] },
    ['multinode-fargate'],
  ],
  [
    'multi-node node pinned to a type the environment lacks',
    [ec2('ce', { instanceTypes: ['m5'] })],
    mnp(2, { image: 'x', vcpus: 1, memory: 1024, instanceType: 'c5.xlarge' }),
    ['instance-type'],
    /requires instance type c5\.xlarge/,
  ],
  [
    'multi-node node pinned to a type that is too small',
    [ec2('ce', { instanceTypes: ['m5'] })],
    mnp(2, { image: 'x', vcpus: 8, memory: 1024 }, ['m5.large']),
    ['vcpus'],
    /m5\.large has 2/,
  ],
];

describe('placementProblems', () => {
  // A rest parameter keeps jest from taking a missing trailing column for a `done` callback.
  test.each(scenarios)('%s', (...row: Scenario) => {
    const [, ces, jd, kinds, message, overrides] = row;
    const { model, queue } = setup(ces);
    const problems = placementProblems(jd, queue, model, overrides);
    expect(problems.map((p) => p.kind)).toEqual(kinds);
    if (message) expect(problems.map((p) => p.reason).join('\n')).toMatch(message);
    for (const p of problems) expect(p.computeEnvironment).toBeDefined();
  });

  test('a queue without environments', () => {
    const { model } = setup([]);
    const problems = placementProblems(
      job({ vcpus: '1' }),
      { jobQueueName: 'empty', priority: 1, computeEnvironmentOrder: [] },
      model,
    );
    expect(problems).toEqual([
      { kind: 'no-compute-environments', reason: 'job queue "empty" has no compute environment.' },
    ]);
  });

  test('an environment outside the model gives the job the benefit of the doubt', () => {
    const { model } = setup([ec2('small', { instanceTypes: ['m5.large'] })]);
    const queue: JobQueue = {
      jobQueueName: 'q2',
      priority: 1,
      computeEnvironmentOrder: [
        { order: 1, computeEnvironment: 'small' },
        { order: 2, computeEnvironment: 'arn:aws:batch:us-east-1:999999999999:compute-environment/elsewhere' },
      ],
    };
    expect(placementProblems(job({ vcpus: '64' }), queue, model)).toEqual([]);
    const unresolved: JobQueue = {
      ...queue,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: unresolvedString('Fn::ImportValue Ce') }],
    };
    expect(placementProblems(job({ vcpus: '64' }), unresolved, model)).toEqual([]);
  });
});

describe('helpers', () => {
  test('computeEnvironmentOf matches ARN, name and ARN of another account by name', () => {
    const { model } = setup([ec2('ce-1')]);
    expect(computeEnvironmentOf(model, 'ce-1')?.computeEnvironmentName).toBe('ce-1');
    expect(
      computeEnvironmentOf(model, 'arn:aws:batch:us-east-1:123456789012:compute-environment/ce-1')
        ?.computeEnvironmentName,
    ).toBe('ce-1');
    expect(computeEnvironmentOf(model, 'arn:aws:batch:us-east-1:123456789012:job-queue/ce-1')).toBeUndefined();
    expect(computeEnvironmentOf(model, 'nope')).toBeUndefined();
  });

  test("computeEnvironmentOf prefers the queue's own stack over a namesake of another stack", () => {
    const m = emptyBatchModel();
    m.computeEnvironments.push(
      { ...ec2('ce', { instanceTypes: ['g5'] }), source: { stack: 'A', logicalId: 'Ce' } },
      { ...ec2('ce', { instanceTypes: ['m5'] }), source: { stack: 'B', logicalId: 'Ce' } },
    );
    const types = (from?: { stack: string }) => computeEnvironmentOf(m, 'ce', from)?.computeResources?.instanceTypes;
    expect(types({ stack: 'B' })).toEqual(['m5']);
    expect(types({ stack: 'A' })).toEqual(['g5']);
    expect(types()).toEqual(['g5']);
    // A stack without one of its own still finds the other stack's (a reference by name is a real reference).
    expect(types({ stack: 'C' })).toEqual(['g5']);
    const gpuJob = job({ vcpus: '4', memory: '8192', gpus: '1' });
    const bQueue = {
      jobQueueName: 'q',
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'ce' }],
      source: { stack: 'B' },
    };
    expect(placementProblems(gpuJob, bQueue, m).map((p) => p.kind)).toEqual(['no-gpu']);
    expect(placementProblems(gpuJob, { ...bQueue, source: { stack: 'A' } }, m)).toEqual([]);
  });

  test('nodeCount', () => {
    expect(nodeCount('0:3', 8)).toBe(4);
    expect(nodeCount(':3', 8)).toBe(4);
    expect(nodeCount('4:', 8)).toBe(4);
    expect(nodeCount('2', 8)).toBe(1);
  });

  test('effectiveDefinition replaces requirements by type and leaves the definition untouched', () => {
    const jd = job({ vcpus: '1', memory: '512' });
    const eff = effectiveDefinition(jd, {
      containerOverrides: { resourceRequirements: [{ type: 'MEMORY', value: '2048' }] },
    });
    expect(eff.containerProperties?.resourceRequirements).toEqual([
      { type: 'VCPU', value: '1' },
      { type: 'MEMORY', value: '2048' },
    ]);
    expect(jd.containerProperties?.resourceRequirements).toEqual([
      { type: 'VCPU', value: '1' },
      { type: 'MEMORY', value: '512' },
    ]);
  });
});
