/**
 * The real push: `batchkit apply` builds a docker image asset with the docker CLI and pushes it
 * to a real registry (Debian's docker-registry on 127.0.0.1, standing in for ECR's registry),
 * with ECR's API mocked to point at it and Batch going through the real SDK client to the local
 * Batch API. The pushed tag is read back with the registry's HTTP API.
 *
 * The registry runs without authentication: `docker login` against it still succeeds (it answers
 * `GET /v2/` with 200 and no challenge, so docker stores the credentials unchecked). The token is
 * therefore not verified by the registry; what this test checks is that it reaches docker on
 * stdin only, and the mocked ECR tests check the exact login command line.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { applyPlan } from '../../lib/provisioner/apply/apply';
import { destroy } from '../../lib/provisioner/apply/destroy';
import { createPlan, isEmptyPlan } from '../../lib/provisioner/plan/plan';
import {
  BOOTSTRAP_REPO,
  fakeEcr,
  loadAssetApp,
  randomHash,
  recordingDocker,
  startRegistry,
  writeContext,
  type FakeEcr,
  type LocalRegistry,
} from './image-support';
import { FAST_WAIT, startLocalTarget, type LocalTarget } from './support';

const exec = promisify(execFile);
const TOKEN = 'local-registry-token-0123456789';

describe('image assets pushed to a real registry', () => {
  let registry: LocalRegistry;
  let target: LocalTarget;
  let ecr: FakeEcr;
  let root: string;
  const cleanup: string[] = [];
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry.stop();
  });
  beforeEach(async () => {
    target = await startLocalTarget();
    root = mkdtempSync(path.join(tmpdir(), 'bk-push-'));
    ecr = fakeEcr(registry.host, { tagsOf: (repo) => registry.tags(repo), token: TOKEN, scheme: 'http' });
  });
  afterEach(async () => {
    ecr.restore();
    await target.close();
    if (cleanup.length > 0) await exec('docker', ['rmi', '--force', ...cleanup.splice(0)]).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  });

  test(
    'apply builds and pushes <registry>/<repo>:<hash>, registers the job ' +
      'definition with it; a second apply builds and pushes nothing; destroy deletes the repository',
    async () => {
      const hash = randomHash();
      const dir = writeContext(root);
      const model = loadAssetApp(root, [
        { hash, directory: dir, buildArgs: { GREETING: 'from-batchkit' }, target: 'final' },
      ]);
      const docker = recordingDocker(root);
      // The registry login goes to a config of this test, not ~/.docker/config.json.
      const dockerConfig = path.join(root, 'docker-config');
      mkdirSync(dockerConfig);
      const progress: string[] = [];
      const applyOpts = {
        wait: FAST_WAIT,
        iamSettleMs: 0,
        docker: { command: docker.command, env: { ...process.env, DOCKER_CONFIG: dockerConfig } },
        onProgress: (m: string) => progress.push(m),
      };
      const uri = `${registry.host}/${BOOTSTRAP_REPO}:${hash}`;
      cleanup.push(`batchkit-asset:${hash}`, uri);

      const plan = await createPlan(model, target.clients);
      expect(plan.actions.map((a) => `${a.kind} ${a.action}`)).toEqual([
        'ComputeEnvironment create',
        'JobQueue create',
        'ImageAsset create',
        'JobDefinition create',
      ]);
      const report = await applyPlan(plan, target.clients, applyOpts);
      expect(report.failed).toEqual([]);
      expect(report.ok).toBe(true);
      expect(docker.calls()).toEqual(['build', 'login', 'tag', 'push']);

      // The registry has the tag, and the job definition points at it.
      expect(await registry.tags(BOOTSTRAP_REPO)).toEqual([hash]);
      const jds = (await target.clients.batch.describeJobDefinitions({ status: 'ACTIVE' })).jobDefinitions ?? [];
      expect(jds.map((d) => d.containerProperties?.image)).toEqual([uri]);
      // The image is the asset as built: build argument and target stage applied.
      const { stdout } = await exec('docker', ['run', '--rm', '--network', 'none', uri]);
      expect(stdout).toBe('from-batchkit\n');
      // docker login kept the token in this test's config (docker's own behaviour), never in argv or progress.
      expect(readFileSync(path.join(dockerConfig, 'config.json'), 'utf8')).toContain(registry.host);
      expect(progress.join('\n')).not.toContain(TOKEN);

      // Second run: the plan is empty, apply runs no docker command and makes no ECR change.
      const again = await createPlan(model, target.clients);
      expect(again.actions.map((a) => a.action)).toEqual(['no-op', 'no-op', 'no-op', 'no-op']);
      expect(isEmptyPlan(again)).toBe(true);
      const second = await applyPlan(again, target.clients, applyOpts);
      expect(second.done).toEqual([]);
      expect(docker.calls()).toEqual(['build', 'login', 'tag', 'push']);
      expect(
        ecr
          .calls()
          .filter((c) => /^(CreateRepository|GetAuthorizationToken)/.test(c))
          .map((c) => c.split(' ')[0]),
      ).toEqual(['CreateRepository', 'GetAuthorizationToken']);

      // destroy removes the repository batchkit created, after the job definition.
      const gone = await destroy(target.clients, { stacks: ['AssetStack'], model, skipEc2: true, wait: FAST_WAIT });
      expect(gone.steps.slice(-2).map((s) => `${s.action} ${s.resource.split(' ')[0]}`)).toEqual([
        'deregister JobDefinition',
        'delete EcrRepository',
      ]);
      expect(ecr.calls().filter((c) => c.startsWith('DeleteRepository'))).toEqual([
        `DeleteRepository {"repositoryName":"${BOOTSTRAP_REPO}","force":true}`,
      ]);
      expect(ecr.repositories.size).toBe(0);
    },
  );
});
