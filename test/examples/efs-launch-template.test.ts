/**
 * The launch-template scenario: MIME multipart user data (cloud-config mounting EFS at /mnt/efs, an
 * ECS agent settings script) on the environment's launch template, a job with /mnt/efs as a host
 * volume; and locally, the host volume is a directory of the Docker host that the job writes to.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { EfsLaunchTemplateStack } from '../../examples/efs-launch-template/stack';
import { JobImage } from '../../lib';
import { loadBatchModel, parseMultipart } from '../../lib/core';
import { LocalExecutor } from '../../lib/local/executor';
import { DockerRuntime } from '../../lib/local/runtime/docker-runtime';
import { itPassesTheCommonChecks, type SynthesizedExample, synthExample } from './_harness';

jest.setTimeout(180_000);

let ex: SynthesizedExample<EfsLaunchTemplateStack>;
beforeAll(() => {
  ex = synthExample((app) => new EfsLaunchTemplateStack(app, 'EfsLaunchTemplate'));
});
afterAll(() => ex.cleanup());

describe('examples/efs-launch-template', () => {
  test(
    'the launch template user data is multipart: cloud-config mounting EFS ' +
      'at /mnt/efs, then the ECS settings script',
    () => {
      const lt = ex.model.launchTemplates.find((l) => l.userData !== undefined);
      const text = Buffer.from(String(lt?.userData), 'base64').toString('utf8');
      const parsed = parseMultipart(text);
      if (!parsed.ok) throw new Error(`user data is not multipart: ${parsed.reason}`);
      const { parts } = parsed.document;
      expect(parts.map((p) => p.contentType)).toEqual(['text/cloud-config', 'text/x-shellscript']);
      expect(parts[0].content).toContain('mkdir -p /mnt/efs');
      expect(parts[0].content).toContain('fs-0123456789abcdef0:/ /mnt/efs efs tls,_netdev');
      expect(parts[1].content).toContain('ECS_IMAGE_PULL_BEHAVIOR=prefer-cached');
    },
  );

  test('the job definition mounts the host path /mnt/efs', () => {
    const jd = ex.model.jobDefinitions.find((j) => j.jobDefinitionName === 'efs-host-volume');
    expect(jd?.containerProperties?.volumes).toEqual([{ name: 'efs', host: { sourcePath: '/mnt/efs' } }]);
    expect(jd?.containerProperties?.mountPoints).toEqual([
      { sourceVolume: 'efs', containerPath: '/mnt/efs', readOnly: false },
    ]);
  });

  itPassesTheCommonChecks(() => ex);
});

test(
  'locally, user data does not run: the host volume is a directory of the ' + 'Docker host, written by the job',
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'batchkit-efs-'));
    const outdir = mkdtempSync(path.join(tmpdir(), 'batchkit-efs-app-'));
    const runId = `efs-${path.basename(dir)}`;
    const app = new App({ outdir });
    new EfsLaunchTemplateStack(app, 'EfsLocal', { mountPath: dir, image: JobImage.fromRegistry('local/busybox:test') });
    app.synth();
    const model = loadBatchModel(outdir);
    const runtime = new DockerRuntime({ assets: [] });
    const executor = await LocalExecutor.open({
      model,
      runtime,
      storeDir: ':memory:',
      maxVcpus: 2,
      maxMemoryMiB: 2048,
      runId,
    });
    try {
      const queue = model.jobQueues.find((q) => q.priority === 100)!.jobQueueName;
      const { jobId } = executor.submitJob({ jobName: 'efs', jobQueue: queue, jobDefinition: 'efs-host-volume' });
      const job = await executor.waitForJob(jobId);
      expect(job.status).toBe('SUCCEEDED');
      expect(readFileSync(path.join(dir, 'runs.log'), 'utf8')).toBe(`run ${jobId}\n`);
    } finally {
      await executor.close();
      await runtime.reap(runId);
      rmSync(dir, { recursive: true, force: true });
      rmSync(outdir, { recursive: true, force: true });
    }
  },
);
