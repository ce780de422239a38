/** The Batch SDK ⇄ model mappers: round trips keep every field, unknown enum values give the documented result. */
import type * as batch from '@aws-sdk/client-batch';
import type { ComputeEnvironment } from '../../../lib/core/model/compute-environment';
import type { JobQueue } from '../../../lib/core/model/job-queue';
import {
  computeEnvironmentFromSdk,
  createComputeEnvironmentInput,
  createJobQueueInput,
  fairshareToSdk,
  jobQueueFromSdk,
  schedulingPolicyFromSdk,
  updateComputeEnvironmentInput,
} from '../../../lib/provisioner/clients/batch-map';

const environment: ComputeEnvironment = {
  computeEnvironmentName: 'ce',
  type: 'MANAGED',
  state: 'ENABLED',
  serviceRole: 'arn:aws:iam::123456789012:role/batch',
  computeResources: {
    type: 'SPOT',
    allocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED',
    minvCpus: 0,
    maxvCpus: 64,
    desiredvCpus: 4,
    instanceTypes: ['m6i', 'c6i'],
    subnets: ['subnet-a', 'subnet-b'],
    securityGroupIds: ['sg-1'],
    ec2KeyPair: 'key',
    instanceRole: 'arn:aws:iam::123456789012:instance-profile/ecs',
    tags: { team: 'data' },
    placementGroup: 'pg',
    bidPercentage: 60,
    spotIamFleetRole: 'arn:aws:iam::123456789012:role/fleet',
    launchTemplate: {
      launchTemplateName: 'lt',
      version: '3',
      overrides: [{ launchTemplateName: 'lt-gpu', version: '1', targetInstanceTypes: ['g5'] }],
    },
    ec2Configuration: [{ imageType: 'ECS_AL2023', imageIdOverride: 'ami-1' }],
  },
  tags: { 'batchkit:stack': 'S' },
  eksConfiguration: { eksClusterArn: 'arn:aws:eks:us-east-1:123456789012:cluster/c', kubernetesNamespace: 'batch' },
};

/** What DescribeComputeEnvironments would return for a create request (the request plus server fields). */
function described(input: batch.CreateComputeEnvironmentCommandInput): batch.ComputeEnvironmentDetail {
  return {
    ...input,
    computeEnvironmentArn: `arn:aws:batch:us-east-1:123456789012:compute-environment/${input.computeEnvironmentName}`,
    status: 'VALID',
  };
}

describe('compute environments', () => {
  test('model → CreateComputeEnvironment → DescribeComputeEnvironments → model keeps every field', () => {
    const input = createComputeEnvironmentInput('ce', environment);
    expect(input.computeResources?.ec2Configuration).toEqual([{ imageType: 'ECS_AL2023', imageIdOverride: 'ami-1' }]);
    const back = computeEnvironmentFromSdk(described(input));
    expect(back).toEqual({
      ...environment,
      computeEnvironmentArn: 'arn:aws:batch:us-east-1:123456789012:compute-environment/ce',
      status: 'VALID',
    });
  });

  test('fields the SDK has and the model does not are left out', () => {
    const back = computeEnvironmentFromSdk({
      ...described(createComputeEnvironmentInput('ce', environment)),
      uuid: 'u-1',
      context: 'c',
      ecsClusterArn: 'arn:ecs',
    });
    expect(back).not.toHaveProperty('uuid');
    expect(back).not.toHaveProperty('context');
    expect(back.ecsClusterArn).toBe('arn:ecs');
  });

  test('an unknown value of an optional enum is left out', () => {
    const d: batch.ComputeEnvironmentDetail = {
      computeEnvironmentName: 'ce',
      computeEnvironmentArn: 'arn:ce',
      type: 'MANAGED',
      state: 'PAUSED' as batch.CEState,
      computeResources: {
        type: 'EC2',
        maxvCpus: 8,
        subnets: [],
        allocationStrategy: 'CHEAPEST_FIRST' as batch.CRAllocationStrategy,
      },
    };
    const back = computeEnvironmentFromSdk(d);
    expect(back.state).toBeUndefined();
    expect(back.computeResources?.allocationStrategy).toBeUndefined();
    expect(back.computeResources?.maxvCpus).toBe(8);
  });

  test(
    'an unknown value of a field the model requires is ' +
      'BATCHKIT-PROVISION-007 naming the resource, field and allowed values',
    () => {
      const d: batch.ComputeEnvironmentDetail = {
        computeEnvironmentName: 'gpu-ce',
        computeEnvironmentArn: 'arn:ce',
        type: 'MANAGED',
        computeResources: { type: 'QUANTUM' as batch.CRType, maxvCpus: 8 },
      };
      expect(() => computeEnvironmentFromSdk(d)).toThrow(
        expect.objectContaining({
          code: 'BATCHKIT-PROVISION-007',
          kind: 'environment',
          message: expect.stringMatching(
            new RegExp(
              String.raw`compute environment "gpu-ce": AWS returned computeResources\.` +
                String.raw`type "QUANTUM".*allowed: EC2, SPOT, FARGATE, FARGATE_SPOT`,
            ),
          ),
        }),
      );
    },
  );

  test('an update sends only the changed fields, with their desired values', () => {
    const update = updateComputeEnvironmentInput('ce-2', environment, [
      'computeResources.maxvCpus',
      'computeResources.instanceTypes',
      'state',
    ]);
    expect(update).toEqual({
      computeEnvironment: 'ce-2',
      state: 'ENABLED',
      computeResources: { maxvCpus: 64, instanceTypes: ['m6i', 'c6i'] },
    });
  });

  test('an update of state left out of the app sets ENABLED; BEST_FIT is never sent as an update', () => {
    const { state: _s, ...noState } = environment;
    const cr = {
      ...environment.computeResources,
      type: 'EC2' as const,
      maxvCpus: 8,
      subnets: [],
      allocationStrategy: 'BEST_FIT' as const,
    };
    const update = updateComputeEnvironmentInput('ce', { ...noState, computeResources: cr }, [
      'state',
      'computeResources.allocationStrategy',
    ]);
    expect(update).toEqual({ computeEnvironment: 'ce', state: 'ENABLED', computeResources: {} });
  });
});

describe('job queues and scheduling policies', () => {
  const queue: JobQueue = {
    jobQueueName: 'q',
    state: 'ENABLED',
    priority: 10,
    computeEnvironmentOrder: [
      { order: 1, computeEnvironment: 'arn:ce-1' },
      { order: 2, computeEnvironment: 'arn:ce-2' },
    ],
    schedulingPolicyArn: 'arn:sp',
    jobStateTimeLimitActions: [
      { reason: 'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT', state: 'RUNNABLE', maxTimeSeconds: 600, action: 'CANCEL' },
    ],
    tags: { 'batchkit:stack': 'S' },
  };

  test('model → CreateJobQueue → DescribeJobQueues → model keeps every field', () => {
    const input = createJobQueueInput(queue);
    const back = jobQueueFromSdk({
      state: undefined,
      computeEnvironmentOrder: undefined,
      ...input,
      jobQueueArn: 'arn:q',
      status: 'VALID',
    });
    expect(back).toEqual({ ...queue, jobQueueArn: 'arn:q', status: 'VALID' });
  });

  test('an unknown time-limit action is BATCHKIT-PROVISION-007', () => {
    const d: batch.JobQueueDetail = {
      jobQueueName: 'q',
      jobQueueArn: 'arn:q',
      state: 'ENABLED',
      priority: 1,
      computeEnvironmentOrder: [],
      jobStateTimeLimitActions: [
        {
          reason: 'r',
          state: 'RUNNABLE',
          maxTimeSeconds: 600,
          action: 'REQUEUE' as batch.JobStateTimeLimitActionsAction,
        },
      ],
    };
    expect(() => jobQueueFromSdk(d)).toThrow(
      expect.objectContaining({ code: 'BATCHKIT-PROVISION-007', message: expect.stringContaining('job queue "q"') }),
    );
  });

  test('a fair-share policy round-trips', () => {
    const fairsharePolicy = {
      shareDecaySeconds: 3600,
      computeReservation: 10,
      shareDistribution: [{ shareIdentifier: 'a*', weightFactor: 0.5 }, { shareIdentifier: 'b' }],
    };
    const back = schedulingPolicyFromSdk({
      name: 'fair',
      arn: 'arn:sp',
      fairsharePolicy: fairshareToSdk(fairsharePolicy),
      tags: { k: 'v' },
    });
    expect(back).toEqual({ name: 'fair', arn: 'arn:sp', fairsharePolicy, tags: { k: 'v' } });
  });
});
