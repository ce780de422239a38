/**
 * Every response of every operation `batchkit local serve` serves, checked against the AWS Batch
 * service model the AWS CLI ships (botocore's `batch/2016-08-10/service-2.json`): JSON types, enum
 * values, required members and no member the model does not know. The bodies are read off the wire
 * (the SDK's deserializers would drop unknown members silently) in a realistic scenario: job
 * definitions of each type, environments, queues, a policy, jobs that succeed, fail, retry, run as
 * arrays, depend on each other, are cancelled and terminated, and tags.
 */
import { OPERATION_SHAPES } from '../../../lib/local/api';
import { checkResponse, loadServiceModel } from '../../_helpers/service-model';
import { ARN_PREFIX, startTestService, type TestService } from './support';

const model = loadServiceModel('batch', '2016-08-10');
let t: TestService;
const seen = new Map<string, unknown[]>();

/** Calls an operation over HTTP as restJson1 clients do and records its 200 body. */
async function call(operation: string, body: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  let url: string;
  let method = 'POST';
  let payload: string | undefined = JSON.stringify(body);
  const arn = typeof body.resourceArn === 'string' ? encodeURIComponent(body.resourceArn) : '';
  if (operation === 'ListTagsForResource') {
    [url, method, payload] = [`/v1/tags/${arn}`, 'GET', undefined];
  } else if (operation === 'UntagResource') {
    const keys = (body.tagKeys as string[]).map((k) => `tagKeys=${encodeURIComponent(k)}`).join('&');
    [url, method, payload] = [`/v1/tags/${arn}?${keys}`, 'DELETE', undefined];
  } else if (operation === 'TagResource') {
    [url, payload] = [`/v1/tags/${arn}`, JSON.stringify({ tags: body.tags })];
  } else {
    url = `/v1/${operation.toLowerCase()}`;
  }
  const res = await fetch(`${t.service.server.url}${url}`, {
    method,
    body: payload,
    headers: { 'content-type': 'application/json' },
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${operation} answered ${res.status}: ${text}`);
  const parsed = JSON.parse(text) as Record<string, unknown>;
  seen.set(operation, [...(seen.get(operation) ?? []), parsed]);
  return parsed;
}

beforeAll(async () => {
  t = await startTestService({
    script: (spec) => (spec.environment?.X === '1' ? { exitCode: 3, durationMs: 1000 } : { durationMs: 1000 }),
  });
});
afterAll(async () => {
  await t.close();
});

/**
 * `JobDetail.startedAt` is `required` in the model, yet AWS leaves it out until a job starts running
 * (a job that is still queued, was cancelled before it ran, or an array parent whose own record never
 * runs); batchkit does the same. Only that case is excused.
 */
function notStartedYet(problem: string, body: unknown): boolean {
  const m = /^DescribeJobs\.jobs\[(\d+)\]\.startedAt: required/.exec(problem);
  if (!m) return false;
  const job = (body as { jobs: Array<{ attempts?: Array<{ startedAt?: number }> }> }).jobs[Number(m[1])];
  return !(job.attempts ?? []).some((a) => a.startedAt !== undefined);
}

test('every served operation answers in the shapes of the Batch service model', async () => {
  const container = {
    image: 'local/busybox:test',
    command: ['sh', '-c', 'exit Ref::code'],
    resourceRequirements: [
      { type: 'VCPU', value: '1' },
      { type: 'MEMORY', value: '64' },
    ],
    environment: [{ name: 'A', value: 'b' }],
    volumes: [{ name: 'scratch', host: { sourcePath: '/tmp' } }],
    mountPoints: [{ sourceVolume: 'scratch', containerPath: '/scratch', readOnly: false }],
    ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 2048 }],
    logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/custom/group' } },
  };
  await call('RegisterJobDefinition', {
    jobDefinitionName: 'model-ec2',
    type: 'container',
    parameters: { code: '0' },
    containerProperties: container,
    retryStrategy: {
      attempts: 2,
      evaluateOnExit: [
        { onExitCode: '3', action: 'Exit' },
        { onReason: '*', action: 'retry' },
      ],
    },
    timeout: { attemptDurationSeconds: 600 },
    tags: { team: 'a' },
    propagateTags: true,
  });
  await call('RegisterJobDefinition', {
    jobDefinitionName: 'model-fargate',
    type: 'container',
    platformCapabilities: ['FARGATE'],
    containerProperties: {
      image: 'local/busybox:test',
      command: ['true'],
      executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
      resourceRequirements: [
        { type: 'VCPU', value: '0.25' },
        { type: 'MEMORY', value: '512' },
      ],
      fargatePlatformConfiguration: { platformVersion: 'LATEST' },
      networkConfiguration: { assignPublicIp: 'ENABLED' },
    },
  });
  await call('RegisterJobDefinition', {
    jobDefinitionName: 'model-mnp',
    type: 'multinode',
    nodeProperties: {
      numNodes: 2,
      mainNode: 0,
      nodeRangeProperties: [
        { targetNodes: '0:1', container: { image: 'local/busybox:test', vcpus: 1, memory: 64, command: ['true'] } },
      ],
    },
  });
  await call('RegisterJobDefinition', {
    jobDefinitionName: 'model-pod',
    type: 'container',
    eksProperties: {
      podProperties: {
        serviceAccountName: 'jobs',
        initContainers: [{ name: 'fetch', image: 'busybox', volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
        containers: [
          {
            name: 'main',
            image: 'busybox',
            resources: { limits: { cpu: '1', memory: '256Mi' } },
            env: [{ name: 'A', value: 'b' }],
          },
        ],
        volumes: [
          { name: 'work', emptyDir: { medium: 'Memory' } },
          { name: 'host', hostPath: { path: '/tmp' } },
          { name: 'creds', secret: { secretName: 'db' } },
        ],
      },
    },
  });
  await call('RegisterJobDefinition', {
    jobDefinitionName: 'model-task',
    type: 'container',
    ecsProperties: {
      taskProperties: [
        {
          containers: [
            {
              name: 'setup',
              image: 'busybox',
              essential: false,
              resourceRequirements: [
                { type: 'VCPU', value: '1' },
                { type: 'MEMORY', value: '64' },
              ],
            },
            { name: 'main', image: 'busybox', dependsOn: [{ containerName: 'setup', condition: 'SUCCESS' }] },
          ],
        },
      ],
    },
  });
  const jds = (await call('DescribeJobDefinitions', {})) as { jobDefinitions: Array<Record<string, unknown>> };
  await call('DescribeJobDefinitions', { jobDefinitionName: 'model-ec2', status: 'ACTIVE', maxResults: 1 });

  await call('CreateComputeEnvironment', {
    computeEnvironmentName: 'model-ce',
    type: 'UNMANAGED',
    unmanagedvCpus: 4,
    tags: { a: 'b' },
  });
  await call('CreateComputeEnvironment', {
    computeEnvironmentName: 'model-fargate-ce',
    type: 'MANAGED',
    computeResources: {
      type: 'FARGATE',
      maxvCpus: 4,
      subnets: ['subnet-0123456789abcdef0'],
      securityGroupIds: ['sg-0123456789abcdef0'],
    },
  });
  await call('UpdateComputeEnvironment', { computeEnvironment: 'model-ce', unmanagedvCpus: 8 });
  await call('DescribeComputeEnvironments', {});
  const policy = (await call('CreateSchedulingPolicy', {
    name: 'model-policy',
    fairsharePolicy: {
      shareDecaySeconds: 60,
      computeReservation: 10,
      shareDistribution: [{ shareIdentifier: 'a*', weightFactor: 0.5 }],
    },
    tags: { x: 'y' },
  })) as { arn: string };
  await call('UpdateSchedulingPolicy', { arn: policy.arn, fairsharePolicy: { shareDecaySeconds: 120 } });
  await call('DescribeSchedulingPolicies', { arns: [policy.arn] });
  await call('ListSchedulingPolicies', { maxResults: 1 });
  await call('CreateJobQueue', {
    jobQueueName: 'model-queue',
    priority: 5,
    schedulingPolicyArn: policy.arn,
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'model-ce' }],
    jobStateTimeLimitActions: [
      { reason: 'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT', state: 'RUNNABLE', maxTimeSeconds: 600, action: 'CANCEL' },
    ],
  });
  await call('UpdateJobQueue', { jobQueue: 'model-queue', priority: 6 });
  await call('DescribeJobQueues', {});

  // Jobs on the app's queue: one that succeeds, one that fails (exit 3 → EXIT), an array, a dependant.
  const ok = (await call('SubmitJob', {
    jobName: 'ok',
    jobQueue: 'main-queue',
    jobDefinition: 'hello',
    tags: { k: 'v' },
  })) as { jobId: string; jobArn: string };
  const fails = (await call('SubmitJob', {
    jobName: 'fails',
    jobQueue: 'main-queue',
    jobDefinition: 'model-ec2',
    parameters: { code: '3' },
    containerOverrides: { environment: [{ name: 'X', value: '1' }] },
  })) as { jobId: string };
  const array = (await call('SubmitJob', {
    jobName: 'arr',
    jobQueue: 'main-queue',
    jobDefinition: 'hello',
    arrayProperties: { size: 2 },
  })) as { jobId: string };
  const after = (await call('SubmitJob', {
    jobName: 'after',
    jobQueue: 'main-queue',
    jobDefinition: 'hello',
    dependsOn: [{ jobId: ok.jobId }],
  })) as {
    jobId: string;
  };
  const cancelled = (await call('SubmitJob', {
    jobName: 'cancelled',
    jobQueue: 'main-queue',
    jobDefinition: 'hello',
    dependsOn: [{ jobId: after.jobId }],
  })) as {
    jobId: string;
  };
  await call('DescribeJobs', { jobs: [ok.jobId, fails.jobId, array.jobId, after.jobId] });
  await t.advance(1);
  await call('DescribeJobs', { jobs: [ok.jobId, fails.jobId, array.jobId, `${array.jobId}:0`] });
  await call('CancelJob', { jobId: cancelled.jobId, reason: 'not needed' });
  await call('CancelJob', { jobId: 'no-such-job', reason: 'cleanup' });
  await call('TerminateJob', { jobId: 'no-such-job', reason: 'cleanup' });
  for (let i = 0; i < 8; i++) await t.advance(1500);
  const final = (await call('DescribeJobs', {
    jobs: [ok.jobId, fails.jobId, array.jobId, `${array.jobId}:1`, after.jobId, cancelled.jobId],
  })) as {
    jobs: Array<{ jobName: string; status: string }>;
  };
  expect(final.jobs.map((j) => [j.jobName, j.status])).toEqual([
    ['ok', 'SUCCEEDED'],
    ['fails', 'FAILED'],
    ['arr', 'SUCCEEDED'],
    ['arr', 'SUCCEEDED'],
    ['after', 'SUCCEEDED'],
    ['cancelled', 'FAILED'],
  ]);
  // Multi-container jobs: an ECS task on the app's EC2 environment, an EKS pod on an EKS one.
  await call('CreateComputeEnvironment', {
    computeEnvironmentName: 'model-eks-ce',
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
  });
  await call('CreateJobQueue', {
    jobQueueName: 'model-eks-queue',
    priority: 1,
    computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'model-eks-ce' }],
  });
  const task = (await call('SubmitJob', { jobName: 'task', jobQueue: 'main-queue', jobDefinition: 'model-task' })) as {
    jobId: string;
  };
  const pod = (await call('SubmitJob', {
    jobName: 'pod',
    jobQueue: 'model-eks-queue',
    jobDefinition: 'model-pod',
  })) as { jobId: string };
  await t.advance(1);
  await call('DescribeJobs', { jobs: [task.jobId, pod.jobId] });
  for (let i = 0; i < 8; i++) await t.advance(1500);
  const groups = (await call('DescribeJobs', { jobs: [task.jobId, pod.jobId] })) as {
    jobs: Array<{ jobName: string; status: string }>;
  };
  expect(groups.jobs.map((j) => [j.jobName, j.status])).toEqual([
    ['task', 'SUCCEEDED'],
    ['pod', 'SUCCEEDED'],
  ]);
  const running = (await call('SubmitJob', { jobName: 'running', jobQueue: 'main-queue', jobDefinition: 'hello' })) as {
    jobId: string;
  };
  await t.advance(1);
  await call('TerminateJob', { jobId: running.jobId, reason: 'stop' });
  await call('ListJobs', { jobQueue: 'main-queue', jobStatus: 'SUCCEEDED', maxResults: 2 });
  await call('ListJobs', { jobQueue: 'main-queue', filters: [{ name: 'JOB_NAME', values: ['a*'] }] });
  await call('ListJobs', { arrayJobId: array.jobId });

  const jdArn = String(jds.jobDefinitions.find((j) => j.jobDefinitionName === 'model-ec2')?.jobDefinitionArn);
  for (const arn of [
    ok.jobArn,
    jdArn,
    `${ARN_PREFIX}:job-queue/model-queue`,
    `${ARN_PREFIX}:compute-environment/model-ce`,
    policy.arn,
  ]) {
    await call('TagResource', { resourceArn: arn, tags: { added: '1' } });
    await call('ListTagsForResource', { resourceArn: arn });
    await call('UntagResource', { resourceArn: arn, tagKeys: ['added'] });
  }

  await call('DeregisterJobDefinition', { jobDefinition: 'model-mnp:1' });
  await call('UpdateJobQueue', { jobQueue: 'model-queue', state: 'DISABLED' });
  await call('DeleteJobQueue', { jobQueue: 'model-queue' });
  await call('UpdateComputeEnvironment', { computeEnvironment: 'model-fargate-ce', state: 'DISABLED' });
  await call('DeleteComputeEnvironment', { computeEnvironment: 'model-fargate-ce' });
  await call('DeleteSchedulingPolicy', { arn: policy.arn });

  // Every served operation was exercised, and every body matches the model.
  expect([...seen.keys()].sort()).toEqual(Object.keys(OPERATION_SHAPES).sort());
  const problems = [...seen.entries()].flatMap(([op, bodies]) =>
    bodies.flatMap((b) =>
      checkResponse(model, op, b, { anyCaseEnums: ['RetryAction'] }).filter((p) => !notStartedYet(p, b)),
    ),
  );
  expect(problems).toEqual([]);
  // The documented exceptions were met, not assumed: a job that never ran has no startedAt, and
  // actions are returned as registered.
  const cancelledDetail = (final as unknown as { jobs: Array<Record<string, unknown>> }).jobs[5];
  expect([cancelledDetail.status, cancelledDetail.startedAt, cancelledDetail.attempts]).toEqual([
    'FAILED',
    undefined,
    [],
  ]);
  const ec2 = jds.jobDefinitions.find((j) => j.jobDefinitionName === 'model-ec2') as {
    retryStrategy: { evaluateOnExit: Array<{ action: string }> };
  };
  expect(ec2.retryStrategy.evaluateOnExit.map((e) => e.action)).toEqual(['Exit', 'retry']);
  // platformCapabilities only where registered; an "Exit" matching exit code 3 ends the job after one of its 2
  // attempts.
  expect(jds.jobDefinitions.map((j) => [j.jobDefinitionName, j.platformCapabilities])).toEqual([
    ['hello', undefined],
    ['model-ec2', undefined],
    ['model-fargate', ['FARGATE']],
    ['model-mnp', undefined],
    ['model-pod', undefined],
    ['model-task', undefined],
  ]);
  const finalJobs = (seen.get('DescribeJobs')?.at(-1) as { jobs: Array<Record<string, unknown>> }).jobs;
  expect([finalJobs[0].platformCapabilities, (finalJobs[1].attempts as unknown[]).length]).toEqual([undefined, 1]);
});
