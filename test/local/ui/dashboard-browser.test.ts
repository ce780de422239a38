/**
 * The live dashboard of `batchkit local serve` in headless Chromium: a job submitted with the AWS
 * SDK appears and its state changes show within 2 s; Cancel in the job panel cancels a waiting
 * job through the Batch API. Also `local run --dashboard` and the dashboard server's Host/Origin checks.
 */
import { BatchClient, DescribeJobsCommand, SubmitJobCommand } from '@aws-sdk/client-batch';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { request } from 'http';
import { tmpdir } from 'os';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { launchBrowser, recordingPage, screenshot } from '../../_helpers/browser';
import { cliContainer, cliJobDefinition, cliTemplate, startCli, type CliProcess } from '../../_helpers/cli';

let dir: string;
let browser: Browser;
let serve: CliProcess;
let url: string;
let batch: BatchClient;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-dashboard-'));
  mkdirSync(path.join(dir, 'signal'));
  writeFileSync(
    path.join(dir, 'template.json'),
    JSON.stringify(
      cliTemplate({
        Wait: cliJobDefinition('wait', [], {
          ContainerProperties: {
            ...cliContainer([
              'sh',
              '-c',
              'while [ ! -e /signal/go-$AWS_BATCH_JOB_ID ] && [ ! -e /signal/go-all ' +
                ']; do sleep 0.1; done; echo done',
            ]),
            Volumes: [{ Name: 'signal', Host: { SourcePath: path.join(dir, 'signal') } }],
            MountPoints: [{ SourceVolume: 'signal', ContainerPath: '/signal' }],
          },
        }),
        Quick: cliJobDefinition('quick', ['sh', '-c', 'echo quick']),
      }),
    ),
  );
  serve = startCli(['local', 'serve', '--app', 'template.json', '--port', '0', '--store', '.batchkit', '--json'], {
    cwd: dir,
  });
  const [line] = await serve.waitFor('stdout', /^\{.*\}\n/m, 60_000);
  const info = JSON.parse(line) as { url: string; dashboard: string };
  url = info.url;
  expect(info.dashboard).toBe(`${url}/`);
  batch = new BatchClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  // Let any job still waiting for its signal end, so the server stops with nothing running.
  for (const f of ['go-all']) writeFileSync(path.join(dir, 'signal', f), '');
  await browser?.close();
  batch?.destroy();
  serve?.kill('SIGTERM');
  await serve?.exited;
  rmSync(dir, { recursive: true, force: true });
});

async function statusOf(jobId: string): Promise<string | undefined> {
  const r = await batch.send(new DescribeJobsCommand({ jobs: [jobId] }));
  return r.jobs?.[0]?.status;
}

async function until(fn: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a job submitted with the SDK shows up and its state changes show within 2 s; Cancel works', async () => {
  const { page, errors } = await recordingPage(browser);
  await page.goto(`${url}/`);
  await page.waitForSelector('#queues table');

  // The job waits for a file the test creates, so the test decides when it ends.
  const { jobId } = await batch.send(
    new SubmitJobCommand({ jobName: 'live-job', jobQueue: 'q', jobDefinition: 'wait' }),
  );
  const blocked = await batch.send(
    new SubmitJobCommand({
      jobName: 'to-cancel',
      jobQueue: 'q',
      jobDefinition: 'quick',
      dependsOn: [{ jobId: jobId! }],
    }),
  );
  await until(async () => (await statusOf(jobId!)) === 'RUNNING');
  await page.waitForSelector(`#graph .job-node.status-RUNNING[data-job-id="${jobId}"]`, { timeout: 2000 });
  expect(await page.locator(`#graph .job-node[data-job-id="${blocked.jobId}"]`).getAttribute('class')).toContain(
    'status-PENDING',
  );

  // Cancel the PENDING dependant from its panel: CancelJob through the API, from the page's own origin.
  // As on AWS, a PENDING job is cancelled once its dependencies complete.
  await page.click(`#graph .job-node[data-job-id="${blocked.jobId}"]`);
  await page.click('#panel button[data-action="cancel"]');

  // Let the first job end: SUCCEEDED on the page within 2 s of the API saying so.
  writeFileSync(path.join(dir, 'signal', `go-${jobId}`), '');
  await until(async () => (await statusOf(jobId!)) === 'SUCCEEDED');
  await page.waitForSelector(`#graph .job-node.status-SUCCEEDED[data-job-id="${jobId}"]`, { timeout: 2000 });
  await until(async () => (await statusOf(blocked.jobId!)) === 'FAILED');
  await page.waitForSelector(`#graph .job-node.status-FAILED[data-job-id="${blocked.jobId}"]`, { timeout: 2000 });
  const [cancelled] = (await batch.send(new DescribeJobsCommand({ jobs: [blocked.jobId!] }))).jobs ?? [];
  expect(cancelled?.statusReason).toBe('Cancelled from the batchkit dashboard');
  expect(await page.locator('#timeline .attempt-bar').count()).toBe(1);
  await screenshot(page, 'dashboard.png');
  expect(errors).toEqual([]);
  await page.close();
});

function get(port: number, pathName: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: pathName, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

test('the dashboard data is JSON of the run, and the page is HTML with no external resource', async () => {
  const port = Number(new URL(url).port);
  const page = await fetch(`${url}/`);
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  const html = await page.text();
  expect(html).toContain('"dataUrl":"/_batchkit/run.json"');
  expect(html).not.toMatch(/<script[^>]+src=|<link /);
  const data = (await (await fetch(`${url}/_batchkit/run.json`)).json()) as { jobs: Array<{ name: string }> };
  expect(data.jobs.map((j) => j.name).sort()).toEqual(['live-job', 'to-cancel']);
  expect(await get(port, '/_batchkit/run.json', { Host: `127.0.0.1:${port}` })).toBe(200);
  // The API's Host and Origin checks guard the dashboard too (DNS rebinding, other web pages).
  expect(await get(port, '/', { Host: `rebind.evil.example:${port}` })).toBe(403);
  expect(await get(port, '/_batchkit/run.json', { Host: `127.0.0.1:${port}`, Origin: 'http://evil.example' })).toBe(
    403,
  );
});

test('local run --dashboard prints a read-only dashboard URL that answers only its own Host and Origin', async () => {
  const run = startCli(
    [
      'local',
      'run',
      '--app',
      'template.json',
      '--job-queue',
      'q',
      '--job-definition',
      'wait',
      '--job-name',
      'dash-run',
      '--store',
      '.batchkit-run',
      '--dashboard',
    ],
    { cwd: dir },
  );
  const [, board] = await run.waitFor('stderr', /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)\n/);
  const port = Number(new URL(board!).port);
  const html = await (await fetch(board!)).text();
  expect(html).toContain('"actions":false');
  expect(await get(port, '/_batchkit/run.json', { Host: `localhost:${port}` })).toBe(200);
  expect(await get(port, '/_batchkit/run.json', { Host: `rebind.evil.example:${port}` })).toBe(403);
  expect(await get(port, '/_batchkit/run.json', { Host: `127.0.0.1:${port}`, Origin: 'http://evil.example' })).toBe(
    403,
  );
  expect(await get(port, '/v1/describejobs', { Host: `127.0.0.1:${port}` })).toBe(404);
  const [, jobId] = await run.waitFor('stderr', /submitted dash-run: (\S+)\n/);
  writeFileSync(path.join(dir, 'signal', `go-${jobId}`), '');
  expect((await run.done).code).toBe(0);
  await expect(fetch(board!)).rejects.toThrow();
});
