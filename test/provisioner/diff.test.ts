/** Which changes Batch makes in place and which force a replacement, and why. */
import type { ComputeResource } from '../../lib/core/model/compute-environment';
import type { ComputeEnvironmentSpec, JobQueueSpec } from '../../lib/provisioner/clients/batch-map';
import {
  diffComputeEnvironment,
  diffJobDefinition,
  diffJobQueue,
  normalizeJobDefinition,
} from '../../lib/provisioner/plan/diff';

const SLR = 'arn:aws:iam::123456789012:role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch';

function ec2Env(over: Partial<ComputeEnvironmentSpec> = {}, cr: Partial<ComputeResource> = {}): ComputeEnvironmentSpec {
  return {
    computeEnvironmentName: 'ce',
    type: 'MANAGED',
    state: 'ENABLED',
    computeResources: {
      type: 'EC2',
      allocationStrategy: 'BEST_FIT_PROGRESSIVE',
      minvCpus: 0,
      maxvCpus: 16,
      instanceTypes: ['m6i'],
      subnets: ['subnet-a', 'subnet-b'],
      securityGroupIds: ['sg-1'],
      instanceRole: 'ref(InstanceProfile:p)',
      ...cr,
    },
    ...over,
  };
}

describe('compute environments', () => {
  test.each([
    ['maxvCpus is a scaling update', ec2Env({}, { maxvCpus: 32 }), [['computeResources.maxvCpus', undefined]]],
    ['state is updated in place', ec2Env({ state: 'DISABLED' }), [['state', undefined]]],
    [
      'instanceTypes is an infrastructure update with BEST_FIT_PROGRESSIVE',
      ec2Env({}, { instanceTypes: ['c6i'] }),
      [['computeResources.instanceTypes', undefined]],
    ],
    ['subnet order does not matter', ec2Env({}, { subnets: ['subnet-b', 'subnet-a'] }), []],
    ['EC2 → SPOT is an infrastructure update', ec2Env({}, { type: 'SPOT' }), [['computeResources.type', undefined]]],
    [
      'MANAGED → UNMANAGED forces a replacement',
      ec2Env({ type: 'UNMANAGED' }),
      [['type', /type \(MANAGED\/UNMANAGED\) of a compute environment cannot be updated/]],
    ],
    [
      'EC2 → FARGATE forces a replacement',
      ec2Env({}, { type: 'FARGATE' }),
      [['computeResources.type', /between Fargate .* and EC2/]],
    ],
    [
      'spotIamFleetRole forces a replacement',
      ec2Env({}, { spotIamFleetRole: 'arn:aws:iam::1:role/fleet' }),
      [['computeResources.spotIamFleetRole', /not updatable/]],
    ],
  ])('%s', (_title, desired, expected) => {
    const changes = diffComputeEnvironment(desired, ec2Env());
    expect(changes.map((c) => c.field)).toEqual(expected.map((e) => e[0]));
    changes.forEach((c, i) => {
      const want = expected[i][1] as RegExp | undefined;
      if (want) expect(c.replacement).toMatch(want);
      else expect(c.replacement).toBeUndefined();
    });
  });

  test('an infrastructure update of a BEST_FIT environment needs a replacement and says why', () => {
    const existing = ec2Env({}, { allocationStrategy: undefined });
    const changes = diffComputeEnvironment(
      ec2Env({}, { allocationStrategy: undefined, instanceTypes: ['c6i'] }),
      existing,
    );
    expect(changes).toEqual([
      {
        field: 'computeResources.instanceTypes',
        from: ['m6i'],
        to: ['c6i'],
        replacement:
          'computeResources.instanceTypes needs an infrastructure update and the ' +
          'existing environment uses allocation strategy BEST_FIT, which does not ' +
          'support infrastructure updates (only BEST_FIT_PROGRESSIVE, ' +
          'SPOT_CAPACITY_OPTIMIZED, SPOT_PRICE_CAPACITY_OPTIMIZED do)',
      },
    ]);
  });

  test(
    'an infrastructure update with a custom service role needs a ' +
      'replacement; with the service-linked role it does not',
    () => {
      const custom = ec2Env({ serviceRole: 'arn:aws:iam::1:role/custom' });
      expect(
        diffComputeEnvironment(
          {
            ...custom,
            computeResources: {
              ...custom.computeResources,
              type: 'EC2',
              maxvCpus: 16,
              subnets: [],
              instanceTypes: ['c6i'],
            },
          },
          custom,
        )[0].replacement,
      ).toMatch(/service role arn:aws:iam::1:role\/custom/);
      const slr = ec2Env({ serviceRole: SLR });
      expect(
        diffComputeEnvironment(
          {
            ...slr,
            computeResources: {
              ...slr.computeResources,
              type: 'EC2',
              maxvCpus: 16,
              subnets: [],
              instanceTypes: ['c6i'],
            },
          },
          slr,
        )[0].replacement,
      ).toBeUndefined();
    },
  );

  test('on Fargate, subnets and security groups are scaling updates', () => {
    const resources: ComputeResource = {
      type: 'FARGATE',
      maxvCpus: 8,
      subnets: ['subnet-a'],
      securityGroupIds: ['sg-1'],
    };
    const fargate: ComputeEnvironmentSpec = {
      computeEnvironmentName: 'f',
      type: 'MANAGED',
      computeResources: resources,
    };
    const changes = diffComputeEnvironment(
      { ...fargate, computeResources: { ...resources, subnets: ['subnet-c'], securityGroupIds: ['sg-2'] } },
      fargate,
    );
    expect(changes.map((c) => [c.field, c.replacement])).toEqual([
      ['computeResources.subnets', undefined],
      ['computeResources.securityGroupIds', undefined],
    ]);
  });

  test('a changed EKS cluster or namespace forces a replacement; the same configuration is no change', () => {
    const eks = (eksClusterArn: string, kubernetesNamespace: string) =>
      ec2Env({ eksConfiguration: { eksClusterArn, kubernetesNamespace } });
    const cluster = 'arn:aws:eks:us-east-1:123456789012:cluster/a';
    const existing = { ...eks(cluster, 'batch'), containerOrchestrationType: 'EKS', status: 'VALID' };
    expect(diffComputeEnvironment(eks(cluster, 'batch'), existing)).toEqual([]);
    for (const desired of [
      eks(cluster, 'jobs'),
      eks('arn:aws:eks:us-east-1:123456789012:cluster/b', 'batch'),
      ec2Env(),
    ]) {
      const changes = diffComputeEnvironment(desired, existing);
      expect(changes).toEqual([
        {
          field: 'eksConfiguration',
          from: { eksClusterArn: cluster, kubernetesNamespace: 'batch' },
          to: desired.eksConfiguration,
          replacement: expect.stringMatching(/^eksConfiguration \(EKS cluster and Kubernetes namespace\) cannot be/),
        },
      ]);
    }
    // An ECS environment the app moves onto EKS is replaced too.
    const moved = diffComputeEnvironment(eks(cluster, 'batch'), ec2Env());
    expect(moved.map((c) => [c.field, c.from, c.replacement !== undefined])).toEqual([
      ['eksConfiguration', undefined, true],
    ]);
  });

  test('server-managed desiredvCpus and fields left to defaults do not count as changes', () => {
    const existing = {
      ...ec2Env({}, { desiredvCpus: 8, ec2Configuration: [{ imageType: 'ECS_AL2' }] }),
      status: 'VALID',
      ecsClusterArn: 'arn:ecs',
      uuid: 'u',
    };
    expect(diffComputeEnvironment(ec2Env(), existing)).toEqual([]);
  });
});

describe('job queues', () => {
  const queue: JobQueueSpec = {
    jobQueueName: 'q',
    state: 'ENABLED',
    priority: 1,
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'ref(ComputeEnvironment:a)' }],
  };
  test('priority and order are updated in place', () => {
    const changes = diffJobQueue(
      {
        ...queue,
        priority: 5,
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'ref(ComputeEnvironment:b)' }],
      },
      queue,
    );
    expect(changes.map((c) => [c.field, c.replacement])).toEqual([
      ['priority', undefined],
      ['computeEnvironmentOrder', undefined],
    ]);
  });
  test('adding a scheduling policy forces a replacement', () => {
    const [c] = diffJobQueue({ ...queue, schedulingPolicyArn: 'ref(SchedulingPolicy:fair)' }, queue);
    expect(c).toMatchObject({
      field: 'schedulingPolicyArn',
      replacement: expect.stringMatching(/cannot be added to or removed from an existing job queue/),
    });
  });
  test('switching to another scheduling policy is in place', () => {
    const withPolicy = { ...queue, schedulingPolicyArn: 'arn:a' };
    expect(diffJobQueue({ ...queue, schedulingPolicyArn: 'arn:b' }, withPolicy)[0].replacement).toBeUndefined();
  });
});

describe('job definitions', () => {
  const desired = {
    jobDefinitionName: 'jd',
    type: 'container',
    containerProperties: { image: 'busybox', command: ['echo'] },
    tags: { 'batchkit:stack': 'S' },
  };
  test('fields the service adds are ignored', () => {
    const registered = {
      ...desired,
      jobDefinitionArn: 'arn:aws:batch:us-east-1:1:job-definition/jd:3',
      revision: 3,
      status: 'ACTIVE',
      containerOrchestrationType: 'ECS',
      propagateTags: false,
      platformCapabilities: ['EC2'],
      parameters: {},
      containerProperties: { ...desired.containerProperties, environment: [], mountPoints: [], volumes: [] },
    };
    expect(normalizeJobDefinition(registered)).toEqual(normalizeJobDefinition(desired));
    expect(diffJobDefinition(desired, registered)).toEqual([]);
  });
  test('a changed or removed field is a change', () => {
    const registered = { ...desired, timeout: { attemptDurationSeconds: 60 } };
    expect(
      diffJobDefinition({ ...desired, containerProperties: { image: 'busybox:2', command: ['echo'] } }, registered).map(
        (c) => c.field,
      ),
    ).toEqual(['containerProperties', 'timeout']);
  });
});
