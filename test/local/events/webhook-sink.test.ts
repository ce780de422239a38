/**
 * The webhook sink never sends an event off this machine: a redirect is a failed delivery (the
 * target of the redirect receives nothing), and loopback is recognised in every spelling the URL
 * parser produces, IPv4-mapped IPv6 (`[::ffff:127.0.0.1]`, rewritten `[::ffff:7f00:1]`) included.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BatchJobEvent } from '../../../lib/core/model/events';
import { WebhookSink, isLoopbackHost } from '../../../lib/local/events/webhook-sink';

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function serve(
  handler: (req: IncomingMessage, body: string) => { status: number; headers?: Record<string, string> },
): Promise<number> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const r = handler(req, body);
      res.writeHead(r.status, r.headers).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const event = {
  version: '0',
  id: 'e1',
  'detail-type': 'Batch Job State Change',
  source: 'aws.batch',
  detail: { status: 'RUNNABLE' },
} as unknown as BatchJobEvent;

test('a redirect is not followed: the delivery fails and the redirect target receives nothing', async () => {
  const received: string[] = [];
  const target = await serve((req, body) => {
    received.push(`${req.method} ${req.url} ${body}`);
    return { status: 200 };
  });
  const port = await serve(() => ({ status: 307, headers: { location: `http://127.0.0.1:${target}/stolen` } }));
  const sink = new WebhookSink(`http://127.0.0.1:${port}/events`);
  await expect(sink.deliver(event)).rejects.toThrow(
    `webhook http://127.0.0.1:${port}/events answered 307 (a redirect to ` +
      `http://127.0.0.1:${target}/stolen); batchkit does not follow ` +
      `redirects, so events never leave this machine. Fix: point --webhook at the final URL.`,
  );
  expect(received).toEqual([]);
});

test('a 2xx answer is a delivery (the event is the JSON body)', async () => {
  const bodies: string[] = [];
  const port = await serve((_req, body) => {
    bodies.push(body);
    return { status: 204 };
  });
  await new WebhookSink(`http://127.0.0.1:${port}/`).deliver(event);
  expect(bodies.map((b) => JSON.parse(b) as { id: string }).map((b) => b.id)).toEqual(['e1']);
});

test.each([
  ['localhost', true],
  ['127.0.0.1', true],
  ['127.8.9.10', true],
  ['[::1]', true],
  ['[0:0:0:0:0:0:0:1]', true],
  ['[::ffff:127.0.0.1]', true],
  ['[::ffff:7f00:1]', true],
  ['[::ffff:7f08:90a]', true],
  ['[::ffff:10.0.0.1]', false],
  ['[::ffff:a00:1]', false],
  ['[::2]', false],
  ['[::]', false],
  ['128.0.0.1', false],
  ['0.0.0.0', false],
  ['localhost.example.com', false],
  ['127.0.0.1.nip.io', false],
])('loopback host %s → %p', (host, expected) => {
  expect(isLoopbackHost(host)).toBe(expected);
});

test('an IPv4-mapped loopback URL is accepted; a mapped address off this machine is refused', () => {
  expect(new WebhookSink('http://[::ffff:127.0.0.1]:9000/e').name).toBe('webhook:http://[::ffff:7f00:1]:9000/e');
  expect(() => new WebhookSink('http://[::ffff:10.0.0.1]:9000/e')).toThrow(
    expect.objectContaining({ code: 'BATCHKIT-LOCAL-501' }),
  );
});
