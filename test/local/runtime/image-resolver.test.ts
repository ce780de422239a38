/**
 * Image resolution on the real engine: CDK docker image assets built from a directory and a
 * Dockerfile `FROM local/busybox:test`, local images by name, and build failures.
 */
import { randomBytes } from 'crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { DockerImageAssetModel } from '../../../lib/core/model/batch-model';
import { assetTag } from '../../../lib/local/images/image-resolver';
import { PrepareError } from '../../../lib/local/runtime/container-runtime';
import { DockerRuntime } from '../../../lib/local/runtime/docker-runtime';
import { spec, TEST_IMAGE, testRunId } from './support';

const runId = testRunId('img');
const dirs: string[] = [];
const tags: string[] = [];
const progress: string[] = [];

function asset(files: Record<string, string>, extra: Partial<DockerImageAssetModel> = {}): DockerImageAssetModel {
  const dir = mkdtempSync(path.join(tmpdir(), 'batchkit-asset-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  const hash = randomBytes(32).toString('hex');
  tags.push(assetTag(hash));
  return {
    hash,
    directory: dir,
    imageUri:
      `123456789012.dkr.ecr.us-east-1.amazonaws.com/cdk-hnb659fds-container-assets-123456789012-us-east-1:` + `${hash}`,
    localTag: assetTag(hash),
    ...extra,
  };
}

const good = asset(
  {
    'docker/Custom.Dockerfile':
      `FROM ${TEST_IMAGE} AS base\nARG GREETING=unset\nCOPY app/hello.sh ` +
      `/hello.sh\nRUN echo "$GREETING" > /greeting\nFROM base AS final\nRUN ` +
      `echo final > /stage\nFROM base AS other\nRUN echo other > /stage\n`,
    'app/hello.sh': '#!/bin/sh\necho "hello from asset: $(cat /greeting) $(cat /stage)"\n',
  },
  { dockerFile: 'docker/Custom.Dockerfile', buildArgs: { GREETING: 'built-arg' }, target: 'final' },
);
const broken = asset({ Dockerfile: `FROM ${TEST_IMAGE}\nRUN exit 7\n` });
const runtime = new DockerRuntime({ assets: [good, broken], onProgress: (l) => progress.push(l) });

afterAll(async () => {
  await runtime.reap(runId);
  for (const tag of tags)
    await runtime.docker
      .getImage(tag)
      .remove({ force: true })
      .catch(() => undefined);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test('finds an asset by its ECR URI, its local tag, or its hash as the tag of another URI', () => {
  expect(runtime.images.findAsset(good.imageUri)).toBe(good);
  expect(runtime.images.findAsset(good.localTag)).toBe(good);
  expect(runtime.images.findAsset(`999999999999.dkr.ecr.eu-west-1.amazonaws.com/other:${good.hash}`)).toBe(good);
  expect(runtime.images.findAsset(TEST_IMAGE)).toBeUndefined();
  expect(runtime.images.findAsset('localhost:5000/img')).toBeUndefined();
});

test('a local image is used by name without a build', async () => {
  await expect(runtime.images.resolve(TEST_IMAGE)).resolves.toBe(TEST_IMAGE);
});

test(
  'an asset is built once from its Dockerfile, build args and target, ' + 'tagged batchkit-asset:<hash>, and runs',
  async () => {
    const [a, b] = await Promise.all([runtime.images.resolve(good.imageUri), runtime.images.resolve(good.imageUri)]);
    expect(a).toBe(`batchkit-asset:${good.hash}`);
    expect(b).toBe(a);
    expect(progress.filter((l) => l.startsWith(`building docker image asset ${good.hash.slice(0, 12)}`))).toHaveLength(
      1,
    );
    const inspected = await runtime.docker.getImage(a).inspect();
    expect(inspected.Config.Labels).toMatchObject({ 'batchkit.asset-hash': good.hash });

    const running = await (await runtime.prepare(spec(runId, ['sh', '/hello.sh'], { image: good.imageUri }))).start();
    expect(await running.wait()).toEqual({ exitCode: 0, oomKilled: false });
    expect(await running.logs()).toMatch(/stdout hello from asset: built-arg final\n$/);
    await running.remove();
  },
);

test('a failing build rejects with image-not-found and the engine error', async () => {
  const err = await runtime.prepare(spec(runId, ['true'], { image: broken.imageUri })).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PrepareError);
  expect((err as PrepareError).failure.kind).toBe('image-not-found');
  expect((err as PrepareError).message).toMatch(
    new RegExp(
      `^building docker image asset ${broken.hash} from .* \\(Dockerfile\\) ` +
        `failed: The command '/bin/sh -c exit 7' returned a non-zero code: 7`,
    ),
  );
});

test('an asset directory that is gone rejects with image-not-found telling to synthesize again', async () => {
  const gone = asset({ Dockerfile: `FROM ${TEST_IMAGE}\n` });
  rmSync(gone.directory, { recursive: true, force: true });
  runtime.images.addAssets([gone]);
  const err = await runtime.images.resolve(gone.imageUri).catch((e: unknown) => e);
  expect((err as PrepareError).failure.kind).toBe('image-not-found');
  expect((err as PrepareError).message).toMatch(
    new RegExp(
      String.raw`Docker image asset directory .* does not exist\. Fix: synthe` + String.raw`size the app again`,
    ),
  );
});
