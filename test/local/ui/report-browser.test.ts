/**
 * `batchkit local report` of a real run on Docker (an array, an N_TO_N array on it, a job retried
 * once), opened from disk in headless Chromium: every job is on the page, one bar per stored
 * attempt, one edge per dependency, no console error and no network request.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { SqliteJobStore } from '../../../lib/local/store/sqlite-store';
import type { JobRecord } from '../../../lib/local/scheduler/job-record';
import { launchBrowser, recordingPage, screenshot } from '../../_helpers/browser';
import { cliJobDefinition, cliTemplate, runCli } from '../../_helpers/cli';

let dir: string;
let browser: Browser;
let records: JobRecord[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-report-'));
  writeFileSync(
    path.join(dir, 'template.json'),
    JSON.stringify(
      cliTemplate({
        Prep: cliJobDefinition('prep', ['sh', '-c', 'echo preparing']),
        Work: cliJobDefinition('work', ['sh', '-c', 'echo item $AWS_BATCH_JOB_ARRAY_INDEX']),
        Flaky: cliJobDefinition('flaky', ['sh', '-c', 'echo "trying </script><b>x</b>"; exit 3']),
      }),
    ),
  );
  writeFileSync(
    path.join(dir, 'jobs.json'),
    JSON.stringify({
      jobs: [
        { name: 'prep', queue: 'q', jobDefinition: 'prep' },
        { name: 'work', queue: 'q', jobDefinition: 'work', dependsOn: ['prep'], arraySize: 3 },
        {
          name: 'post',
          queue: 'q',
          jobDefinition: 'work',
          dependsOn: [{ name: 'work', type: 'N_TO_N' }],
          arraySize: 3,
        },
        { name: 'flaky', queue: 'q', jobDefinition: 'flaky', retryAttempts: 2 },
      ],
    }),
  );
  const run = runCli(['local', 'run', '--app', 'template.json', '--file', 'jobs.json', '--store', '.batchkit'], {
    cwd: dir,
  });
  expect(run.code).toBe(1); // flaky fails both attempts
  const store = new SqliteJobStore(path.join(dir, '.batchkit'));
  records = store.loadAll();
  store.close();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the report file is self-contained and small', () => {
  const r = runCli(
    ['local', 'report', '--store', '.batchkit', '--app', 'template.json', '--out', 'run.html', '--json'],
    { cwd: dir },
  );
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ jobs: 4 + 3 + 3 });
  expect(r.stderr).toMatch(/^batchkit: wrote run\.html \(10 job record\(s\), \d+ KiB\)\n$/);
  const html = readFileSync(path.join(dir, 'run.html'), 'utf8');
  expect(html).not.toMatch(/<script[^>]+src=|<link |<img |@import|url\(http/i);
  // The log line "</script><b>x</b>" is data, escaped inside the JSON script element.
  expect(html).toContain('trying \\u003c/script>\\u003cb>x\\u003c/b>');
  expect(statSync(path.join(dir, 'run.html')).size).toBeLessThan(400_000);
});

test('in Chromium: every job, one bar per attempt, one edge per dependency, no errors, no requests', async () => {
  const { page, errors, requests } = await recordingPage(browser);
  await page.goto(`file://${path.join(dir, 'run.html')}`);
  await page.waitForSelector('.attempt-bar');

  for (const r of records) {
    expect(await page.locator(`#timeline [data-job-id="${r.detail.jobId}"]`).count()).toBeGreaterThan(0);
  }
  const attempts = records.reduce((n, r) => n + (r.detail.attempts?.length ?? 0), 0);
  expect(attempts).toBe(1 + 3 + 3 + 2);
  expect(await page.locator('#timeline .attempt-bar').count()).toBe(attempts);
  expect(await page.locator('#timeline .attempt-bar.outcome-failed').count()).toBe(2);

  const byName = new Map(records.filter((r) => !r.meta.parentId).map((r) => [r.detail.jobName, r.detail.jobId]));
  const edges = await page.$$eval('#graph .dep-edge', (els) =>
    els.map((e) => [e.getAttribute('data-from'), e.getAttribute('data-to'), e.getAttribute('data-type')]),
  );
  expect(edges.sort()).toEqual(
    [
      [byName.get('prep'), byName.get('work'), 'plain'],
      [byName.get('work'), byName.get('post'), 'N_TO_N'],
    ].sort(),
  );
  expect(await page.locator('#graph .job-node').count()).toBe(4);
  expect(await page.locator('#graph .job-node.critical').count()).toBe(3);
  // Capacity: vCPUs and memory of ce1, and the RUNNABLE chart.
  expect(await page.$$eval('#capacity svg', (els) => els.map((e) => e.getAttribute('data-chart')))).toEqual([
    'ce1',
    'ce1/memory',
    'runnable',
  ]);

  // The panel of the retried job: two attempts with exit 3 and their log tails, as text.
  await page.click(`#graph .job-node[data-job-id="${byName.get('flaky')}"]`);
  expect(await page.locator('#panel .attempt').allTextContents()).toEqual([
    expect.stringMatching(/^#1 failed .* exit 3$/),
    expect.stringMatching(/^#2 failed .* exit 3$/),
  ]);
  expect(await page.locator('#panel .log-tail').first().textContent()).toContain('trying </script><b>x</b>');
  expect(await page.locator('#panel b').count()).toBe(0);

  await screenshot(page, 'report.png');
  expect(errors).toEqual([]);
  expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
  await page.close();
});
