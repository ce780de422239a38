/**
 * Docker image assets in plan / apply / destroy with ECR mocked (exact calls and order) and a
 * fake docker executable that records its argv and stdin; Batch is the local Batch API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { applyPlan } from '../../lib/provisioner/apply/apply';
import { destroy } from '../../lib/provisioner/apply/destroy';
import { applyImageAsset } from '../../lib/provisioner/apply/image-steps';
import type { DesiredImageAsset } from '../../lib/provisioner/plan/desired';
import { parseImageUri } from '../../lib/provisioner/plan/image-desired';
import { createPlan, isEmptyPlan, renderPlan } from '../../lib/provisioner/plan/plan';
import { mapReferences } from '../../lib/provisioner/plan/refs';
import {
  ACCOUNT,
  BOOTSTRAP_REPO,
  fakeDocker,
  fakeEcr,
  loadAssetApp,
  randomHash,
  writeAssetApp,
  writeContext,
  type FakeDocker,
  type FakeEcr,
} from './image-support';
import { loadBatchModel } from '../../lib/core/assembly';
import { FAST_WAIT, startLocalTarget, type LocalTarget } from './support';

const REGISTRY = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
const TOKEN = 'eyJwYXlsb2FkIjoiZmFrZS1lY3ItcGFzc3dvcmQifQ';
const opts = { wait: FAST_WAIT, iamSettleMs: 0 };

/** Tags the fake docker has pushed to a repository of REGISTRY. */
function pushedBy(docker: () => FakeDocker) {
  return async (repo: string) =>
    docker()
      .calls()
      .filter((c) => c.startsWith(`push ${REGISTRY}/${repo}:`))
      .map((c) => c.slice(c.lastIndexOf(':') + 1));
}

describe('docker image assets with ECR mocked', () => {
  let target: LocalTarget;
  let root: string;
  let docker: FakeDocker;
  let ecr: FakeEcr;
  let progress: string[];
  beforeEach(async () => {
    target = await startLocalTarget();
    root = mkdtempSync(path.join(tmpdir(), 'bk-assets-'));
    docker = fakeDocker(root);
    ecr = fakeEcr(REGISTRY, { tagsOf: pushedBy(() => docker), token: TOKEN });
    progress = [];
  });
  afterEach(async () => {
    ecr.restore();
    await target.close();
    rmSync(root, { recursive: true, force: true });
  });
  const applyOpts = () => ({
    ...opts,
    docker: { command: docker.command },
    onProgress: (m: string) => progress.push(m),
  });

  test('parseImageUri splits registry, repository (with slashes) and tag, and rejects anything else', () => {
    expect(parseImageUri(`${REGISTRY}/team/app:abc`)).toEqual({
      registry: REGISTRY,
      repositoryName: 'team/app',
      tag: 'abc',
    });
    expect(parseImageUri('127.0.0.1:5000/repo:t1')).toEqual({
      registry: '127.0.0.1:5000',
      repositoryName: 'repo',
      tag: 't1',
    });
    expect(() => parseImageUri('busybox')).toThrow(
      new RegExp(
        String.raw`BATCHKIT-PROVISION-ECR-001|is not of the form <registry>\/<r` + String.raw`epository>:<tag>`,
      ),
    );
    expect(() => parseImageUri(`${REGISTRY}/repo@sha256:00`)).toThrow(/is not of the form/);
  });

  test('image fields refer only to image assets; image asset references appear nowhere else', () => {
    const refs: Record<string, string> = { busybox: 'ref(JobQueue:busybox)', [`${REGISTRY}/r:h`]: 'ref(ImageAsset:h)' };
    const lookup = (v: string) => refs[v];
    const found = new Set<string>();
    const spec = {
      containerProperties: { image: 'busybox' },
      ecsProperties: { taskProperties: [{ containers: [{ image: `${REGISTRY}/r:h` }] }] },
      jobRoleArn: `${REGISTRY}/r:h`,
    };
    expect(mapReferences(spec, lookup, found)).toEqual({
      containerProperties: { image: 'busybox' },
      ecsProperties: { taskProperties: [{ containers: [{ image: 'ref(ImageAsset:h)' }] }] },
      jobRoleArn: `${REGISTRY}/r:h`,
    });
    expect([...found]).toEqual(['ImageAsset:h']);
  });

  test(
    'plan: a missing repository is created and pushed before the job ' + 'definition, which refers to the asset',
    async () => {
      const hash = randomHash();
      const dir = writeContext(root);
      const model = loadAssetApp(root, [{ hash, directory: dir }]);
      expect(model.dockerImageAssets.map((a) => a.imageUri)).toEqual([`${REGISTRY}/${BOOTSTRAP_REPO}:${hash}`]);
      const plan = await createPlan(model, target.clients);
      expect(plan.blockers).toEqual([]);
      expect(plan.actions.map((a) => `${a.kind} ${a.action}`)).toEqual([
        'ComputeEnvironment create',
        'JobQueue create',
        'ImageAsset create',
        'JobDefinition create',
      ]);
      const asset = plan.actions[2];
      expect(asset.key).toBe(`ImageAsset:${hash}`);
      expect(asset.name).toBe(`${BOOTSTRAP_REPO}:${hash}`);
      expect(asset.reasons).toEqual([
        `repository ${BOOTSTRAP_REPO} does not exist: creates it (scan on push, ` +
          `tagged batchkit:stack=AssetStack), builds ${dir} (Dockerfile) and pushes tag ${hash}`,
      ]);
      const jd = plan.actions[3];
      expect(jd.dependsOn).toEqual([`ImageAsset:${hash}`]);
      expect(
        (jd.desired as unknown as { spec: { containerProperties: { image: string } } }).spec.containerProperties.image,
      ).toBe(`ref(ImageAsset:${hash})`);
      expect(renderPlan(plan)).toContain(`+   create  ImageAsset ${BOOTSTRAP_REPO}:${hash}\n`);
      expect(ecr.calls()).toEqual([`DescribeRepositories {"repositoryNames":["${BOOTSTRAP_REPO}"]}`]);
    },
  );

  test('an environment-agnostic stack blocks the plan: its repository name holds the placeholder account', async () => {
    const hash = randomHash();
    const dir = writeContext(root);
    const plan = await createPlan(
      loadAssetApp(root, [{ hash, directory: dir }], 'aws://unknown-account/unknown-region'),
      target.clients,
    );
    expect(plan.blockers).toEqual([
      `docker image asset ${hash} (${dir}) of stack "AssetStack" goes to ` +
        `repository "cdk-hnb659fds-container-assets-123456789012-us-east-1", ` +
        `which names batchkit's placeholder account 123456789012 because the stack is environment-agnostic, ` +
        'so batchkit cannot tell which ECR repository the app means. Fix: pass ' +
        '--account <your 12-digit account id> (and --region) to resolve ' +
        'environment-agnostic stacks for your account, or give the stack an ' +
        'environment (`env: { account, region }`) and synthesize again.',
    ]);
    await expect(applyPlan(plan, target.clients, applyOpts())).rejects.toThrow(
      /BATCHKIT-PROVISION-001|1 blocker\(s\); nothing was changed/,
    );
    expect(ecr.calls().filter((c) => !c.startsWith('Describe'))).toEqual([]);
    expect(docker.calls()).toEqual([]);
  });

  test(
    'an environment-agnostic stack loaded for a given account (--account) ' +
      "plans its asset into that account's bootstrap repository",
    async () => {
      const hash = randomHash();
      const dir = writeContext(root);
      const model = loadBatchModel(
        writeAssetApp(root, [{ hash, directory: dir }], 'aws://unknown-account/unknown-region'),
        { environment: { account: ACCOUNT, region: 'us-east-1' } },
      );
      const plan = await createPlan(model, target.clients);
      expect(plan.blockers).toEqual([]);
      const asset = plan.actions.find((a) => a.kind === 'ImageAsset');
      expect(asset?.name).toBe(`${BOOTSTRAP_REPO}:${hash}`);
      expect(asset?.action).toBe('create');
    },
  );

  test(
    'apply: create repository, build, token, login with the password on ' +
      'stdin, tag, push, then register with the pushed URI; again: nothing',
    async () => {
      const hash = randomHash();
      const dir = writeContext(root);
      const model = loadAssetApp(root, [{ hash, directory: dir, buildArgs: { GREETING: 'hi' }, target: 'final' }]);
      const report = await applyPlan(await createPlan(model, target.clients), target.clients, applyOpts());
      expect(report.failed).toEqual([]);
      expect(report.ok).toBe(true);
      const uri = `${REGISTRY}/${BOOTSTRAP_REPO}:${hash}`;
      expect(ecr.calls()).toEqual([
        `DescribeRepositories {"repositoryNames":["${BOOTSTRAP_REPO}"]}`,
        `CreateRepository {"repositoryName":"` +
          `${BOOTSTRAP_REPO}","imageScanningConfiguration":{"scanOnPush":true},` +
          `"tags":[{"Key":"batchkit:stack","Value":"AssetStack"}]}`,
        'GetAuthorizationToken {}',
      ]);
      expect(docker.calls()).toEqual([
        `build --tag batchkit-asset:${hash} --file ${dir}/Dockerfile --build-arg GREETING=hi --target final ${dir}`,
        `login --username AWS --password-stdin https://${REGISTRY}`,
        `tag batchkit-asset:${hash} ${uri}`,
        `push ${uri}`,
      ]);
      // The password went to stdin only: never in argv, progress or the report.
      expect(docker.stdin()).toBe(TOKEN);
      expect(docker.calls().join('\n')).not.toContain(TOKEN);
      expect(progress.join('\n')).not.toContain(TOKEN);
      expect(JSON.stringify(report)).not.toContain(TOKEN);
      expect(progress).toContain(`created ECR repository ${BOOTSTRAP_REPO} (scan on push, batchkit:stack=AssetStack)`);
      expect(progress).toContain(`pushed docker image asset ${hash} (${dir}) as ${uri}`);
      // The job definition waited for the push and uses the pushed URI.
      expect(report.done.indexOf(`ImageAsset:${hash}`)).toBeLessThan(
        report.done.findIndex((d) => d.startsWith('JobDefinition:')),
      );
      const jds = (await target.clients.batch.describeJobDefinitions({ status: 'ACTIVE' })).jobDefinitions ?? [];
      expect(jds.map((d) => d.containerProperties?.image)).toEqual([uri]);
      expect(report.resources[`ImageAsset:${hash}`]).toEqual({ name: `${BOOTSTRAP_REPO}:${hash}`, arn: uri });

      // Second plan: the tag is there and the job definition's image maps back to the asset.
      const before = { ecr: ecr.calls().length, docker: docker.calls().length };
      const again = await createPlan(model, target.clients);
      expect(again.actions.map((a) => `${a.kind} ${a.action}`)).toEqual([
        'ComputeEnvironment no-op',
        'JobQueue no-op',
        'ImageAsset no-op',
        'JobDefinition no-op',
      ]);
      expect(isEmptyPlan(again)).toBe(true);
      expect(ecr.calls().slice(before.ecr)).toEqual([
        `DescribeRepositories {"repositoryNames":["${BOOTSTRAP_REPO}"]}`,
        `DescribeImages {"repositoryName":"${BOOTSTRAP_REPO}","imageIds":[{"imageTag":"${hash}"}]}`,
      ]);
      const second = await applyPlan(again, target.clients, applyOpts());
      expect(second.done).toEqual([]);
      expect(docker.calls()).toHaveLength(before.docker);
      expect(ecr.calls()).toHaveLength(before.ecr + 2);
    },
  );

  test(
    "a tag missing from an existing repository (not batchkit's) is an " +
      'update: push only, and a new job definition revision',
    async () => {
      ecr.repositories.set(BOOTSTRAP_REPO, []);
      const dir = writeContext(root);
      const first = randomHash();
      await applyPlan(
        await createPlan(loadAssetApp(root, [{ hash: first, directory: dir }]), target.clients),
        target.clients,
        applyOpts(),
      );
      expect(ecr.calls().filter((c) => c.startsWith('CreateRepository'))).toEqual([]);

      const next = randomHash();
      const model = loadAssetApp(root, [{ hash: next, directory: dir }]);
      const plan = await createPlan(model, target.clients);
      expect(plan.blockers).toEqual([]);
      const asset = plan.actions.find((a) => a.kind === 'ImageAsset')!;
      expect(asset.action).toBe('update');
      expect(asset.reasons).toEqual([
        `tag ${next} is not in repository ${BOOTSTRAP_REPO}: builds ${dir} (Dockerfile) and pushes tag ${next}`,
      ]);
      const jd = plan.actions.find((a) => a.kind === 'JobDefinition')!;
      expect(jd.action).toBe('update');
      expect(jd.reasons[0]).toMatch(/registers revision 2/);
      expect(jd.reasons[1]).toMatch(/^containerProperties: /);
      expect(jd.reasons[1]).toContain(`"image":"${REGISTRY}/${BOOTSTRAP_REPO}:${first}"`);
      expect(jd.reasons[1]).toContain(`"image":"ref(ImageAsset:${next})"`);
      expect(jd.changes.map((c) => c.field)).toEqual(['containerProperties']);

      const ecrBefore = ecr.calls().length;
      const dockerBefore = docker.calls().length;
      expect((await applyPlan(plan, target.clients, applyOpts())).ok).toBe(true);
      expect(ecr.calls().slice(ecrBefore)).toEqual(['GetAuthorizationToken {}']);
      expect(
        docker
          .calls()
          .slice(dockerBefore)
          .map((c) => c.split(' ')[0]),
      ).toEqual(['build', 'login', 'tag', 'push']);
      const latest = (await target.clients.batch.describeJobDefinitions({ status: 'ACTIVE' })).jobDefinitions!.sort(
        (a, b) => (b.revision ?? 0) - (a.revision ?? 0),
      )[0];
      expect(latest.revision).toBe(2);
      expect(latest.containerProperties?.image).toBe(`${REGISTRY}/${BOOTSTRAP_REPO}:${next}`);
      expect(isEmptyPlan(await createPlan(model, target.clients))).toBe(true);
    },
  );

  test(
    'two assets for one missing repository: the first creates it, the ' +
      'second pushes after it; one token, one login',
    async () => {
      const [a, b] = [randomHash(), randomHash()];
      const model = loadAssetApp(root, [
        { hash: a, directory: writeContext(root, 'a') },
        { hash: b, directory: writeContext(root, 'b') },
      ]);
      const plan = await createPlan(model, target.clients);
      const assets = plan.actions.filter((x) => x.kind === 'ImageAsset');
      expect(assets.map((x) => [x.key, x.action, x.dependsOn])).toEqual([
        [`ImageAsset:${a}`, 'create', []],
        [`ImageAsset:${b}`, 'update', [`ImageAsset:${a}`]],
      ]);
      expect(assets[1].reasons[0]).toMatch(
        new RegExp(`^repository ${BOOTSTRAP_REPO} is created by ImageAsset:${a}; builds `),
      );
      const report = await applyPlan(plan, target.clients, applyOpts());
      expect(report.ok).toBe(true);
      expect(ecr.calls().map((c) => c.split(' ')[0])).toEqual([
        'DescribeRepositories',
        'CreateRepository',
        'GetAuthorizationToken',
        'DescribeRepositories',
      ]);
      expect(docker.calls().map((c) => c.split(' ')[0])).toEqual([
        'build',
        'login',
        'tag',
        'push',
        'build',
        'tag',
        'push',
      ]);
      expect(report.done.indexOf(`ImageAsset:${a}`)).toBeLessThan(report.done.indexOf(`ImageAsset:${b}`));
      expect(isEmptyPlan(await createPlan(model, target.clients))).toBe(true);
    },
  );

  test.each([
    [
      'build',
      'The command /bin/sh -c exit 3 returned a non-zero code: 3',
      new RegExp(
        String.raw`failed at docker build: ${'`'}\S+ build --tag batchkit-asset:[0-9a-f]{64} ` +
          String.raw`--file \S+/Dockerfile \S+${'`'} ` +
          String.raw`exited with code 1:\nThe command /bin/sh -c exit 3 returned a non-zero code: 3\n ` +
          'Fix: Make `docker build` succeed for that directory',
      ),
    ],
    [
      'push',
      'denied: requested access to the resource is denied',
      new RegExp(
        String.raw`failed at docker push: ${'`'}\S+ push \S+${'`'} exited with code 1:\n` +
          String.raw`denied: requested access to the resource is denied\n ` +
          String.raw`Fix: Check that the credentials may push to the repository \(ecr:InitiateLayerUpload`,
      ),
    ],
    [
      'login',
      `Error response from daemon: login attempt with password ${TOKEN} failed`,
      new RegExp(
        String.raw`failed at docker login: ${'`'}\S+ login --username AWS --password-stdin https://\S+${'`'} ` +
          String.raw`exited with code 1:\nError response from daemon: login attempt with password \*\*\* failed\n ` +
          'Fix: Check that the AWS credentials may call ecr:GetAuthorizationToken',
      ),
    ],
  ])(
    'docker %s failure: the step fails naming the asset, the command, its ' +
      'stderr tail (not stdout) and the fix; the job definition is not registered',
    async (stage, stderrText, message) => {
      docker = fakeDocker(root, { subcommand: stage, stderrText });
      const hash = randomHash();
      const dir = writeContext(root);
      const report = await applyPlan(
        await createPlan(loadAssetApp(root, [{ hash, directory: dir }]), target.clients),
        target.clients,
        { ...applyOpts(), concurrency: 1 },
      );
      expect(report.ok).toBe(false);
      expect(report.failed.map((f) => f.step)).toEqual([`ImageAsset:${hash}`]);
      expect(report.failed[0].message).toContain(
        `Publishing docker image asset ${hash} (${dir}) failed at docker ${stage}`,
      );
      expect(report.failed[0].message).toMatch(message);
      expect(report.failed[0].message).not.toContain(TOKEN);
      expect(progress.join('\n')).not.toContain(TOKEN);
      expect(report.notDone.some((s) => s.startsWith('JobDefinition:'))).toBe(true);
      expect((await target.clients.batch.describeJobDefinitions({ status: 'ACTIVE' })).jobDefinitions).toEqual([]);
    },
  );

  test('no docker on the machine: BatchkitError with the asset, the command and the fix', async () => {
    const hash = randomHash();
    const dir = writeContext(root);
    const plan = await createPlan(loadAssetApp(root, [{ hash, directory: dir }]), target.clients);
    const action = plan.actions.find((a) => a.kind === 'ImageAsset')!;
    const ctx = {
      clients: target.clients,
      resolved: new Map(),
      wait: FAST_WAIT,
      iamSettleMs: 0,
      docker: { command: path.join(root, 'no-such-docker') },
      log: () => undefined,
    };
    const error = applyImageAsset(ctx, action, action.desired as DesiredImageAsset);
    await expect(error).rejects.toMatchObject({
      name: 'BatchkitError',
      code: 'BATCHKIT-PROVISION-ECR-002',
      kind: 'environment',
    });
    await expect(error).rejects.toThrow(
      new RegExp(
        `^Publishing docker image asset ${hash} \\(${dir}\\) needs the docker ` +
          `CLI, but \`\\S+no-such-docker build --tag batchkit-asset:${hash} .*\` ` +
          `could not be started \\(\\S+no-such-docker: not found\\)\\. Fix: Install Docker`,
      ),
    );
    expect(ctx.resolved.size).toBe(0);
  });

  test(
    'destroy: the repository batchkit created is deleted (force) after the ' + 'job definitions; dry run only lists it',
    async () => {
      const hash = randomHash();
      const model = loadAssetApp(root, [{ hash, directory: writeContext(root) }]);
      await applyPlan(await createPlan(model, target.clients), target.clients, applyOpts());
      ecr.mock.resetHistory();

      const dry = await destroy(target.clients, {
        stacks: ['AssetStack'],
        model,
        skipEc2: true,
        dryRun: true,
        wait: FAST_WAIT,
      });
      expect(dry.steps.map((s) => `${s.action} ${s.resource.split(' ')[0]}`)).toEqual([
        'disable JobQueue',
        'delete JobQueue',
        'disable ComputeEnvironment',
        'delete ComputeEnvironment',
        'deregister JobDefinition',
        'delete EcrRepository',
      ]);
      expect(dry.steps[5].resource).toBe(`EcrRepository ${BOOTSTRAP_REPO}`);
      expect(ecr.calls()).toEqual([
        `DescribeRepositories {"repositoryNames":["${BOOTSTRAP_REPO}"]}`,
        `ListTagsForResource {"resourceArn":"arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${BOOTSTRAP_REPO}"}`,
      ]);
      ecr.mock.resetHistory();
      const gone = await destroy(target.clients, { stacks: ['AssetStack'], model, skipEc2: true, wait: FAST_WAIT });
      expect(gone.steps).toEqual(dry.steps);
      expect(ecr.calls()[2]).toBe(`DeleteRepository {"repositoryName":"${BOOTSTRAP_REPO}","force":true}`);
      expect(ecr.repositories.has(BOOTSTRAP_REPO)).toBe(false);
      expect((await target.clients.batch.describeJobDefinitions({ status: 'ACTIVE' })).jobDefinitions).toEqual([]);
    },
  );

  test.each([
    ["no tag (the CDK bootstrap's repository)", []],
    ["another stack's tag", [{ Key: 'batchkit:stack', Value: 'OtherStack' }]],
  ])('destroy never deletes a repository with %s: it is reported as skipped', async (_what, tags) => {
    ecr.repositories.set(BOOTSTRAP_REPO, tags);
    const model = loadAssetApp(root, [{ hash: randomHash(), directory: writeContext(root) }]);
    const report = await destroy(target.clients, { stacks: ['AssetStack'], model, skipEc2: true, wait: FAST_WAIT });
    expect(report.steps).toEqual([]);
    expect(report.skipped).toEqual([`EcrRepository ${BOOTSTRAP_REPO}`]);
    expect(ecr.calls().filter((c) => c.startsWith('DeleteRepository'))).toEqual([]);
    expect(ecr.repositories.has(BOOTSTRAP_REPO)).toBe(true);
  });

  test('destroy without the app (or with an app without assets) makes no ECR call', async () => {
    await destroy(target.clients, { stacks: ['AssetStack'], skipEc2: true, wait: FAST_WAIT });
    expect(ecr.calls()).toEqual([]);
  });
});
