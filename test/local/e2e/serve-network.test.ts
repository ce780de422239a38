/**
 * Network modes under the local Batch API (real Docker): a job definition registered through the API
 * keeps AWS's network mode — an EC2 job shares the host's network and calls the API back through
 * AWS_ENDPOINT_URL_BATCH; a Fargate job has a namespace of its own with no network, so it cannot
 * reach the server on this machine's loopback (it used to get the host network like every job).
 */
import {
  DescribeJobsCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  type BatchClient,
  type JobDetail,
} from '@aws-sdk/client-batch';
import { emptyBatchModel } from '../../../lib/core/model/batch-model';
import { startLocalBatchService, type LocalBatchService } from '../../../lib/local/api';
import { DockerRuntime } from '../../../lib/local/runtime/docker-runtime';
import { sdkClient } from '../api/support';
import { IMAGE, ce, messages, queue } from './support';

let service: LocalBatchService;
let client: BatchClient;

beforeAll(async () => {
  const fargateCe = {
    computeEnvironmentName: 'fargate',
    type: 'MANAGED' as const,
    state: 'ENABLED' as const,
    computeResources: { type: 'FARGATE' as const, maxvCpus: 4, subnets: ['subnet-1'] },
  };
  service = await startLocalBatchService({
    model: {
      ...emptyBatchModel(),
      computeEnvironments: [ce('ec2', 2), fargateCe],
      jobQueues: [queue('q', ['ec2']), queue('fq', ['fargate'])],
    },
    runtime: new DockerRuntime(),
    storeDir: ':memory:',
    settleMs: 0,
  });
  client = sdkClient(service.server.url);
});
afterAll(async () => {
  client.destroy();
  await service.close();
});

// busybox's nc speaks plain HTTP/1.0 to the server's address from AWS_ENDPOINT_URL_BATCH.
const CALL_API = [
  'sh',
  '-c',
  'hostport=${AWS_ENDPOINT_URL_BATCH#http://}; printf "POST ' +
    '/v1/describejobqueues HTTP/1.0\\r\\nHost: $hostport\\r\\nContent-Type: ' +
    'application/json\\r\\nContent-Length: 2\\r\\n\\r\\n{}" | nc -w 3 ' +
    '${hostport%:*} ${hostport#*:} >/tmp/reply; rc=$?; head -n 1 /tmp/reply | tr -d "\\r"; echo "exit=$rc"',
];

async function runThroughApi(name: string, fargate: boolean): Promise<JobDetail> {
  await client.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: name,
      type: 'container',
      ...(fargate ? { platformCapabilities: ['FARGATE'] } : {}),
      containerProperties: {
        image: IMAGE,
        command: CALL_API,
        resourceRequirements: [
          { type: 'VCPU', value: fargate ? '0.25' : '1' },
          { type: 'MEMORY', value: fargate ? '512' : '32' },
        ],
        ...(fargate ? { executionRoleArn: 'arn:aws:iam::123456789012:role/exec' } : {}),
      },
    }),
  );
  const { jobId } = await client.send(
    new SubmitJobCommand({ jobName: name, jobQueue: fargate ? 'fq' : 'q', jobDefinition: name }),
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [job] = (await client.send(new DescribeJobsCommand({ jobs: [jobId ?? ''] }))).jobs ?? [];
    if (job?.status === 'SUCCEEDED' || job?.status === 'FAILED') return job;
    if (Date.now() > deadline) throw new Error(`${name} did not finish: ${job?.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('an EC2 job registered through the API reaches the API on the host network', async () => {
  const job = await runThroughApi('ec2-call', false);
  expect(job.status).toBe('SUCCEEDED');
  expect(job.platformCapabilities).toBeUndefined(); // not registered: EC2, and absent as on AWS
  expect(messages(service.executor, job.jobId ?? '')).toEqual(['HTTP/1.1 200 OK', 'exit=0']);
});

test('a Fargate job registered through the API has no network: it cannot reach the API', async () => {
  const job = await runThroughApi('fargate-call', true);
  expect(job.status).toBe('SUCCEEDED');
  expect(job.platformCapabilities).toEqual(['FARGATE']);
  const out = messages(service.executor, job.jobId ?? '');
  expect(out.some((l) => l.startsWith('HTTP/'))).toBe(false);
  expect(out.filter((l) => l.startsWith('exit='))).toEqual([expect.stringMatching(/^exit=[1-9]\d*$/)]);
});
