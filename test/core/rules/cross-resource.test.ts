import { emptyBatchModel, type BatchModel } from '../../../lib/core/model/batch-model';
import type { ComputeResource, LoadedComputeEnvironment } from '../../../lib/core/model/compute-environment';
import type { ContainerProperties, LoadedJobDefinition } from '../../../lib/core/model/job-definition';
import type { LoadedJobQueue } from '../../../lib/core/model/job-queue';
import { UNRESOLVED_NUMBER, unresolvedString } from '../../../lib/core/model/unresolved';
import { CROSS_RESOURCE_RULES } from '../../../lib/core/rules/cross-resource';
import type { Finding } from '../../../lib/core/rules/finding';
import { validateModel } from '../../../lib/core/rules';
import { runRules } from '../../../lib/core/rules/rule';

function ec2(name: string, cr: Partial<ComputeResource> = {}): LoadedComputeEnvironment {
  return {
    computeEnvironmentName: name,
    type: 'MANAGED',
    computeResources: {
      type: 'EC2',
      maxvCpus: 256,
      instanceTypes: ['m5'],
      subnets: ['s'],
      securityGroupIds: ['sg-1'],
      instanceRole: 'r',
      ...cr,
    },
  };
}

function fargate(name: string, spot = false): LoadedComputeEnvironment {
  return {
    computeEnvironmentName: name,
    type: 'MANAGED',
    computeResources: {
      type: spot ? 'FARGATE_SPOT' : 'FARGATE',
      maxvCpus: 64,
      subnets: ['s'],
      securityGroupIds: ['sg-1'],
    },
  };
}

function queue(name: string, ces: string[]): LoadedJobQueue {
  return {
    jobQueueName: name,
    priority: 1,
    computeEnvironmentOrder: ces.map((ce, i) => ({
      order: i + 1,
      computeEnvironment: `arn:aws:batch:us-east-1:123456789012:compute-environment/${ce}`,
    })),
  };
}

function job(
  name: string,
  vcpus: string,
  memory: string,
  extra: Partial<LoadedJobDefinition> & { gpus?: string } = {},
): LoadedJobDefinition {
  const { gpus, ...rest } = extra;
  return {
    jobDefinitionName: name,
    type: 'container',
    containerProperties: {
      image: 'busybox',
      resourceRequirements: [
        { type: 'VCPU', value: vcpus },
        { type: 'MEMORY', value: memory },
        ...(gpus ? [{ type: 'GPU' as const, value: gpus }] : []),
      ],
    },
    ...rest,
  };
}

function mnp(
  name: string,
  container: ContainerProperties = { image: 'x', vcpus: 4, memory: 4096 },
): LoadedJobDefinition {
  return {
    jobDefinitionName: name,
    type: 'multinode',
    nodeProperties: { numNodes: 2, mainNode: 0, nodeRangeProperties: [{ targetNodes: '0:', container }] },
  };
}

function model(ces: LoadedComputeEnvironment[], queues: LoadedJobQueue[], jds: LoadedJobDefinition[] = []): BatchModel {
  const m = emptyBatchModel();
  m.computeEnvironments.push(...ces);
  m.jobQueues.push(...queues);
  m.jobDefinitions.push(...jds);
  return m;
}

function run(m: BatchModel): Finding[] {
  return runRules(CROSS_RESOURCE_RULES, m);
}

function only(findings: Finding[], code: string): Finding {
  const hits = findings.filter((f) => f.code === code);
  expect(hits).toHaveLength(1);
  return hits[0];
}

describe('cross-resource rules', () => {
  test('a coherent application gives no findings', () => {
    const m = model(
      [
        ec2('od'),
        ec2('spot', { type: 'SPOT', allocationStrategy: 'SPOT_CAPACITY_OPTIMIZED' }),
        fargate('fg'),
        fargate('fgs', true),
        ec2('gpu', { instanceTypes: ['g5'] }),
      ],
      [queue('cpu', ['od', 'spot']), queue('serverless', ['fg', 'fgs']), queue('gpu', ['gpu'])],
      [
        job('small', '2', '4096'),
        job('fg-job', '1', '2048', { platformCapabilities: ['FARGATE'] }),
        mnp('mpi'),
        job('train', '8', '16384', { gpus: '1' }),
      ],
    );
    // The GPU job runs on "gpu"; the CPU and Fargate queues are not its queues, so nothing is said about them.
    expect(run(m)).toEqual([]);
  });

  test('BATCH-X-001 no EC2 and Fargate mix in one queue', () => {
    const f = only(run(model([ec2('od'), fargate('fg')], [queue('mixed', ['od', 'fg'])])), 'BATCH-X-001');
    expect(f.resource).toMatchObject({ kind: 'JobQueue', name: 'mixed' });
    expect(f.message).toMatch(/mixes EC2 environments \("od"\) with Fargate environments \("fg"\)/);
    expect(
      run(model([ec2('od'), ec2('sp', { type: 'SPOT', spotIamFleetRole: 'r' })], [queue('ok', ['od', 'sp'])])),
    ).toEqual([]);
  });

  test('BATCH-X-001 no ECS and EKS mix in one queue', () => {
    const eks = { ...ec2('eks'), containerOrchestrationType: 'EKS' as const };
    expect(only(run(model([ec2('ecs'), eks], [queue('mixed', ['ecs', 'eks'])])), 'BATCH-X-001').message).toMatch(
      /mixes ECS and EKS/,
    );
  });

  test('BATCH-X-002 no x86/ARM mix in one queue', () => {
    const f = only(
      run(
        model(
          [ec2('x86', { instanceTypes: ['optimal'] }), ec2('arm', { instanceTypes: ['m7g'] })],
          [queue('mixed', ['x86', 'arm'])],
        ),
      ),
      'BATCH-X-002',
    );
    expect(f.message).toMatch(/arm64 \("arm"\) and x86_64 \("x86"\)/);
    expect(
      run(
        model([ec2('a', { instanceTypes: ['c7g'] }), ec2('b', { instanceTypes: ['m6g'] })], [queue('arm', ['a', 'b'])]),
      ),
    ).toEqual([]);
  });

  test('BATCH-X-003 a job no queue can place stays RUNNABLE forever, naming each queue and why', () => {
    const m = model(
      [ec2('small', { instanceTypes: ['m5.large'], maxvCpus: 16 }), fargate('fg')],
      [queue('ec2-q', ['small']), queue('fg-q', ['fg'])],
      [job('big', '64', '1024'), job('fits', '2', '1024')],
    );
    const f = only(run(m), 'BATCH-X-003');
    expect(f.resource.name).toBe('big');
    expect(f.message).toMatch(/this job would stay RUNNABLE forever/);
    expect(f.message).toMatch(
      new RegExp(
        String.raw`queue "ec2-q": compute environment "small" \(EC2\): the job ` +
          String.raw`needs 64 vCPUs but maxvCpus is 16\.`,
      ),
    );
    expect(f.message).toMatch(/m5\.large has 2/);
    expect(f.message).toMatch(
      new RegExp(
        String.raw`queue "fg-q": compute environment "fg" \(FARGATE\) runs FARG` +
          String.raw`ATE jobs but the job definition's platformCapabilities is EC` +
          String.raw`2\.`,
      ),
    );
    expect(f.fix).toMatch(/raise maxvCpus.*allow larger instance types/);
  });

  test('BATCH-X-003 FARGATE job with only EC2 queues', () => {
    const f = only(
      run(model([ec2('od')], [queue('q', ['od'])], [job('fg', '1', '2048', { platformCapabilities: ['FARGATE'] })])),
      'BATCH-X-003',
    );
    expect(f.message).toMatch(/runs EC2 jobs but the job definition's platformCapabilities is FARGATE/);
  });

  test('BATCH-X-003 is silent without queues, and notes unresolved requirements', () => {
    expect(run(model([ec2('od')], [], [job('big', '999', '1024')]))).toEqual([]);
    const jd: LoadedJobDefinition = {
      jobDefinitionName: 'u',
      type: 'container',
      containerProperties: { image: 'x', vcpus: 1, memory: UNRESOLVED_NUMBER },
    };
    const f = run(model([ec2('od', { instanceTypes: ['m5.large'] })], [queue('q', ['od'])], [jd]));
    expect(f.map((x) => [x.code, x.severity, x.field])).toEqual([
      ['BATCH-UNRESOLVED', 'info', 'containerProperties.resourceRequirements[MEMORY]'],
    ]);
    expect(f[0].message).toMatch(/rule BATCH-X-003 skipped/);
  });

  test(
    'BATCH-X-004 is silent when a GPU queue of the stack runs the GPU job, ' + 'however many CPU queues there are',
    () => {
      const cpuQueues = Array.from({ length: 12 }, (_, i) => queue(`cpu-q${i}`, ['cpu']));
      const m = model(
        [ec2('cpu'), ec2('gpu', { instanceTypes: ['g4dn'] })],
        [...cpuQueues, queue('gpu-q', ['gpu'])],
        [job('train', '4', '8192', { gpus: '1' })],
      );
      expect(run(m)).toEqual([]);
    },
  );

  test('BATCH-X-004 one warning per GPU job when no queue is known to have GPUs and BATCH-X-003 cannot decide', () => {
    const m = model(
      [ec2('cpu'), ec2('param', { instanceTypes: [unresolvedString('Ref GpuInstanceTypes')] })],
      [queue('cpu-q', ['cpu']), queue('cpu-q2', ['cpu']), queue('param-q', ['param'])],
      [job('train', '4', '8192', { gpus: '2' })],
    );
    const f = run(m);
    expect(f.map((x) => [x.code, x.severity, x.field])).toEqual([
      ['BATCH-X-004', 'warning', 'containerProperties.resourceRequirements[GPU]'],
    ]);
    expect(f[0].message).toMatch(
      new RegExp(
        String.raw`needs 2 GPU\(s\) but none of its queues \(the queues of its ` +
          String.raw`stack and those its template refers to: "cpu-q", "cpu-q2", "` +
          String.raw`param-q"\) is known to have a GPU instance type`,
      ),
    );
    expect(f[0].message).toMatch(
      new RegExp(
        String.raw`Not checkable: queue "param-q": compute environment "param" ` +
          String.raw`has instance types known only at deployment\.`,
      ),
    );
  });

  test('BATCH-X-004 leaves a GPU job no queue can place to BATCH-X-003 (no second finding)', () => {
    const none = run(model([ec2('cpu')], [queue('cpu-q', ['cpu'])], [job('train', '4', '8192', { gpus: '1' })]));
    expect(none.map((x) => x.code)).toEqual(['BATCH-X-003']);
    expect(none[0].message).toMatch(/none of its instance types has a GPU/);
  });

  test('BATCH-X-005 multi-node with only Fargate queues is an error', () => {
    const f = run(model([fargate('fg')], [queue('fg-q', ['fg'])], [mnp('mpi')]));
    expect(f.map((x) => x.code)).toEqual(['BATCH-X-005']);
    expect(f[0].severity).toBe('error');
    expect(f[0].message).toMatch(/multi-node parallel jobs cannot run on Fargate.*"fg-q"/);
  });

  test('BATCH-X-006 multi-node whose only homes are Spot is a warning', () => {
    const spot = ec2('spot', { type: 'SPOT', allocationStrategy: 'SPOT_CAPACITY_OPTIMIZED' });
    const f = only(
      run(model([spot, fargate('fg')], [queue('spot-q', ['spot']), queue('fg-q', ['fg'])], [mnp('mpi')])),
      'BATCH-X-006',
    );
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(/\("spot-q"\) use only SPOT environments/);
    expect(run(model([spot, ec2('od')], [queue('spot-q', ['spot']), queue('od-q', ['od'])], [mnp('mpi')]))).toEqual([]);
  });

  test('BATCH-X-007 environments running multi-node jobs have at most 5 security groups', () => {
    const sgs = ['sg-1', 'sg-2', 'sg-3', 'sg-4', 'sg-5', 'sg-6'];
    const f = only(
      run(model([ec2('od', { securityGroupIds: sgs })], [queue('q', ['od'])], [mnp('mpi')])),
      'BATCH-X-007',
    );
    expect(f.resource).toMatchObject({ kind: 'ComputeEnvironment', name: 'od' });
    expect(f.message).toMatch(/has 6 security groups.*allows 5/);
    expect(
      run(model([ec2('od', { securityGroupIds: sgs })], [queue('q', ['od'])], [job('single', '1', '1024')])),
    ).toEqual([]);
  });

  test('launch template rules run with the cross-resource rules, and validateModel runs them all', () => {
    const m = model([ec2('od', { launchTemplate: { launchTemplateName: 'lt', version: '1' } })], [queue('q', ['od'])]);
    m.launchTemplates.push({
      launchTemplateId: 'lt-1',
      launchTemplateName: 'lt',
      latestVersionNumber: 1,
      userData: Buffer.from('#!/bin/sh\necho hi\n').toString('base64'),
    });
    expect(run(m).map((f) => f.code)).toEqual(['BATCH-LT-004']);
    expect(
      validateModel(m)
        .filter((f) => f.severity === 'error')
        .map((f) => f.code),
    ).toEqual(['BATCH-LT-004']);
  });
});

/** The resource as loaded from `stack` (the source the assembly loader records). */
function inStack<T extends object>(
  stack: string,
  logicalId: string,
  r: T,
): T & { source: { stack: string; logicalId: string } } {
  return { ...r, source: { stack, logicalId } };
}

describe('cross-resource rules in a multi-stack assembly: a job definition meets only the queues of its stack', () => {
  /** Stack A: a GPU job and a GPU queue. Stack B: a CPU-only queue. */
  function twoStacks(gpuTypes: string[] = ['g5']): BatchModel {
    return model(
      [inStack('A', 'GpuCe', ec2('gpu', { instanceTypes: gpuTypes })), inStack('B', 'CpuCe', ec2('cpu'))],
      [inStack('A', 'GpuQueue', queue('gpu-q', ['gpu'])), inStack('B', 'CpuQueueABCD1234', queue('cpu-q', ['cpu']))],
      [inStack('A', 'Train', job('train', '8', '16384', { gpus: '1' }))],
    );
  }

  test("stack A's GPU job and stack B's CPU-only queue: no BATCH-X-004", () => {
    expect(run(twoStacks())).toEqual([]);
  });

  test('the same resources in one stack: still no BATCH-X-004, the GPU queue runs the job', () => {
    const m = twoStacks();
    const one = model(
      m.computeEnvironments.map((ce) => ({ ...ce, source: { stack: 'A' } })),
      m.jobQueues.map((q) => ({ ...q, source: { stack: 'A' } })),
      m.jobDefinitions,
    );
    expect(run(one)).toEqual([]);
  });

  test("a nested stack is part of its top-level stack: A/Nested's GPU job still meets A's queues", () => {
    // A's GPU environment has instance types known only at deployment: BATCH-X-004 lists the queues the job is
    // paired with.
    const m = twoStacks([unresolvedString('Ref GpuTypes')]);
    m.jobQueues.push(inStack('A', 'CpuQueue', queue('a-cpu-q', ['cpu-a'])));
    m.computeEnvironments.push(inStack('A', 'CpuCe', ec2('cpu-a')));
    m.jobDefinitions[0] = { ...m.jobDefinitions[0], source: { stack: 'A/NestedStack', logicalId: 'Train' } };
    expect(run(m).map((f) => [f.code, f.message.match(/refers to: ([^)]+)\)/)?.[1]])).toEqual([
      ['BATCH-X-004', '"gpu-q", "a-cpu-q"'],
    ]);
  });

  test("a queue of another stack that A's template refers to (its ARN in a job definition) is paired", () => {
    const m = twoStacks([unresolvedString('Ref GpuTypes')]);
    expect(only(run(m), 'BATCH-X-004').message).toMatch(/refers to: "gpu-q"\)/);
    const cpuArn = 'arn:aws:batch:us-east-1:123456789012:job-queue/cpu-q';
    m.jobQueues[1] = { ...m.jobQueues[1], jobQueueArn: cpuArn };
    m.jobDefinitions[0].containerProperties!.environment = [{ name: 'CHILD_QUEUE', value: cpuArn }];
    expect(only(run(m), 'BATCH-X-004').message).toMatch(/refers to: "gpu-q", "cpu-q"\)/);
  });

  test("a CDK cross-stack reference (Fn::ImportValue of the export of B's queue) pairs the queue too", () => {
    const m = twoStacks([unresolvedString('Ref GpuTypes')]);
    m.jobDefinitions[0].containerProperties!.environment = [
      { name: 'CHILD_QUEUE', value: unresolvedString('Fn::ImportValue B:ExportsOutputRefCpuQueueABCD12349F3C5D1E') },
    ];
    expect(only(run(m), 'BATCH-X-004').message).toMatch(/refers to: "gpu-q", "cpu-q"\)/);
    m.jobDefinitions[0].containerProperties!.environment = [
      { name: 'OTHER', value: unresolvedString('Fn::ImportValue B:ExportsOutputRefSomethingElse12345678') },
    ];
    expect(only(run(m), 'BATCH-X-004').message).toMatch(/refers to: "gpu-q"\)/);
  });

  test("a job definition's own name equal to another stack's queue name is not a reference", () => {
    const m = twoStacks();
    m.jobDefinitions[0] = { ...m.jobDefinitions[0], jobDefinitionName: 'cpu-q' };
    expect(run(m)).toEqual([]);
  });

  test(
    "BATCH-X-003 does not blame other stacks' queues: a stack without " + 'queues gets an info finding, not an error',
    () => {
      const m = model(
        [inStack('B', 'CpuCe', ec2('cpu'))],
        [inStack('B', 'CpuQueue', queue('cpu-q', ['cpu']))],
        [inStack('A', 'Train', job('train', '8', '16384', { gpus: '1' }))],
      );
      const f = run(m);
      expect(f.map((x) => [x.code, x.severity])).toEqual([['BATCH-X-003', 'info']]);
      expect(f[0].message).toMatch(
        new RegExp(
          String.raw`rule BATCH-X-003 skipped: stack "A" has no job queue and its` +
            String.raw` template refers to none; the queues of other stacks \("B"\)`,
        ),
      );
    },
  );

  test('BATCH-X-003 still fires within the stack: a job its own queues cannot place', () => {
    const m = model(
      [inStack('A', 'CpuCe', ec2('cpu')), inStack('B', 'GpuCe', ec2('gpu', { instanceTypes: ['g5'] }))],
      [inStack('A', 'CpuQueue', queue('cpu-q', ['cpu'])), inStack('B', 'GpuQueue', queue('gpu-q', ['gpu']))],
      [inStack('A', 'Train', job('train', '8', '16384', { gpus: '1' }))],
    );
    const f = only(run(m), 'BATCH-X-003');
    expect(f.message).toMatch(/queue "cpu-q": .*none of its instance types has a GPU/);
    expect(f.message).not.toMatch(/gpu-q/);
  });

  test("BATCH-X-005 and X-006 look at the multi-node job's own stack", () => {
    const spot = ec2('spot', { type: 'SPOT', allocationStrategy: 'SPOT_CAPACITY_OPTIMIZED' });
    const fargateOnly = model(
      [inStack('A', 'Fg', fargate('fg')), inStack('B', 'Od', ec2('od'))],
      [inStack('A', 'FgQueue', queue('fg-q', ['fg'])), inStack('B', 'OdQueue', queue('od-q', ['od']))],
      [inStack('A', 'Mpi', mnp('mpi'))],
    );
    expect(run(fargateOnly).map((x) => x.code)).toEqual(['BATCH-X-005']);
    const spotOnly = model(
      [inStack('A', 'Spot', spot), inStack('B', 'Od', ec2('od'))],
      [inStack('A', 'SpotQueue', queue('spot-q', ['spot'])), inStack('B', 'OdQueue', queue('od-q', ['od']))],
      [inStack('A', 'Mpi', mnp('mpi'))],
    );
    expect(only(run(spotOnly), 'BATCH-X-006').message).toMatch(/\("spot-q"\) use only SPOT environments/);
  });
});
