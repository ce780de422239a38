/**
 * What the real clients send, recorded on a bare HTTP server: `@aws-sdk/client-batch` and Debian's
 * AWS CLI (`aws batch ... --endpoint-url`) send every POST body as `application/json` with the
 * endpoint's `host:port` as Host and no Origin, and send GET/DELETE tag requests without a body or
 * Content-Type. The request guard of `batchkit local serve` accepts exactly these.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListTagsForResourceCommand, SubmitJobCommand, UntagResourceCommand } from '@aws-sdk/client-batch';
import { refusalOf } from '../../../lib/local/api/request-guard';
import { sdkClient } from './support';

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly bodyBytes: number;
}

let server: Server;
let port: number;
const seen: Seen[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (d: Buffer) => (bytes += d.length));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        path: (req.url ?? '').split('?')[0],
        headers: req.headers,
        bodyBytes: bytes,
      });
      const body = req.url?.startsWith('/v1/submitjob')
        ? '{"jobName":"a","jobId":"1","jobArn":"arn:aws:batch:us-east-1:1:job/1"}'
        : '{}';
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const ARN = 'arn:aws:batch:us-east-1:123456789012:job-queue/q';
const summary = (s: Seen) => [
  s.method,
  s.path.startsWith('/v1/tags/') ? '/v1/tags/{arn}' : s.path,
  s.headers['content-type'] ?? null,
  s.headers.host,
  s.headers.origin ?? null,
  s.bodyBytes > 0,
];

function awsCli(args: string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const p = spawn(
      'aws',
      ['batch', ...args, '--endpoint-url', `http://127.0.0.1:${port}`, '--region', 'us-east-1', '--no-sign-request'],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'x',
          AWS_SECRET_ACCESS_KEY: 'x',
          AWS_PAGER: '',
          AWS_EC2_METADATA_DISABLED: 'true',
        },
        stdio: 'ignore',
      },
    );
    p.on('exit', resolve);
  });
}

test(
  'the SDK and the AWS CLI send JSON bodies as application/json, tag ' +
    'reads and deletes without a body, and no Origin',
  async () => {
    const client = sdkClient(`http://127.0.0.1:${port}`);
    try {
      await client.send(new SubmitJobCommand({ jobName: 'a', jobQueue: 'q', jobDefinition: 'd' }));
      await client.send(new ListTagsForResourceCommand({ resourceArn: ARN }));
      await client.send(new UntagResourceCommand({ resourceArn: ARN, tagKeys: ['k'] }));
    } finally {
      client.destroy();
    }
    expect(await awsCli(['submit-job', '--job-name', 'a', '--job-queue', 'q', '--job-definition', 'd'])).toBe(0);
    expect(await awsCli(['list-tags-for-resource', '--resource-arn', ARN])).toBe(0);
    expect(await awsCli(['untag-resource', '--resource-arn', ARN, '--tag-keys', 'k'])).toBe(0);
    const host = `127.0.0.1:${port}`;
    const expected = [
      ['POST', '/v1/submitjob', 'application/json', host, null, true],
      ['GET', '/v1/tags/{arn}', null, host, null, false],
      ['DELETE', '/v1/tags/{arn}', null, host, null, false],
    ];
    expect(seen.map(summary)).toEqual([...expected, ...expected]);
    // Every one of them passes the server's request guard.
    expect(seen.map((s) => refusalOf(s.method, s.headers, { port }))).toEqual(seen.map(() => undefined));
  },
);
