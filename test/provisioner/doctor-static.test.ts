/** doctor without --live: one test per finding, and a healthy app with none. */
import { emptyBatchModel, type BatchModel } from '../../lib/core/model/batch-model';
import { staticDoctor } from '../../lib/provisioner/doctor/static';

const ECS_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role';

function healthy(): BatchModel {
  return {
    ...emptyBatchModel(),
    computeEnvironments: [
      {
        computeEnvironmentName: 'ce',
        computeEnvironmentArn: 'arn:aws:batch:us-east-1:123456789012:compute-environment/ce',
        type: 'MANAGED',
        state: 'ENABLED',
        computeResources: {
          type: 'EC2',
          maxvCpus: 64,
          minvCpus: 0,
          instanceTypes: ['m6i.2xlarge'],
          subnets: ['subnet-1'],
          securityGroupIds: ['sg-1'],
          instanceRole: 'arn:aws:iam::123456789012:instance-profile/Profile',
        },
      },
    ],
    jobQueues: [
      {
        jobQueueName: 'q',
        state: 'ENABLED',
        priority: 1,
        computeEnvironmentOrder: [
          { order: 1, computeEnvironment: 'arn:aws:batch:us-east-1:123456789012:compute-environment/ce' },
        ],
      },
    ],
    jobDefinitions: [
      {
        jobDefinitionName: 'jd',
        type: 'container',
        containerProperties: {
          image: 'busybox',
          resourceRequirements: [
            { type: 'VCPU', value: '2' },
            { type: 'MEMORY', value: '4096' },
          ],
        },
      },
    ],
    roles: [
      {
        arn: 'arn:aws:iam::123456789012:role/InstanceRole',
        roleName: 'InstanceRole',
        trustedServices: ['ec2.amazonaws.com'],
        managedPolicyArns: [ECS_POLICY],
      },
    ],
    instanceProfiles: [
      {
        arn: 'arn:aws:iam::123456789012:instance-profile/Profile',
        instanceProfileName: 'Profile',
        roles: ['InstanceRole'],
      },
    ],
  };
}

const codes = (m: BatchModel) => staticDoctor(m).map((f) => f.code);

test('a healthy app has no finding', () => {
  expect(staticDoctor(healthy())).toEqual([]);
});

test('the core cross-resource rule BATCH-X-003: a job definition no queue can ever start', () => {
  const m = healthy();
  m.jobDefinitions[0].containerProperties!.resourceRequirements = [
    { type: 'VCPU', value: '64' },
    { type: 'MEMORY', value: '4096' },
  ];
  const [f] = staticDoctor(m);
  expect(f.code).toBe('BATCH-X-003');
  expect(f.message).toMatch(
    new RegExp(
      String.raw`JobDefinition "jd".*would stay RUNNABLE forever.*needs 64 vC` +
        String.raw`PUs but its largest instance type m6i\.2xlarge has 8.*Fix: `,
    ),
  );
});

test('BATCHKIT-DOCTOR-002: a DISABLED queue', () => {
  const m = healthy();
  m.jobQueues[0].state = 'DISABLED';
  expect(codes(m)).toEqual(['BATCHKIT-DOCTOR-002']);
});

test('BATCHKIT-DOCTOR-003 and -004: a DISABLED environment, the only one of its queue', () => {
  const m = healthy();
  m.computeEnvironments[0].state = 'DISABLED';
  const found = staticDoctor(m);
  expect(found.map((f) => f.code)).toEqual(['BATCHKIT-DOCTOR-003', 'BATCHKIT-DOCTOR-004']);
  expect(found[1].message).toMatch(
    new RegExp(
      String.raw`JobQueue "q" computeEnvironmentOrder: every compute environm` +
        String.raw`ent of the queue is DISABLED`,
    ),
  );
});

test('BATCHKIT-DOCTOR-005: maxvCpus 0', () => {
  const m = healthy();
  m.computeEnvironments[0].computeResources!.maxvCpus = 0;
  expect(codes(m)).toContain('BATCHKIT-DOCTOR-005');
  expect(staticDoctor(m).find((f) => f.code === 'BATCHKIT-DOCTOR-005')?.message).toMatch(
    /ComputeEnvironment "ce" computeResources\.maxvCpus: maxvCpus is 0/,
  );
});

test('BATCHKIT-DOCTOR-006: SPOT with BEST_FIT and no Spot Fleet role', () => {
  const m = healthy();
  m.computeEnvironments[0].computeResources!.type = 'SPOT';
  expect(codes(m)).toEqual(['BATCHKIT-DOCTOR-006']);
  m.computeEnvironments[0].computeResources!.allocationStrategy = 'SPOT_CAPACITY_OPTIMIZED';
  expect(codes(m)).toEqual([]);
});

test('BATCHKIT-DOCTOR-007: the instance role lacks AmazonEC2ContainerServiceforEC2Role', () => {
  const m = healthy();
  m.roles[0] = { ...m.roles[0], managedPolicyArns: [] };
  const [f] = staticDoctor(m);
  expect(f.code).toBe('BATCHKIT-DOCTOR-007');
  expect(f.message).toMatch(
    new RegExp(
      String.raw`instance role "InstanceRole" \(in profile "Profile"\) does n` +
        String.raw`ot have AmazonEC2ContainerServiceforEC2Role`,
    ),
  );
});
