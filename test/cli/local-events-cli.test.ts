/**
 * `batchkit local run --on-event <module>` and `--webhook <url>` through the built binary on the
 * real Docker engine: every event reaches the handler module and the loopback webhook in order,
 * "Batch Job Queue Blocked" included, and bad sink flags exit 2 before Docker is asked.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer, type IncomingHttpHeaders } from 'http';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import * as path from 'path';
import type { BatchJobEvent } from '../../lib/core/model/events';
import { cliJobDefinition, cliTemplate, runCli, startCli } from '../_helpers/cli';

const TOO_BIG =
  'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE - compute ' +
  'environment "ce1" (EC2): the job needs 4 vCPUs but maxvCpus is 2.';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-cli-events-'));
  const template = cliTemplate({ EchoDef: cliJobDefinition('echo', ['echo', 'hi']) });
  writeFileSync(path.join(dir, 'template.json'), JSON.stringify(template));
  // The handler appends one line per event: detail-type, job name, status, reason, function name.
  writeFileSync(
    path.join(dir, 'handler.js'),
    `const fs = require('fs');
exports.handler = async (event, context) => {
  const d = event.detail;
  const fields = [event['detail-type'], d.jobName, d.status, d.statusReason || '', context.functionName];
  fs.appendFileSync(process.env.HANDLED_FILE, fields.join('|') + '\\n');
};
`,
  );
  writeFileSync(
    path.join(dir, 'jobs.json'),
    JSON.stringify({
      jobs: [
        { name: 'fits', queue: 'q', jobDefinition: 'echo' },
        { name: 'too-big', queue: 'q', jobDefinition: 'echo', vcpus: 4 },
      ],
    }),
  );
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function store(name: string): string[] {
  return ['--store', path.join(dir, name)];
}

function handled(file: string): string[] {
  return readFileSync(file, 'utf8').trim().split('\n');
}

test('--on-event: the handler module gets every event of a job in order, SUBMITTED excluded', () => {
  const file = path.join(dir, 'handled-ok.txt');
  const r = runCli(
    [
      'local',
      'run',
      '--app',
      'template.json',
      '--job-queue',
      'q',
      '--job-definition',
      'echo',
      '--job-name',
      'ok',
      '--on-event',
      'handler.js',
      ...store('s1'),
    ],
    {
      cwd: dir,
      env: { HANDLED_FILE: file },
    },
  );
  expect(r.stderr).not.toMatch(/event sink .* failed/);
  expect(r.code).toBe(0);
  expect(handled(file)).toEqual([
    'Batch Job State Change|ok|RUNNABLE||handler',
    'Batch Job State Change|ok|STARTING||handler',
    'Batch Job State Change|ok|RUNNING||handler',
    'Batch Job State Change|ok|SUCCEEDED|Essential container in task exited|handler',
  ]);
});

test(
  '--on-event: a job too big for its queue: RUNNABLE, then "Batch Job ' + 'Queue Blocked" with the reason; exit 1',
  () => {
    const file = path.join(dir, 'handled-big.txt');
    const r = runCli(
      [
        'local',
        'run',
        '--app',
        'template.json',
        '--job-queue',
        'q',
        '--job-definition',
        'echo',
        '--job-name',
        'too-big',
        '--vcpus',
        '4',
        '--on-event',
        'handler.js',
        ...store('s2'),
      ],
      {
        cwd: dir,
        env: { HANDLED_FILE: file },
      },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is RUNNABLE and cannot start: .*MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE/);
    expect(handled(file)).toEqual([
      `Batch Job State Change|too-big|RUNNABLE|${TOO_BIG}|handler`,
      `Batch Job Queue Blocked|too-big|RUNNABLE|${TOO_BIG}|handler`,
    ]);
    // Progress on stderr reports status changes only: the blocked event is not a status.
    expect(r.stderr.match(/\(\S+\) RUNNABLE/g)).toHaveLength(1);
  },
);

test('--on-event: a module that does not exist exits 2 with the path and the fix', () => {
  const r = runCli(
    [
      'local',
      'run',
      '--app',
      'template.json',
      '--job-queue',
      'q',
      '--job-definition',
      'echo',
      '--on-event',
      'missing.js',
      ...store('s3'),
    ],
    { cwd: dir },
  );
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(
    `batchkit: error BATCHKIT-LOCAL-502: --on-event "missing.js": ` +
      `${path.join(dir, 'missing.js')} does not exist. Fix: pass the path of a JavaScript module`,
  );
});

test('--webhook on loopback: a local server receives every event in order, as JSON POSTs', async () => {
  const received: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders; event: BatchJobEvent }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        event: JSON.parse(body) as BatchJobEvent,
      });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    const r = await startCli(
      [
        'local',
        'run',
        '--app',
        'template.json',
        '--file',
        'jobs.json',
        '--webhook',
        `http://127.0.0.1:${port}/`,
        '--json',
        ...store('s4'),
      ],
      { cwd: dir },
    ).done;
    expect(r.stderr).not.toMatch(/event sink .* failed/);
    expect(r.code).toBe(1);
    const jobs: Array<{ jobName: string; jobId: string; status: string }> = JSON.parse(r.stdout).jobs;
    expect(jobs.map((j) => [j.jobName, j.status])).toEqual([
      ['fits', 'SUCCEEDED'],
      ['too-big', 'RUNNABLE'],
    ]);
    expect(
      received.every((x) => x.method === 'POST' && x.url === '/' && x.headers['content-type'] === 'application/json'),
    ).toBe(true);
    const of = (name: string) =>
      received
        .filter((x) => x.event.detail.jobName === name)
        .map((x) => `${x.event['detail-type']}/${x.event.detail.status}`);
    expect(of('fits')).toEqual([
      'Batch Job State Change/RUNNABLE',
      'Batch Job State Change/STARTING',
      'Batch Job State Change/RUNNING',
      'Batch Job State Change/SUCCEEDED',
    ]);
    expect(of('too-big')).toEqual(['Batch Job State Change/RUNNABLE', 'Batch Job Queue Blocked/RUNNABLE']);
    expect(received).toHaveLength(6);
    const blocked = received.find((x) => x.event['detail-type'] === 'Batch Job Queue Blocked')!.event;
    const big = jobs.find((j) => j.jobName === 'too-big')!;
    expect(blocked.resources).toEqual([
      `arn:aws:batch:us-east-1:123456789012:job/${big.jobId}`,
      'arn:aws:batch:us-east-1:123456789012:job-queue/q',
    ]);
    expect(blocked.detail.statusReason).toBe(TOO_BIG);
    // Events of one job arrive in the order they happened.
    const times = received.filter((x) => x.event.detail.jobName === 'fits').map((x) => Date.parse(x.event.time));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  } finally {
    server.close();
  }
});

test('--webhook off this machine exits 2 with the message and the fix', () => {
  const r = runCli(
    [
      'local',
      'run',
      '--app',
      'template.json',
      '--job-queue',
      'q',
      '--job-definition',
      'echo',
      '--webhook',
      'http://example.com/hook',
      ...store('s5'),
    ],
    { cwd: dir },
  );
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(
    'batchkit: error BATCHKIT-LOCAL-501: --webhook ' +
      '"http://example.com/hook" must be an http:// URL on this machine (host ' +
      '127.0.0.0/8, localhost or [::1]; https:// works too), not ' +
      'http://example.com. Fix: run the receiver locally and pass e.g. ' +
      '--webhook http://127.0.0.1:9000/events; batchkit never sends events off this machine.',
  );
  expect(r.stdout).toBe('');
});
