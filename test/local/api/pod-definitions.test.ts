/**
 * Multi-container ECS and EKS job definitions through the real `@aws-sdk/client-batch`:
 * RegisterJobDefinition accepts them (type container, no containerProperties), checks them with the
 * core rules, DescribeJobDefinitions returns them; SubmitJob checks their overrides (a bad one stores
 * nothing) and runs them; DescribeJobs answers their containers' exits.
 */
import {
  ClientException,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DescribeJobDefinitionsCommand,
  DescribeJobsCommand,
  ListJobsCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  type BatchClient,
} from '@aws-sdk/client-batch';
import { ARN_PREFIX, startTestService, type TestService } from './support';

let t: TestService;
let client: BatchClient;
beforeEach(async () => {
  t = await startTestService();
  client = t.client;
});
afterEach(async () => {
  await t.close();
});

const resources = [
  { type: 'VCPU' as const, value: '1' },
  { type: 'MEMORY' as const, value: '128' },
];

async function registerBoth(): Promise<void> {
  await client.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: 'with-sidecar',
      type: 'container',
      ecsProperties: {
        taskProperties: [
          {
            containers: [
              { name: 'setup', image: 'busybox', essential: false, command: ['true'], resourceRequirements: resources },
              {
                name: 'main',
                image: 'busybox',
                dependsOn: [{ containerName: 'setup', condition: 'SUCCESS' }],
                mountPoints: [{ sourceVolume: 'shared', containerPath: '/data' }],
              },
            ],
            volumes: [{ name: 'shared' }],
          },
        ],
      },
    }),
  );
  await client.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: 'pod',
      type: 'container',
      eksProperties: {
        podProperties: {
          hostNetwork: true,
          serviceAccountName: 'jobs',
          initContainers: [{ name: 'fetch', image: 'busybox', volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
          containers: [
            {
              name: 'main',
              image: 'busybox',
              resources: { limits: { cpu: '1', memory: '256Mi' } },
              volumeMounts: [{ name: 'work', mountPath: '/work' }],
            },
          ],
          volumes: [
            { name: 'work', emptyDir: {} },
            { name: 'creds', secret: { secretName: 'db' } },
          ],
        },
      },
    }),
  );
}

test(
  'RegisterJobDefinition accepts ECS tasks and EKS pods; ' + 'DescribeJobDefinitions returns them as registered',
  async () => {
    await registerBoth();
    const d = await client.send(new DescribeJobDefinitionsCommand({ jobDefinitions: ['with-sidecar:1', 'pod:1'] }));
    expect(
      d.jobDefinitions?.map((j) => [
        j.jobDefinitionArn,
        j.type,
        j.containerOrchestrationType,
        j.containerProperties,
        j.platformCapabilities,
      ]),
    ).toEqual([
      [`${ARN_PREFIX}:job-definition/pod:1`, 'container', 'EKS', undefined, undefined],
      [`${ARN_PREFIX}:job-definition/with-sidecar:1`, 'container', 'ECS', undefined, undefined],
    ]);
    const pod = d.jobDefinitions?.[0].eksProperties?.podProperties;
    expect([
      pod?.initContainers?.[0].name,
      pod?.containers?.[0].resources?.limits,
      pod?.volumes?.map((v) => v.name),
    ]).toEqual(['fetch', { cpu: '1', memory: '256Mi' }, ['work', 'creds']]);
    expect(
      d.jobDefinitions?.[1].ecsProperties?.taskProperties?.[0].containers?.map((c) => [c.name, c.essential ?? true]),
    ).toEqual([
      ['setup', false],
      ['main', true],
    ]);
  },
);

test('RegisterJobDefinition refuses bad tasks and pods with the rule that failed', async () => {
  const bad = await client
    .send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'bad-pod',
        type: 'container',
        eksProperties: { podProperties: { containers: [{ name: 'Main', image: 'busybox' }] } },
      }),
    )
    .catch((e: unknown) => e);
  expect(bad).toBeInstanceOf(ClientException);
  expect((bad as Error).message).toMatch(/eksProperties\.podProperties\.containers\[0\]\.name.*not a DNS label/);
  const cycle = await client
    .send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'bad-task',
        type: 'container',
        ecsProperties: {
          taskProperties: [
            {
              containers: [
                {
                  name: 'a',
                  image: 'busybox',
                  dependsOn: [{ containerName: 'ghost', condition: 'START' }],
                  resourceRequirements: resources,
                },
              ],
            },
          ],
        },
      }),
    )
    .catch((e: unknown) => e);
  expect((cycle as Error).message).toMatch(/dependsOn\[0\]\.containerName.*not in the task/);
  expect(
    (await client.send(new DescribeJobDefinitionsCommand({ jobDefinitionName: 'bad-pod' }))).jobDefinitions,
  ).toEqual([]);
});

test('SubmitJob checks ecsPropertiesOverride/eksPropertiesOverride; a bad one stores nothing', async () => {
  await registerBoth();
  const submit = (input: Partial<ConstructorParameters<typeof SubmitJobCommand>[0]>) =>
    client.send(new SubmitJobCommand({ jobName: 'g', jobQueue: 'main-queue', jobDefinition: 'pod', ...input })).then(
      () => new Error('accepted'),
      (e: unknown) => e as Error,
    );
  const ghost = await submit({
    eksPropertiesOverride: { podProperties: { containers: [{ name: 'ghost', command: ['x'] }] } },
  });
  expect(ghost).toBeInstanceOf(ClientException);
  expect(ghost.message).toMatch(
    new RegExp(
      String.raw`eksPropertiesOverride\.podProperties\.containers\[0\]\.name.` +
        String.raw`*names no container of the pod`,
    ),
  );
  expect(
    (await submit({ ecsPropertiesOverride: { taskProperties: [{ containers: [{ name: 'main' }] }] } })).message,
  ).toMatch(/the job definition "pod" has no ecsProperties/);
  expect((await submit({ jobDefinition: 'with-sidecar', containerOverrides: { command: ['x'] } })).message).toMatch(
    /containerOverrides do not apply to it/,
  );
  for (const status of ['SUBMITTED', 'PENDING', 'RUNNABLE', 'FAILED'] as const) {
    expect(
      (await client.send(new ListJobsCommand({ jobQueue: 'main-queue', jobStatus: status }))).jobSummaryList,
    ).toEqual([]);
  }
});

test('an EKS pod job and an ECS task job run; DescribeJobs answers their containers with exit codes', async () => {
  await registerBoth();
  // EKS jobs run only on EKS compute environments, as on AWS.
  await client.send(
    new CreateComputeEnvironmentCommand({
      computeEnvironmentName: 'eks-ce',
      type: 'MANAGED',
      eksConfiguration: {
        eksClusterArn: 'arn:aws:eks:us-east-1:123456789012:cluster/jobs',
        kubernetesNamespace: 'batch',
      },
      computeResources: {
        type: 'EC2',
        maxvCpus: 4,
        subnets: ['subnet-0123456789abcdef0'],
        instanceRole: 'arn:aws:iam::123456789012:instance-profile/eks',
        instanceTypes: ['m5'],
      },
    }),
  );
  await client.send(
    new CreateJobQueueCommand({
      jobQueueName: 'eks-queue',
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'eks-ce' }],
    }),
  );
  const pod = await client.send(
    new SubmitJobCommand({
      jobName: 'p',
      jobQueue: 'eks-queue',
      jobDefinition: 'pod',
      eksPropertiesOverride: {
        podProperties: { containers: [{ name: 'main', args: ['--fast'] }], initContainers: [{ name: 'fetch' }] },
      },
    }),
  );
  const task = await client.send(
    new SubmitJobCommand({ jobName: 't', jobQueue: 'main-queue', jobDefinition: 'with-sidecar' }),
  );
  for (let i = 0; i < 10; i++) await t.advance(60_000);
  const { jobs } = await client.send(new DescribeJobsCommand({ jobs: [pod.jobId!, task.jobId!] }));
  const [p, k] = [jobs?.find((j) => j.jobId === pod.jobId), jobs?.find((j) => j.jobId === task.jobId)];
  expect(p?.status).toBe('SUCCEEDED');
  expect(p?.eksProperties?.podProperties?.containers?.map((c) => [c.name, c.args, c.exitCode])).toEqual([
    ['main', ['--fast'], 0],
  ]);
  expect(p?.eksAttempts?.[0].initContainers?.map((c) => [c.name, c.exitCode])).toEqual([['fetch', 0]]);
  expect(k?.status).toBe('SUCCEEDED');
  const containers = k?.ecsProperties?.taskProperties?.[0].containers ?? [];
  expect(containers.map((c) => [c.name, c.exitCode])).toEqual([
    ['setup', 0],
    ['main', 0],
  ]);
  expect(k?.attempts?.[0].taskProperties?.[0].containers?.map((c) => c.logStreamName)).toEqual(
    containers.map((c) => c.logStreamName),
  );
  expect(containers[1].logStreamName).toMatch(/^with-sidecar\/main\/[0-9a-f]{32}$/);
});
