/**
 * Job definitions, compute environments, job queues, scheduling policies and tags through the real
 * `@aws-sdk/client-batch` against `batchkit local serve` on 127.0.0.1.
 */
import {
  ClientException,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  CreateSchedulingPolicyCommand,
  DeleteComputeEnvironmentCommand,
  DeleteJobQueueCommand,
  DeleteSchedulingPolicyCommand,
  DeregisterJobDefinitionCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  DescribeSchedulingPoliciesCommand,
  ListSchedulingPoliciesCommand,
  ListTagsForResourceCommand,
  RegisterJobDefinitionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateComputeEnvironmentCommand,
  UpdateJobQueueCommand,
  UpdateSchedulingPolicyCommand,
  paginateDescribeJobDefinitions,
  type BatchClient,
} from '@aws-sdk/client-batch';
import { ARN_PREFIX, startTestService, type TestService } from './support';

let t: TestService;
let client: BatchClient;

beforeEach(async () => {
  t = await startTestService({ settleMs: 50 });
  client = t.client;
});
afterEach(async () => {
  await t.close();
});

async function clientError(p: Promise<unknown>): Promise<ClientException> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ClientException);
  expect((e as ClientException).$metadata.httpStatusCode).toBe(400);
  return e as ClientException;
}

describe('resources of the loaded app', () => {
  test('are registered VALID under the names and ARNs AWS gives them', async () => {
    const q = await client.send(new DescribeJobQueuesCommand({ jobQueues: ['main-queue'] }));
    expect(q.jobQueues).toHaveLength(1);
    expect(q.jobQueues?.[0]).toMatchObject({
      jobQueueName: 'main-queue',
      jobQueueArn: `${ARN_PREFIX}:job-queue/main-queue`,
      state: 'ENABLED',
      status: 'VALID',
      statusReason: 'JobQueue Healthy',
      priority: 10,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: `${ARN_PREFIX}:compute-environment/main-ce` }],
    });
    const byArn = await client.send(
      new DescribeJobQueuesCommand({ jobQueues: [`${ARN_PREFIX}:job-queue/main-queue`] }),
    );
    expect(byArn.jobQueues?.[0]?.jobQueueName).toBe('main-queue');

    const ce = await client.send(new DescribeComputeEnvironmentsCommand({}));
    expect(
      ce.computeEnvironments?.map((c) => [c.computeEnvironmentName, c.computeEnvironmentArn, c.status, c.state]),
    ).toEqual([['main-ce', `${ARN_PREFIX}:compute-environment/main-ce`, 'VALID', 'ENABLED']]);
    expect(ce.computeEnvironments?.[0]?.ecsClusterArn).toMatch(
      new RegExp(String.raw`^arn:aws:ecs:us-east-1:123456789012:cluster\/main-ce_Batch_[` + String.raw`0-9a-f]{32}$`),
    );

    const jd = await client.send(new DescribeJobDefinitionsCommand({ jobDefinitions: ['hello'] }));
    expect(jd.jobDefinitions?.map((d) => [d.jobDefinitionArn, d.revision, d.status, d.type])).toEqual([
      [`${ARN_PREFIX}:job-definition/hello:1`, 1, 'ACTIVE', 'container'],
    ]);
    expect(jd.jobDefinitions?.[0]?.containerProperties?.image).toBe('local/busybox:test');
  });

  test('unknown names are left out of Describe* as AWS does', async () => {
    const q = await client.send(new DescribeJobQueuesCommand({ jobQueues: ['nope'] }));
    expect(q.jobQueues).toEqual([]);
    const jd = await client.send(new DescribeJobDefinitionsCommand({ jobDefinitions: ['nope:3'] }));
    expect(jd.jobDefinitions).toEqual([]);
  });
});

describe('job definitions', () => {
  const body = {
    type: 'container' as const,
    containerProperties: {
      image: 'local/busybox:test',
      command: ['sleep', '1'],
      resourceRequirements: [
        { type: 'VCPU' as const, value: '1' },
        { type: 'MEMORY' as const, value: '256' },
      ],
    },
  };

  test('each registration adds a revision; deregistering makes one INACTIVE', async () => {
    const r1 = await client.send(
      new RegisterJobDefinitionCommand({ jobDefinitionName: 'train', ...body, tags: { team: 'ml' } }),
    );
    const r2 = await client.send(new RegisterJobDefinitionCommand({ jobDefinitionName: 'train', ...body }));
    expect([r1.revision, r2.revision]).toEqual([1, 2]);
    expect(r2.jobDefinitionArn).toBe(`${ARN_PREFIX}:job-definition/train:2`);
    expect(r2.jobDefinitionName).toBe('train');

    await client.send(new DeregisterJobDefinitionCommand({ jobDefinition: 'train:1' }));
    const all = await client.send(new DescribeJobDefinitionsCommand({ jobDefinitionName: 'train' }));
    expect(all.jobDefinitions?.map((d) => [d.revision, d.status])).toEqual([
      [1, 'INACTIVE'],
      [2, 'ACTIVE'],
    ]);
    expect(all.jobDefinitions?.[0]?.tags).toEqual({ team: 'ml' });
    const active = await client.send(
      new DescribeJobDefinitionsCommand({ jobDefinitionName: 'train', status: 'ACTIVE' }),
    );
    expect(active.jobDefinitions?.map((d) => d.revision)).toEqual([2]);
    const byArn = await client.send(new DescribeJobDefinitionsCommand({ jobDefinitions: [r1.jobDefinitionArn ?? ''] }));
    expect(byArn.jobDefinitions?.map((d) => d.status)).toEqual(['INACTIVE']);
  });

  test('deregistering needs a revision, and the revision must exist', async () => {
    expect(
      (await clientError(client.send(new DeregisterJobDefinitionCommand({ jobDefinition: 'hello' })))).message,
    ).toMatch(/does not name a revision.*Fix: add the revision/);
    expect(
      (await clientError(client.send(new DeregisterJobDefinitionCommand({ jobDefinition: 'hello:9' })))).message,
    ).toMatch(/Job definition hello:9 does not exist/);
  });

  test('a definition the core rules reject is a ClientException naming the field', async () => {
    const e = await clientError(
      client.send(new RegisterJobDefinitionCommand({ jobDefinitionName: 'bad name', ...body })),
    );
    expect(e.message).toMatch(/jobDefinitionName/);
    expect(e.message).toMatch(/bad name/);
  });

  test('DescribeJobDefinitions pages through every revision with the SDK paginator', async () => {
    for (let i = 0; i < 7; i++) {
      await client.send(new RegisterJobDefinitionCommand({ jobDefinitionName: `def-${i % 3}`, ...body }));
    }
    const pages: string[][] = [];
    for await (const page of paginateDescribeJobDefinitions({ client, pageSize: 3 }, {})) {
      pages.push((page.jobDefinitions ?? []).map((d) => `${d.jobDefinitionName}:${d.revision}`));
    }
    expect(pages).toEqual([
      ['def-0:1', 'def-0:2', 'def-0:3'],
      ['def-1:1', 'def-1:2', 'def-2:1'],
      ['def-2:2', 'hello:1'],
    ]);
  });
});

describe('compute environments and job queues', () => {
  const computeResources = {
    type: 'EC2' as const,
    allocationStrategy: 'BEST_FIT_PROGRESSIVE' as const,
    minvCpus: 0,
    maxvCpus: 8,
    instanceTypes: ['optimal'],
    subnets: ['subnet-0123456789abcdef0'],
    securityGroupIds: ['sg-0123456789abcdef0'],
    instanceRole: 'ecsInstanceRole',
  };

  test('go CREATING → VALID, and delete only when DISABLED and unused', async () => {
    const ce = await client.send(
      new CreateComputeEnvironmentCommand({
        computeEnvironmentName: 'spare',
        type: 'MANAGED',
        computeResources,
        tags: { a: '1' },
      }),
    );
    expect(ce.computeEnvironmentArn).toBe(`${ARN_PREFIX}:compute-environment/spare`);
    const creating = await client.send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: ['spare'] }));
    expect(creating.computeEnvironments?.[0]).toMatchObject({ status: 'CREATING', state: 'ENABLED', tags: { a: '1' } });
    await t.advance(80);
    const valid = await client.send(
      new DescribeComputeEnvironmentsCommand({ computeEnvironments: [ce.computeEnvironmentArn ?? ''] }),
    );
    expect(valid.computeEnvironments?.[0]).toMatchObject({
      status: 'VALID',
      statusReason: 'ComputeEnvironment Healthy',
    });

    const q = await client.send(
      new CreateJobQueueCommand({
        jobQueueName: 'spare-q',
        priority: 5,
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'spare' }],
      }),
    );
    expect(q.jobQueueArn).toBe(`${ARN_PREFIX}:job-queue/spare-q`);

    expect(
      (await clientError(client.send(new DeleteComputeEnvironmentCommand({ computeEnvironment: 'spare' })))).message,
    ).toMatch(/state is ENABLED; only a DISABLED compute environment can be deleted/);
    await client.send(
      new UpdateComputeEnvironmentCommand({
        computeEnvironment: 'spare',
        state: 'DISABLED',
        computeResources: { maxvCpus: 16 },
      }),
    );
    const updating = await client.send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: ['spare'] }));
    expect(updating.computeEnvironments?.[0]).toMatchObject({ status: 'UPDATING', state: 'DISABLED' });
    expect(updating.computeEnvironments?.[0]?.computeResources?.maxvCpus).toBe(16);
    expect(
      (await clientError(client.send(new DeleteComputeEnvironmentCommand({ computeEnvironment: 'spare' })))).message,
    ).toMatch(/^Cannot delete, found existing JobQueue relationship: .*spare-q/);

    expect((await clientError(client.send(new DeleteJobQueueCommand({ jobQueue: 'spare-q' })))).message).toMatch(
      /only a DISABLED job queue can be deleted/,
    );
    await client.send(new UpdateJobQueueCommand({ jobQueue: 'spare-q', state: 'DISABLED', priority: 7 }));
    const qd = await client.send(new DescribeJobQueuesCommand({ jobQueues: ['spare-q'] }));
    expect(qd.jobQueues?.[0]).toMatchObject({ state: 'DISABLED', priority: 7, status: 'UPDATING' });
    await client.send(new DeleteJobQueueCommand({ jobQueue: `${ARN_PREFIX}:job-queue/spare-q` }));
    const deleting = await client.send(new DescribeJobQueuesCommand({ jobQueues: ['spare-q'] }));
    expect(deleting.jobQueues?.[0]?.status).toBe('DELETING');
    await t.advance(80);
    expect((await client.send(new DescribeJobQueuesCommand({ jobQueues: ['spare-q'] }))).jobQueues).toEqual([]);

    await client.send(new DeleteComputeEnvironmentCommand({ computeEnvironment: 'spare' }));
    await t.advance(80);
    const gone = await client.send(new DescribeComputeEnvironmentsCommand({}));
    expect(gone.computeEnvironments?.map((c) => c.computeEnvironmentName)).toEqual(['main-ce']);
  });

  test('bad queue and environment requests are ClientExceptions that say why', async () => {
    expect(
      (
        await clientError(
          client.send(new CreateComputeEnvironmentCommand({ computeEnvironmentName: 'main-ce', type: 'UNMANAGED' })),
        )
      ).message,
    ).toMatch(/^Object already exists/);
    expect(
      (
        await clientError(
          client.send(new CreateComputeEnvironmentCommand({ computeEnvironmentName: 'm', type: 'MANAGED' })),
        )
      ).message,
    ).toMatch(/computeResources is required for a MANAGED compute environment/);
    expect(
      (
        await clientError(
          client.send(
            new CreateJobQueueCommand({
              jobQueueName: 'q2',
              priority: 1,
              computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'ghost' }],
            }),
          ),
        )
      ).message,
    ).toMatch(/computeEnvironmentOrder\[0\]\.computeEnvironment ghost does not exist/);
    expect(
      (
        await clientError(
          client.send(
            new CreateJobQueueCommand({
              jobQueueName: 'q3',
              priority: 5000,
              computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'main-ce' }],
            }),
          ),
        )
      ).message,
    ).toMatch(/priority is 5000; allowed 0 to 1000/);
    expect(
      (await clientError(client.send(new UpdateJobQueueCommand({ jobQueue: 'nope', state: 'DISABLED' })))).message,
    ).toMatch(/Job queue nope does not exist/);
  });
});

describe('scheduling policies', () => {
  test('create, describe, list with pages, update, and delete only when no queue uses it', async () => {
    const arns: string[] = [];
    for (const name of ['fs-a', 'fs-b', 'fs-c']) {
      const r = await client.send(
        new CreateSchedulingPolicyCommand({
          name,
          fairsharePolicy: { shareDecaySeconds: 3600, shareDistribution: [{ shareIdentifier: 'x', weightFactor: 1 }] },
        }),
      );
      arns.push(r.arn ?? '');
    }
    expect(arns[0]).toBe(`${ARN_PREFIX}:scheduling-policy/fs-a`);
    const first = await client.send(new ListSchedulingPoliciesCommand({ maxResults: 2 }));
    expect(first.schedulingPolicies?.map((p) => p.arn)).toEqual(arns.slice(0, 2));
    const second = await client.send(new ListSchedulingPoliciesCommand({ maxResults: 2, nextToken: first.nextToken }));
    expect(second.schedulingPolicies?.map((p) => p.arn)).toEqual([arns[2]]);
    expect(second.nextToken).toBeUndefined();

    await client.send(new UpdateSchedulingPolicyCommand({ arn: arns[1], fairsharePolicy: { computeReservation: 10 } }));
    const d = await client.send(
      new DescribeSchedulingPoliciesCommand({ arns: [arns[1], `${ARN_PREFIX}:scheduling-policy/none`] }),
    );
    expect(d.schedulingPolicies?.map((p) => [p.name, p.fairsharePolicy?.computeReservation])).toEqual([['fs-b', 10]]);

    await client.send(
      new CreateJobQueueCommand({
        jobQueueName: 'fair',
        priority: 1,
        schedulingPolicyArn: arns[0],
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'main-ce' }],
      }),
    );
    expect((await clientError(client.send(new DeleteSchedulingPolicyCommand({ arn: arns[0] })))).message).toMatch(
      /^Cannot delete, found existing JobQueue relationship: .* fair/,
    );
    await client.send(new DeleteSchedulingPolicyCommand({ arn: arns[2] }));
    const left = await client.send(new ListSchedulingPoliciesCommand({}));
    expect(left.schedulingPolicies?.map((p) => p.arn)).toEqual(arns.slice(0, 2));
    expect(
      (
        await clientError(
          client.send(new UpdateJobQueueCommand({ jobQueue: 'main-queue', schedulingPolicyArn: arns[1] })),
        )
      ).message,
    ).toMatch(/FIFO queue; a scheduling policy cannot be added/);
  });
});

describe('tags', () => {
  test('TagResource, UntagResource and ListTagsForResource on a queue and a job definition', async () => {
    const queueArn = `${ARN_PREFIX}:job-queue/main-queue`;
    await client.send(new TagResourceCommand({ resourceArn: queueArn, tags: { env: 'dev', owner: 'me' } }));
    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: queueArn }))).tags).toEqual({
      env: 'dev',
      owner: 'me',
    });
    await client.send(new UntagResourceCommand({ resourceArn: queueArn, tagKeys: ['owner'] }));
    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: queueArn }))).tags).toEqual({ env: 'dev' });
    const q = await client.send(new DescribeJobQueuesCommand({ jobQueues: ['main-queue'] }));
    expect(q.jobQueues?.[0]?.tags).toEqual({ env: 'dev' });

    const jdArn = `${ARN_PREFIX}:job-definition/hello:1`;
    await client.send(new TagResourceCommand({ resourceArn: jdArn, tags: { v: '1' } }));
    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: jdArn }))).tags).toEqual({ v: '1' });
  });

  test('an unknown ARN is a ClientException', async () => {
    const e = await clientError(
      client.send(new ListTagsForResourceCommand({ resourceArn: `${ARN_PREFIX}:job-queue/ghost` })),
    );
    expect(e.message).toMatch(/job-queue\/ghost does not exist or cannot be tagged/);
  });
});
