/**
 * Network modes on the real engine: an ECS-EC2 job shares the host's network (AWS runs simple EC2
 * jobs in `host` mode), so it reaches a server on this machine's loopback; a Fargate job has a
 * network namespace of its own (`none` locally: no bridge networks), so it cannot.
 */
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { ce, def, dockerHarness, queue, streamMessages, type DockerHarness } from './support';
import { emptyBatchModel } from '../../../lib/core/model/batch-model';

let h: DockerHarness;
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((_req, res) => res.end('pong from the host'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  // busybox's nc speaks plain HTTP/1.0 (Debian's static busybox wget crashes on name services).
  const fetch = [
    'sh',
    '-c',
    'printf "GET / HTTP/1.0\\r\\n\\r\\n" | nc -w 3 127.0.0.1 "$PORT" ' +
      '>/tmp/reply; rc=$?; tail -n 1 /tmp/reply; echo; echo "exit=$rc"',
  ];
  const fargateCe = {
    computeEnvironmentName: 'fargate',
    type: 'MANAGED' as const,
    state: 'ENABLED' as const,
    computeResources: { type: 'FARGATE' as const, maxvCpus: 4, subnets: ['subnet-1'] },
  };
  h = await dockerHarness({
    ...emptyBatchModel(),
    computeEnvironments: [ce('ce1', 2), fargateCe],
    jobQueues: [queue('q', ['ce1']), queue('fq', ['fargate'])],
    jobDefinitions: [
      def('ec2-fetch', fetch, {}, { environment: [{ name: 'PORT', value: String(port) }] }),
      def(
        'fargate-fetch',
        fetch,
        { platformCapabilities: ['FARGATE'] },
        {
          environment: [{ name: 'PORT', value: String(port) }],
          executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
          resourceRequirements: [
            { type: 'VCPU', value: '0.25' },
            { type: 'MEMORY', value: '512' },
          ],
        },
      ),
    ],
  });
});

afterAll(async () => {
  await h.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('an EC2 job reaches a loopback server of this host (host network mode)', async () => {
  const d = await h.run({ jobName: 'ec2', jobDefinition: 'ec2-fetch' });
  expect(d.status).toBe('SUCCEEDED');
  // Per stream: the order between stdout and stderr lines is the engine's, not the container's.
  expect(streamMessages(h.executor, d.jobId, 'stdout')).toEqual(['pong from the host', 'exit=0']);
});

test('a Fargate job has no route to this host (its own network namespace)', async () => {
  const d = await h.run({ jobName: 'fargate', jobDefinition: 'fargate-fetch', jobQueue: 'fq' });
  expect(d.status).toBe('SUCCEEDED');
  // nc's complaint goes to stderr, stored before or after the stdout lines: only stdout's own order counts.
  const out = streamMessages(h.executor, d.jobId, 'stdout');
  expect(out).not.toContain('pong from the host');
  expect(out[out.length - 1]).toMatch(/^exit=[1-9]\d*$/);
  expect(streamMessages(h.executor, d.jobId, 'stderr')).not.toContain('pong from the host');
});
