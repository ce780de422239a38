import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobStateChangeEvent } from '../../../lib/core/model/events';
import { HandlerSink } from '../../../lib/local/events/handler-sink';
import { JsonlSink } from '../../../lib/local/events/jsonl-sink';
import { matchesPattern, type EventPattern } from '../../../lib/local/events/pattern';
import { WebhookSink, isLoopbackHost } from '../../../lib/local/events/webhook-sink';
import { harness, jobDef, model } from '../scheduler/fixture';

const DEF_ARN = 'arn:aws:batch:us-east-1:123456789012:job-definition/print-color:1';

describe('Batch Job State Change events', () => {
  test('one event per transition after submission, in AWS shape', async () => {
    const h = await harness(model([jobDef('print-color')]));
    const { jobId } = h.executor.submitJob({ jobName: 'one', jobQueue: 'q', jobDefinition: 'print-color' });
    await h.settle(3000);
    expect(h.events.map((e) => e.detail.status)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
    const e = h.events[3];
    expect(e).toMatchObject({
      version: '0',
      'detail-type': 'Batch Job State Change',
      source: 'aws.batch',
      account: '123456789012',
      region: 'us-east-1',
      resources: [`arn:aws:batch:us-east-1:123456789012:job/${jobId}`],
    });
    expect(e.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(e.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.detail).toMatchObject({
      jobArn: `arn:aws:batch:us-east-1:123456789012:job/${jobId}`,
      jobName: 'one',
      jobQueue: 'arn:aws:batch:us-east-1:123456789012:job-queue/q',
      jobDefinition: DEF_ARN,
      status: 'SUCCEEDED',
      statusReason: 'Essential container in task exited',
      retryStrategy: { attempts: 1, evaluateOnExit: [] },
      dependsOn: [],
      parameters: { greeting: 'hello' },
    });
    expect(h.events[0].detail.attempts).toEqual([]);
    expect(e.detail.container).toMatchObject({
      image: 'local/busybox:test',
      exitCode: 0,
      volumes: [],
      environment: [],
      mountPoints: [],
      ulimits: [],
      secrets: [],
    });
  });

  test("seed 003: the array-completion pattern selects only the parent's final event (8 → 1)", async () => {
    const h = await harness(model([jobDef('print-color')]));
    const { jobId } = h.executor.submitJob({
      jobName: 'print-color',
      jobQueue: 'q',
      jobDefinition: 'print-color',
      arrayProperties: { size: 7 },
    });
    await h.settle(5000);
    const naive: EventPattern = {
      source: ['aws.batch'],
      'detail-type': ['Batch Job State Change'],
      detail: { jobDefinition: [DEF_ARN], status: ['SUCCEEDED'] },
    };
    const fixed: EventPattern = {
      ...naive,
      detail: {
        jobDefinition: [DEF_ARN],
        status: ['SUCCEEDED'],
        container: { containerInstanceArn: [{ exists: false }] },
      },
    };
    expect(h.events.filter((e) => matchesPattern(naive, e))).toHaveLength(8);
    const selected = h.events.filter((e) => matchesPattern(fixed, e));
    expect(selected).toHaveLength(1);
    expect(selected[0].detail.jobId).toBe(jobId);
    expect(selected[0].detail.arrayProperties).toEqual({
      size: 7,
      statusSummary: { STARTING: 0, FAILED: 0, RUNNING: 0, SUCCEEDED: 7, RUNNABLE: 0, SUBMITTED: 0, PENDING: 0 },
    });
    expect(selected[0].detail.attempts).toEqual([]);
    const child = h.events.find((e) => e.detail.jobId === `${jobId}:3` && e.detail.status === 'SUCCEEDED')!;
    expect(child.detail.arrayProperties).toEqual({ statusSummary: {}, index: 3 });
    expect(child.detail.container).toMatchObject({
      containerInstanceArn: expect.stringMatching(/^arn:aws:ecs:/),
      taskArn: expect.stringMatching(/^arn:aws:ecs:.*:task\//),
      exitCode: 0,
      logStreamName: expect.stringMatching(/^print-color\/default\//),
    });
    expect(
      matchesPattern({ detail: { arrayProperties: { size: [{ exists: true }] }, status: ['SUCCEEDED'] } }, selected[0]),
    ).toBe(true);
  });

  test('the guide failed-jobs pattern', async () => {
    const h = await harness(model([jobDef('d')]), () => ({ exitCode: 1 }));
    h.executor.submitJob({ jobName: 'x', jobQueue: 'q', jobDefinition: 'd' });
    await h.settle(3000);
    const failed: EventPattern = {
      'detail-type': ['Batch Job State Change'],
      source: ['aws.batch'],
      detail: { status: ['FAILED'] },
    };
    expect(h.events.filter((e) => matchesPattern(failed, e)).map((e) => e.detail.status)).toEqual(['FAILED']);
  });
});

describe('event pattern matcher', () => {
  const event = {
    source: 'aws.batch',
    detail: {
      status: 'FAILED',
      attempts: [{ container: { exitCode: 137 } }],
      jobName: 'nightly-etl',
      container: { image: 'busybox' },
    },
  };
  test.each<[string, EventPattern, boolean]>([
    ['exact', { detail: { status: ['FAILED'] } }, true],
    ['exact miss', { detail: { status: ['SUCCEEDED'] } }, false],
    ['prefix', { detail: { jobName: [{ prefix: 'nightly-' }] } }, true],
    ['suffix', { detail: { jobName: [{ suffix: '-etl' }] } }, true],
    ['anything-but value', { detail: { status: [{ 'anything-but': 'SUCCEEDED' }] } }, true],
    ['anything-but list', { detail: { status: [{ 'anything-but': ['FAILED', 'SUCCEEDED'] }] } }, false],
    ['anything-but prefix', { detail: { jobName: [{ 'anything-but': { prefix: 'nightly' } }] } }, false],
    [
      'numeric in array of objects',
      { detail: { attempts: { container: { exitCode: [{ numeric: ['>', 100, '<=', 137] }] } } } },
      true,
    ],
    ['numeric miss', { detail: { attempts: { container: { exitCode: [{ numeric: ['<', 100] }] } } } }, false],
    ['exists true', { detail: { container: { image: [{ exists: true }] } } }, true],
    ['exists false on missing field', { detail: { container: { containerInstanceArn: [{ exists: false }] } } }, true],
    ['exists false on present field', { detail: { container: { image: [{ exists: false }] } } }, false],
    ['equals-ignore-case', { source: [{ 'equals-ignore-case': 'AWS.BATCH' }] }, true],
    ['several fields all must match', { source: ['aws.batch'], detail: { status: ['SUCCEEDED'] } }, false],
  ])('%s', (_name, pattern, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });
});

describe('event sinks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'batchkit-events-'));

  test('JSON lines file gets every event in order', async () => {
    const path = join(dir, 'sub', 'events.jsonl');
    const h = await harness(model([jobDef('d')]), undefined, { eventSinks: [new JsonlSink(path)] });
    h.executor.submitJob({ jobName: 'x', jobQueue: 'q', jobDefinition: 'd' });
    await h.settle(3000);
    await h.executor.waitForIdle();
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JobStateChangeEvent);
    expect(lines.map((e) => e.detail.status)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
    expect(lines.map((e) => e.id)).toEqual(h.events.map((e) => e.id));
  });

  test('handler module is invoked like a Lambda with each event', async () => {
    const mod = join(dir, 'handler.js');
    const out = join(dir, 'handled.txt');
    writeFileSync(
      mod,
      `const fs = require('fs');\nexports.handler = async (event, context) => ` +
        `{ fs.appendFileSync(${JSON.stringify(out)}, event.detail.status + ' ' ` +
        `+ context.functionName + ' ' + typeof context.getRemainingTimeInMillis() + '\\n'); };\n`,
    );
    const h = await harness(model([jobDef('d')]), undefined, { eventSinks: [new HandlerSink(mod)] });
    h.executor.submitJob({ jobName: 'x', jobQueue: 'q', jobDefinition: 'd' });
    await h.settle(3000);
    await h.executor.waitForIdle();
    expect(readFileSync(out, 'utf8')).toBe(
      'RUNNABLE handler number\nSTARTING handler number\nRUNNING handler number\nSUCCEEDED handler number\n',
    );
  });

  test('a handler module without handler() is rejected clearly', () => {
    const mod = join(dir, 'nohandler.js');
    writeFileSync(mod, 'exports.other = 1;\n');
    expect(() => new HandlerSink(mod)).toThrow(/does not export a function named "handler"/);
  });

  test('handler modules: a missing file, one that throws on load, and a transpiled ES module (default.handler)', () => {
    const missing = join(dir, 'missing.js');
    expect(() => new HandlerSink(missing)).toThrow(
      expect.objectContaining({
        code: 'BATCHKIT-LOCAL-502',
        kind: 'input',
        message: expect.stringContaining(`${missing} does not exist`),
      }),
    );
    const broken = join(dir, 'broken.js');
    writeFileSync(broken, 'throw new Error("boom");\n');
    expect(() => new HandlerSink(broken)).toThrow(
      new RegExp(
        String.raw`--on-event ".*broken\.js" could not be loaded: boom\. Fix: p` + String.raw`ass a CommonJS module`,
      ),
    );
    const esm = join(dir, 'esm.js');
    writeFileSync(
      esm,
      'Object.defineProperty(exports, "__esModule", { value: true ' +
        '});\nexports.default = { handler: async () => undefined };\n',
    );
    expect(new HandlerSink(esm).name).toBe(`handler:${esm}`);
  });

  test('webhook on loopback receives each event as a POST; a failing one is reported, never stops jobs', async () => {
    const bodies: JobStateChangeEvent[] = [];
    const server = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(data) as JobStateChangeEvent);
        res.statusCode = bodies.length === 1 ? 500 : 204;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const errors: string[] = [];
    const h = await harness(model([jobDef('d')]), undefined, {
      eventSinks: [new WebhookSink(`http://127.0.0.1:${port}/events`)],
      onSinkError: (sink, e) => errors.push(`${sink.name}: ${(e as Error).message}`),
    });
    const { jobId } = h.executor.submitJob({ jobName: 'x', jobQueue: 'q', jobDefinition: 'd' });
    await h.settle(3000);
    await h.executor.waitForIdle();
    server.close();
    expect(bodies.map((b) => b.detail.status)).toEqual(['RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED']);
    expect(errors).toEqual([
      `webhook:http://127.0.0.1:${port}/events: webhook http://127.0.0.1:` +
        `${port}/events answered 500 Internal Server Error`,
    ]);
    expect(h.executor.describeJobs([jobId])[0].status).toBe('SUCCEEDED');
  });

  test.each(['http://example.com/hook', 'http://10.0.0.1/x', 'ftp://127.0.0.1/x', 'not a url'])(
    'webhook %s is refused',
    (url) => {
      expect(() => new WebhookSink(url)).toThrow(/--webhook/);
    },
  );

  test('a webhook off this machine is an input error that names the allowed hosts and the fix', () => {
    expect(() => new WebhookSink('http://example.com/hook')).toThrow(
      expect.objectContaining({
        code: 'BATCHKIT-LOCAL-501',
        kind: 'input',
        message:
          '--webhook "http://example.com/hook" must be an http:// URL on this ' +
          'machine (host 127.0.0.0/8, localhost or [::1]; https:// works too), ' +
          'not http://example.com. Fix: run the receiver locally and pass e.g. ' +
          '--webhook http://127.0.0.1:9000/events; batchkit never sends events off this machine.',
      }),
    );
    expect(new WebhookSink('http://[::1]:9000/e').name).toBe('webhook:http://[::1]:9000/e');
  });

  test.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['[::1]', true],
    ['128.0.0.1', false],
    ['localhost.example.com', false],
  ])('loopback host %s → %p', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
