/**
 * Isolation of LocalBatch instances on one engine: another live process's containers are neither
 * seen nor removed; the containers of a killed test process are removed by the next LocalBatch.
 * The other process runs the built package (`npm run build` first, as for the CLI tests).
 */
import { spawn, type ChildProcess } from 'child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { hostname, tmpdir } from 'os';
import * as path from 'path';
import Dockerode from 'dockerode';
import { LocalBatch, TESTING_LABELS } from '../../lib/testing';
import { isOrphan, MEMORY_STORE, type Ownership } from '../../lib/testing/owned-runtime';
import { cliJobDefinition, cliTemplate, REPO_ROOT } from '../_helpers/cli';

jest.setTimeout(120_000);

const DIST = path.join(REPO_ROOT, 'dist', 'lib', 'testing', 'index.js');
const docker = new Dockerode();
let dir: string;
let template: string;

beforeAll(() => {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run "npm run build" first (npm test does).`);
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-isolation-'));
  template = path.join(dir, 'template.json');
  writeFileSync(
    template,
    JSON.stringify(
      cliTemplate({
        Slow: cliJobDefinition('slow', ['sleep', '300']),
        Quick: cliJobDefinition('quick', ['echo', 'quick']),
      }),
    ),
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Another test process: opens a LocalBatch, starts the slow job and prints its owner and container id. */
function otherProcess(): { child: ChildProcess; running: Promise<{ owner: string; container: string }> } {
  const script = `
    const { LocalBatch } = require(${JSON.stringify(DIST)});
    LocalBatch.fromTemplate(${JSON.stringify(template)}, { maxVcpus: 2, maxMemoryMiB: 512 }).then((local) => {
      const job = local.submitJob({ jobQueue: 'q', jobDefinition: 'slow' });
      local.executor.onEvent((e) => {
        if (e.detail.jobId === job.jobId && e.detail.status === 'RUNNING') {
          process.stdout.write('RUNNING ' + local.owner + '\\n');
        }
      });
    });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const running = new Promise<{ owner: string; container: string }>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`the other process exited with ${code}: ${out}`)));
    child.stdout!.on('data', async (d: Buffer) => {
      out += d.toString();
      const m = /RUNNING (\S+)\n/.exec(out);
      if (!m) return;
      const [c] = await docker.listContainers({ all: true, filters: { label: [`${TESTING_LABELS.owner}=${m[1]}`] } });
      resolve({ owner: m[1], container: c.Id });
    });
  });
  return { child, running };
}

async function exists(id: string): Promise<boolean> {
  return (await docker.listContainers({ all: true, filters: { id: [id] } })).length === 1;
}

test('a live process keeps its containers; once it is killed, the next LocalBatch reaps them by label', async () => {
  const other = otherProcess();
  const { owner, container } = await other.running;
  const labels = (await docker.getContainer(container).inspect()).Config.Labels;
  expect(labels).toMatchObject({
    [TESTING_LABELS.owner]: owner,
    [TESTING_LABELS.pid]: String(other.child.pid),
    [TESTING_LABELS.host]: hostname(),
    [TESTING_LABELS.store]: MEMORY_STORE,
  });

  // A LocalBatch of this process, beside the live one: it runs its own job and leaves the other's container alone.
  const mine = await LocalBatch.fromTemplate(template, { maxVcpus: 2, maxMemoryMiB: 512 });
  expect(mine.reapedAtOpen).not.toContain(container);
  const quick = await mine.runJob({ jobQueue: 'q', jobDefinition: 'quick' });
  expect(quick.status).toBe('SUCCEEDED');
  expect(mine.executor.listJobs({ jobQueue: 'q', jobStatus: 'RUNNING' })).toEqual([]);
  await mine.close();
  expect(await exists(container)).toBe(true);

  // Killed mid-run: its container keeps running until the next LocalBatch opens.
  const exited = new Promise((resolve) => other.child.on('exit', resolve));
  other.child.kill('SIGKILL');
  await exited;
  expect(await exists(container)).toBe(true);
  const next = await LocalBatch.fromTemplate(template, { maxVcpus: 2, maxMemoryMiB: 512 });
  try {
    expect(next.reapedAtOpen).toEqual([container]);
    expect(await exists(container)).toBe(false);
  } finally {
    await next.close();
  }
});

describe('isOrphan: which containers a LocalBatch may reap', () => {
  const me: Ownership = { owner: 'me', pid: 100, host: 'h1', store: '/tmp/store-a' };
  const labels = (over: Record<string, string>) => ({
    labels: {
      [TESTING_LABELS.owner]: 'other',
      [TESTING_LABELS.pid]: '200',
      [TESTING_LABELS.host]: 'h1',
      [TESTING_LABELS.store]: MEMORY_STORE,
      ...over,
    },
  });
  const dead = () => false;
  test.each([
    ['a dead process on this host', {}, dead, true],
    ['a live process', {}, () => true, false],
    ['another host', { [TESTING_LABELS.host]: 'h2' }, dead, false],
    ['our own instance', { [TESTING_LABELS.owner]: 'me' }, dead, false],
    [
      'our store directory (recovered by the executor instead)',
      { [TESTING_LABELS.store]: '/tmp/store-a' },
      dead,
      false,
    ],
    ['another store directory', { [TESTING_LABELS.store]: '/tmp/store-b' }, dead, true],
  ])('%s', (_what, over, alive, expected) => {
    expect(isOrphan(labels(over), me, alive)).toBe(expected);
  });
  test('containers without LocalBatch labels (batchkit local run, other tools) are never orphans', () => {
    expect(isOrphan({ labels: { 'batchkit.managed': 'true' } }, me, dead)).toBe(false);
  });
});
