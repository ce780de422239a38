/**
 * Host access through the local Batch API: a definition mounting a host path outside the allowed
 * set is refused at RegisterJobDefinition (nothing registered) and, for the app's own definitions,
 * at SubmitJob (no job); privileged definitions are warned about once per revision.
 */
import {
  ClientException,
  DescribeJobDefinitionsCommand,
  ListJobsCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  type BatchClient,
} from '@aws-sdk/client-batch';
import { startLocalBatchService, type LocalBatchService } from '../../../lib/local/api';
import { ManualClock } from '../../../lib/local/clock';
import { FakeRuntime } from '../../../lib/testing/fake-runtime';
import { sampleModel, sdkClient } from './support';

let service: LocalBatchService;
let client: BatchClient;
let runtime: FakeRuntime;
const warnings: string[] = [];

const resources = [
  { type: 'VCPU' as const, value: '1' },
  { type: 'MEMORY' as const, value: '32' },
];

beforeAll(async () => {
  const model = sampleModel();
  model.jobDefinitions.push({
    jobDefinitionName: 'app-reads-etc',
    type: 'container',
    revision: 1,
    containerProperties: {
      image: 'i',
      resourceRequirements: resources,
      volumes: [{ name: 'etc', host: { sourcePath: '/etc' } }],
      mountPoints: [{ sourceVolume: 'etc', containerPath: '/host' }],
    },
  });
  const clock = new ManualClock(Date.now());
  runtime = new FakeRuntime(clock, () => ({ durationMs: 1000 }));
  service = await startLocalBatchService({
    model,
    runtime,
    storeDir: ':memory:',
    settleMs: 0,
    callbacks: false,
    executor: { clock, maxVcpus: 4, maxMemoryMiB: 4096, onWarning: (w) => warnings.push(w) },
  });
  client = sdkClient(service.server.url);
});
afterAll(async () => {
  client.destroy();
  await service.close();
});

async function refused(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ClientException);
  return (e as ClientException).message;
}

test('RegisterJobDefinition with a host volume on /etc is a ClientException and registers nothing', async () => {
  const message = await refused(
    client.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'shadow',
        type: 'container',
        containerProperties: {
          image: 'i',
          resourceRequirements: resources,
          volumes: [{ name: 'etc', host: { sourcePath: '/etc' } }],
          mountPoints: [{ sourceVolume: 'etc', containerPath: '/host' }],
        },
      }),
    ),
  );
  expect(message).toMatch(
    new RegExp(
      String.raw`^job definition "shadow" containerProperties\.volumes\[0\] \(` +
        String.raw`"etc"\) mounts host path \/etc, outside the host paths job c` +
        String.raw`ontainers may use: .*Fix: .*--allow-host-path \/etc`,
    ),
  );
  expect(
    (await client.send(new DescribeJobDefinitionsCommand({ jobDefinitionName: 'shadow' }))).jobDefinitions,
  ).toEqual([]);
});

test("SubmitJob of an app's definition that mounts /etc is a ClientException and creates no job", async () => {
  const message = await refused(
    client.send(new SubmitJobCommand({ jobName: 'x', jobQueue: 'main-queue', jobDefinition: 'app-reads-etc' })),
  );
  expect(message).toContain(
    'job definition "app-reads-etc" (revision 1) ' +
      'containerProperties.volumes[0] ("etc") mounts host path /etc, outside',
  );
  const jobs = await client.send(
    new ListJobsCommand({ jobQueue: 'main-queue', filters: [{ name: 'JOB_NAME', values: ['*'] }] }),
  );
  expect(jobs.jobSummaryList).toEqual([]);
  expect(runtime.started).toEqual([]);
});

test('a privileged definition is registered and warned about once per revision, at its first submission', async () => {
  await client.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: 'priv',
      type: 'container',
      containerProperties: { image: 'i', privileged: true, resourceRequirements: resources },
    }),
  );
  expect(warnings).toEqual([]);
  await client.send(new SubmitJobCommand({ jobName: 'p1', jobQueue: 'main-queue', jobDefinition: 'priv' }));
  await client.send(new SubmitJobCommand({ jobName: 'p2', jobQueue: 'main-queue', jobDefinition: 'priv' }));
  expect(warnings).toEqual([
    'warning: job definition "priv" (revision 1) ' +
      'containerProperties.privileged is true: its containers run with every ' +
      'capability and all host devices of this machine.',
  ]);
});
