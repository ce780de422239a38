/**
 * `batchkit local serve` refuses what a web page can send — a foreign Host (DNS rebinding), any
 * Origin, a body that is not JSON — before it reads the body, so the refused request creates
 * nothing; the real SDK keeps working.
 */
import { request } from 'node:http';
import {
  DescribeComputeEnvironmentsCommand,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  ListJobsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-batch';
import { refusalOf } from '../../../lib/local/api/request-guard';
import { startTestService, type TestService } from './support';

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
});
afterAll(async () => {
  await t.close();
});

interface Raw {
  status: number;
  type: string | undefined;
  body: { __type?: string; message?: string };
}

/** One raw HTTP request to the server, headers exactly as given (Host included). */
function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: t.service.server.port, method, path, headers, setHost: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => {
          const type = res.headers['x-amzn-errortype'];
          resolve({
            status: res.statusCode ?? 0,
            type: Array.isArray(type) ? type[0] : type,
            body: text ? (JSON.parse(text) as Raw['body']) : {},
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const host = () => `127.0.0.1:${t.service.server.port}`;
const CE = JSON.stringify({
  computeEnvironmentName: 'evil-ce',
  type: 'MANAGED',
  computeResources: {
    type: 'EC2',
    maxvCpus: 4,
    instanceTypes: ['optimal'],
    subnets: ['subnet-1'],
    instanceRole: 'arn:aws:iam::123456789012:instance-profile/r',
  },
});
const QUEUE = JSON.stringify({
  jobQueueName: 'evil-q',
  priority: 1,
  computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'main-ce' }],
});
const JD = JSON.stringify({
  jobDefinitionName: 'evil-jd',
  type: 'container',
  containerProperties: {
    image: 'local/busybox:test',
    command: ['cat', '/host/etc/shadow'],
    resourceRequirements: [
      { type: 'VCPU', value: '1' },
      { type: 'MEMORY', value: '32' },
    ],
    volumes: [{ name: 'etc', host: { sourcePath: '/etc' } }],
    mountPoints: [{ sourceVolume: 'etc', containerPath: '/host/etc' }],
  },
});
const JOB = JSON.stringify({ jobName: 'evil', jobQueue: 'main-queue', jobDefinition: 'hello' });

describe('requests a web page can send are refused and create nothing', () => {
  test.each([
    [
      'an evil Origin',
      '/v1/createcomputeenvironment',
      CE,
      { Origin: 'http://evil.example', 'Content-Type': 'application/json' },
      403,
      'AccessDeniedException',
      new RegExp(
        String.raw`Refused a request sent by a web page \(Origin "http:\/\/evil\.` +
          String.raw`example"\).*Fix: call the API from a program`,
      ),
    ],
    [
      "another port's origin on this machine",
      '/v1/submitjob',
      JOB,
      { Origin: 'http://127.0.0.1:1', 'Content-Type': 'application/json' },
      403,
      'AccessDeniedException',
      /Origin "http:\/\/127\.0\.0\.1:1"/,
    ],
    [
      'the null Origin of a sandboxed page',
      '/v1/submitjob',
      JOB,
      { Origin: 'null', 'Content-Type': 'application/json' },
      403,
      'AccessDeniedException',
      /Origin "null"/,
    ],
    [
      'a text/plain body (a simple cross-site request)',
      '/v1/createjobqueue',
      QUEUE,
      { 'Content-Type': 'text/plain;charset=UTF-8' },
      415,
      'UnsupportedMediaTypeException',
      new RegExp(
        String.raw`Refused a request body sent as Content-Type "text\/plain;cha` +
          String.raw`rset=UTF-8": the API reads JSON only \(application\/json, ap` +
          String.raw`plication\/x-amz-json-1\.0, application\/x-amz-json-1\.1\).*` +
          String.raw`Fix: send the body with Content-Type: application\/json`,
      ),
    ],
    [
      'a form body',
      '/v1/submitjob',
      JOB,
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      415,
      'UnsupportedMediaTypeException',
      /application\/x-www-form-urlencoded/,
    ],
    [
      'a body without Content-Type',
      '/v1/submitjob',
      JOB,
      {},
      415,
      'UnsupportedMediaTypeException',
      /sent as no Content-Type/,
    ],
    [
      'a rebound Host name',
      '/v1/registerjobdefinition',
      JD,
      { Host: 'rebind.evil.example:PORT', 'Content-Type': 'application/json' },
      403,
      'AccessDeniedException',
      new RegExp(
        String.raw`Refused a request for Host "rebind\.evil\.example:\d+".*DNS ` +
          String.raw`rebinding.*Fix: use the endpoint http:\/\/127\.0\.0\.1:\d+, ` +
          String.raw`or start the server with --host`,
      ),
    ],
    [
      'a loopback Host on another port',
      '/v1/submitjob',
      JOB,
      { Host: '127.0.0.1:1', 'Content-Type': 'application/json' },
      403,
      'AccessDeniedException',
      /Host "127\.0\.0\.1:1"/,
    ],
    [
      'a Host without port (port 80)',
      '/v1/submitjob',
      JOB,
      { Host: 'localhost', 'Content-Type': 'application/json' },
      403,
      'AccessDeniedException',
      /Host "localhost"/,
    ],
    [
      'a cross-site fetch without Origin',
      '/v1/submitjob',
      JOB,
      { 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'application/json' },
      403,
      'AccessDeniedException',
      /cross-site/,
    ],
  ])('%s', async (_name, path, body, headers, status, type, message) => {
    const h: Record<string, string> = { ...headers };
    h.Host = (h.Host ?? host()).replace('PORT', String(t.service.server.port));
    const r = await raw('POST', path, h, body);
    expect([r.status, r.type, r.body.__type]).toEqual([status, type, type]);
    expect(r.body.message).toMatch(message);
  });

  test('an HTTP/1.1 request without Host is refused (by Node itself, 400)', async () => {
    const r = await raw('POST', '/v1/submitjob', { 'Content-Type': 'application/json' }, JOB);
    expect(r.status).toBe(400);
    expect(refusalOf('POST', { 'content-type': 'application/json' }, { port: 1 })?.message).toMatch(
      /Refused a request for Host \(none\)/,
    );
  });

  afterAll(async () => {
    // Nothing of the refused requests exists; the SDK (Host 127.0.0.1:port, application/json) is served.
    const ces = await t.client.send(new DescribeComputeEnvironmentsCommand({}));
    const queues = await t.client.send(new DescribeJobQueuesCommand({}));
    const defs = await t.client.send(new DescribeJobDefinitionsCommand({}));
    const jobs = await t.client.send(
      new ListJobsCommand({ jobQueue: 'main-queue', filters: [{ name: 'JOB_NAME', values: ['*'] }] }),
    );
    expect(ces.computeEnvironments?.map((c) => c.computeEnvironmentName)).toEqual(['main-ce']);
    expect(queues.jobQueues?.map((q) => q.jobQueueName)).toEqual(['main-queue']);
    expect(defs.jobDefinitions?.map((d) => d.jobDefinitionName)).toEqual(['hello']);
    expect(jobs.jobSummaryList).toEqual([]);
  });
});

describe('what the SDKs, the AWS CLI and job containers send is served', () => {
  test.each([
    ['Host 127.0.0.1 and application/json', { 'Content-Type': 'application/json' }, 'HOST'],
    ['Host localhost', { 'Content-Type': 'application/json' }, 'localhost:PORT'],
    ['Host [::1]', { 'Content-Type': 'application/json' }, '[::1]:PORT'],
    ['a charset parameter', { 'Content-Type': 'application/json; charset=utf-8' }, 'HOST'],
    ['awsJson 1.1', { 'Content-Type': 'application/x-amz-json-1.1' }, 'HOST'],
    ['awsJson 1.0', { 'Content-Type': 'application/x-amz-json-1.0' }, 'HOST'],
    [
      'Sec-Fetch-Site none (typed into the address bar)',
      { 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'none' },
      'HOST',
    ],
    [
      "the server's own origin (its dashboard's pages)",
      { 'Content-Type': 'application/json', Origin: 'http://ORIGIN', 'Sec-Fetch-Site': 'same-origin' },
      'HOST',
    ],
  ])('%s', async (_name, headers, hostHeader) => {
    const h = hostHeader === 'HOST' ? host() : hostHeader.replace('PORT', String(t.service.server.port));
    const withOrigin: Record<string, string> = { ...headers };
    if (withOrigin.Origin) withOrigin.Origin = withOrigin.Origin.replace('ORIGIN', h);
    const r = await raw('POST', '/v1/describejobqueues', { ...withOrigin, Host: h }, '{}');
    expect(r.status).toBe(200);
  });

  test('GET and DELETE without a body need no Content-Type (the SDK sends none)', async () => {
    const arn = 'arn:aws:batch:us-east-1:123456789012:job-queue/main-queue';
    const get = await raw('GET', `/v1/tags/${encodeURIComponent(arn)}`, { Host: host() });
    const del = await raw('DELETE', `/v1/tags/${encodeURIComponent(arn)}?tagKeys=a`, {
      Host: host(),
      'Content-Length': '0',
    });
    expect([get.status, del.status]).toEqual([200, 200]);
    expect((await t.client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({});
  });

  test('a GET with a text/plain body is refused', async () => {
    const arn = 'arn:aws:batch:us-east-1:123456789012:job-queue/main-queue';
    const r = await raw(
      'GET',
      `/v1/tags/${encodeURIComponent(arn)}`,
      { Host: host(), 'Content-Type': 'text/plain', 'Content-Length': '1' },
      'x',
    );
    expect(r.status).toBe(415);
  });
});

describe('an explicit --host', () => {
  test('its name is accepted besides the loopback names; other names are not', () => {
    const policy = { port: 9070, hostNames: ['devbox.lan'] };
    const json = { 'content-type': 'application/json' };
    expect(refusalOf('POST', { ...json, host: 'devbox.lan:9070' }, policy)).toBeUndefined();
    expect(refusalOf('POST', { ...json, host: 'localhost:9070' }, policy)).toBeUndefined();
    expect(refusalOf('POST', { ...json, host: 'evil.example:9070' }, policy)?.message).toMatch(
      /localhost, 127\.0\.0\.1 or \[::1\] or devbox\.lan on port 9070/,
    );
  });

  test('a wildcard bind accepts any Host, but still refuses Origins and non-JSON bodies', () => {
    const policy = { port: 9070, hostNames: ['0.0.0.0'], anyHost: true };
    expect(refusalOf('POST', { host: '192.168.1.5:9070', 'content-type': 'application/json' }, policy)).toBeUndefined();
    expect(
      refusalOf(
        'POST',
        { host: '192.168.1.5:9070', 'content-type': 'application/json', origin: 'http://evil.example' },
        policy,
      )?.status,
    ).toBe(403);
    expect(refusalOf('POST', { host: '192.168.1.5:9070', 'content-type': 'text/plain' }, policy)?.status).toBe(415);
  });
});
