/**
 * A graceful stop detaches: SIGTERM to `batchkit local serve` or SIGINT to `batchkit local run`
 * while jobs run makes the process exit at once, leaving their containers running with their labels;
 * the next start on the same store re-attaches the running one and records the one that exited
 * meanwhile from its exit code. No container is started twice.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import Dockerode from 'dockerode';
import { loadBatchModel } from '../../../lib/core/assembly';
import { LocalExecutor } from '../../../lib/local/executor';
import { LABELS } from '../../../lib/local/runtime/container-runtime';
import { DockerRuntime } from '../../../lib/local/runtime/docker-runtime';
import { cliJobDefinition, cliTemplate, startCli } from '../../_helpers/cli';
import { CountingRuntime, messages } from './support';

const docker = new Dockerode();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-e2e-stop-'));
  const template = cliTemplate(
    {
      Long: cliJobDefinition('long', ['sh', '-c', 'echo start; sleep 6; echo end']),
      Fails: cliJobDefinition('fails', ['sh', '-c', 'echo failing; sleep 2; exit 3']),
    },
    4,
  );
  writeFileSync(path.join(dir, 'template.json'), JSON.stringify(template));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function containerOf(jobId: string): Promise<Dockerode.ContainerInfo | undefined> {
  const all = await docker.listContainers({ all: true, filters: { label: [`${LABELS.jobId}=${jobId}`] } });
  return all[0];
}

/** Waits until the job's container runs (a short poll of the engine, test code only). */
async function untilRunning(jobId: string): Promise<Dockerode.ContainerInfo> {
  for (const t0 = Date.now(); Date.now() - t0 < 60_000;) {
    const c = await containerOf(jobId);
    if (c?.State === 'running') return c;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the container of ${jobId} never ran`);
}

async function reopen(store: string) {
  const runtime = new CountingRuntime(new DockerRuntime());
  const executor = await LocalExecutor.open({
    model: loadBatchModel(path.join(dir, 'template.json')),
    runtime,
    storeDir: store,
    maxVcpus: 4,
    maxMemoryMiB: 4096,
  });
  return { executor, runtime };
}

test(
  'SIGTERM to local serve: it exits at once, containers keep running; the ' +
    'next start records the running job SUCCEEDED and the exited one FAILED with its exit code',
  async () => {
    const store = path.join(dir, 'store-serve');
    const cli = startCli(
      ['local', 'serve', '--app', 'template.json', '--port', '0', '--store', store, '--max-vcpus', '4', '--json'],
      { cwd: dir },
    );
    const [line] = await cli.waitFor('stdout', /\{.*\}\n/);
    const { url } = JSON.parse(line) as { url: string };
    const submit = async (name: string, definition: string): Promise<string> => {
      const res = await fetch(`${url}/v1/submitjob`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ jobName: name, jobQueue: 'q', jobDefinition: definition }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { jobId: string }).jobId;
    };
    const ok = await submit('ok', 'long');
    const bad = await submit('bad', 'fails');
    const [okContainer, badContainer] = [await untilRunning(ok), await untilRunning(bad)];
    // Let the first lines reach the store (written in batches of at most 100 ms).
    await new Promise((r) => setTimeout(r, 300));
    cli.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.stderr()).toMatch(/SIGTERM: stopping; running job containers keep running/);
    // The process is gone; the containers are not: still running, labelled, not signalled.
    expect((await docker.getContainer(okContainer.Id).inspect()).State.Running).toBe(true);
    expect((await docker.getContainer(badContainer.Id).inspect()).Config.Labels[LABELS.jobId]).toBe(bad);
    // `bad` exits while nothing runs.
    expect(((await docker.getContainer(badContainer.Id).wait()) as { StatusCode: number }).StatusCode).toBe(3);

    const b = await reopen(store);
    try {
      expect(b.executor.recovery).toEqual({ reattached: [ok], finished: [bad], vanished: [], reaped: [] });
      const [dOk, dBad] = [await b.executor.waitForJob(ok), await b.executor.waitForJob(bad)];
      expect(dOk).toMatchObject({ status: 'SUCCEEDED', container: { exitCode: 0 } });
      expect(dBad).toMatchObject({
        status: 'FAILED',
        statusReason: 'Essential container in task exited',
        container: { exitCode: 3 },
      });
      expect([dOk.attempts?.length, dBad.attempts?.length]).toEqual([1, 1]);
      expect(messages(b.executor, ok)).toEqual(['start', 'end']);
      expect(messages(b.executor, bad)).toEqual(['failing']);
      expect(b.runtime.prepared).toEqual([]);
      await b.executor.waitForIdle();
      // Recorded, then removed.
      expect([await containerOf(ok), await containerOf(bad)]).toEqual([undefined, undefined]);
    } finally {
      await b.executor.close();
    }
  },
);

test(
  'Ctrl-C (SIGINT) of local run: exit 130 at once, the job keeps running ' + 'and the next start records it SUCCEEDED',
  async () => {
    const store = path.join(dir, 'store-run');
    const cli = startCli(
      [
        'local',
        'run',
        '--app',
        'template.json',
        '--job-queue',
        'q',
        '--job-definition',
        'long',
        '--max-vcpus',
        '4',
        '--store',
        store,
      ],
      { cwd: dir },
    );
    const [, jobId] = await cli.waitFor('stderr', /submitted \S+: (\S+)\n/);
    const c = await untilRunning(jobId);
    cli.kill('SIGINT');
    expect(await cli.exited).toBe(130);
    expect(cli.stderr()).toMatch(/SIGINT: stopping; 1 job\(s\) not finished keep running/);
    expect((await docker.getContainer(c.Id).inspect()).State.Running).toBe(true);
    const b = await reopen(store);
    try {
      expect(b.executor.recovery.reattached).toEqual([jobId]);
      expect(await b.executor.waitForJob(jobId)).toMatchObject({ status: 'SUCCEEDED', container: { exitCode: 0 } });
      expect(b.runtime.prepared).toEqual([]);
    } finally {
      await b.executor.close();
    }
  },
);
