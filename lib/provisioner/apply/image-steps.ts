/**
 * The image asset step: create the ECR repository when the plan says so (scan on push, tagged
 * `batchkit:stack`), `docker build` the asset, `docker login` with GetAuthorizationToken's
 * password on stdin (once per apply), `docker tag` and `docker push <repositoryUri>:<hash>`. The
 * pushed URI becomes the asset's resolved ARN, which job definitions are registered with.
 */
import * as path from 'node:path';
import type * as ecr from '@aws-sdk/client-ecr';
import { BatchkitError } from '../../core/errors';
import { errorName } from '../clients/retry';
import { STACK_TAG, type DesiredImageAsset } from '../plan/desired';
import type { PlanAction } from '../plan/plan';
import type { ApplyContext } from './context';
import { DockerCommandError, runDocker } from './docker-cli';

/** Error codes of the image asset step. */
export const IMAGE_ERRORS = {
  /** The docker CLI could not be started. */
  dockerMissing: 'BATCHKIT-PROVISION-ECR-002',
  /** A docker command (build, login, tag, push) failed. */
  dockerFailed: 'BATCHKIT-PROVISION-ECR-003',
  /** GetAuthorizationToken answered without a usable token. */
  noToken: 'BATCHKIT-PROVISION-ECR-004',
  /** The repository to push to has no URI (or is gone). */
  noRepository: 'BATCHKIT-PROVISION-ECR-005',
} as const;

type Stage = 'build' | 'login' | 'tag' | 'push';

const FIXES: Record<Stage, string> = {
  build:
    'Make `docker build` succeed for that directory (run the command shown ' +
    'above yourself), then run `batchkit apply` again.',
  login:
    'Check that the AWS credentials may call ecr:GetAuthorizationToken and ' +
    'that the registry endpoint is reachable, then run `batchkit apply` again.',
  tag: 'Check that the Docker engine is running (`docker info`), then run `batchkit apply` again.',
  push:
    'Check that the credentials may push to the repository (ecr:InitiateLayerUpload, ecr:UploadLayerPart, ' +
    'ecr:CompleteLayerUpload, ecr:PutImage, ' +
    'ecr:BatchCheckLayerAvailability) and that the registry is reachable, then run `batchkit apply` again.',
};

function assetName(r: DesiredImageAsset): string {
  return `docker image asset ${r.asset.hash} (${r.asset.directory})`;
}

function dockerError(r: DesiredImageAsset, stage: Stage, e: unknown): unknown {
  if (!(e instanceof DockerCommandError)) return e;
  const f = e.failure;
  if (f.missing) {
    return new BatchkitError(
      IMAGE_ERRORS.dockerMissing,
      'environment',
      `Publishing ${assetName(r)} needs the docker CLI, but \`` +
        `${f.commandLine}\` could not be started (${f.tail}).`,
      {
        fix: 'Install Docker (the `docker` command on PATH, and a running engine), then run `batchkit apply` again.',
      },
    );
  }
  const daemon = /Cannot connect to the Docker daemon|Is the docker daemon running/i.test(f.tail);
  return new BatchkitError(
    IMAGE_ERRORS.dockerFailed,
    'environment',
    `Publishing ${assetName(r)} failed at docker ${stage}: \`` +
      `${f.commandLine}\` exited with code ${f.exitCode}:\n${f.tail}\n`,
    {
      fix: daemon
        ? 'Start the Docker engine (`docker info` must answer), then run `batchkit apply` again.'
        : FIXES[stage],
    },
  );
}

async function docker(
  ctx: ApplyContext,
  r: DesiredImageAsset,
  stage: Stage,
  args: string[],
  secret?: string,
): Promise<void> {
  const prefix = `asset ${r.asset.hash.slice(0, 12)}: `;
  try {
    await runDocker(ctx.docker ?? {}, args, {
      ...(secret !== undefined ? { secret } : {}),
      onLine: (line) => ctx.log(`${prefix}${line}`),
    });
  } catch (e) {
    throw dockerError(r, stage, e);
  }
}

/** The `docker build` arguments of an asset. */
export function buildArgs(r: DesiredImageAsset): string[] {
  const a = r.asset;
  const args = ['build', '--tag', a.localTag, '--file', path.resolve(a.directory, a.dockerFile ?? 'Dockerfile')];
  for (const [k, v] of Object.entries(a.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
  if (a.target) args.push('--target', a.target);
  if (a.platform) args.push('--platform', a.platform);
  args.push(a.directory);
  return args;
}

async function createRepository(ctx: ApplyContext, r: DesiredImageAsset): Promise<string | undefined> {
  let out: ecr.CreateRepositoryCommandOutput;
  try {
    out = await ctx.clients.ecr.createRepository({
      repositoryName: r.repositoryName,
      imageScanningConfiguration: { scanOnPush: true },
      tags: [{ Key: STACK_TAG, Value: r.stack }],
    });
  } catch (e) {
    // Created meanwhile (another asset of the same repository, an earlier interrupted apply).
    if (errorName(e) === 'RepositoryAlreadyExistsException') return describeRepositoryUri(ctx, r);
    throw e;
  }
  ctx.log(`created ECR repository ${r.repositoryName} (scan on push, ${STACK_TAG}=${r.stack})`);
  return out.repository?.repositoryUri;
}

async function describeRepositoryUri(ctx: ApplyContext, r: DesiredImageAsset): Promise<string | undefined> {
  const repos =
    (await ctx.clients.ecr.describeRepositories({ repositoryNames: [r.repositoryName] })).repositories ?? [];
  return repos.find((x) => x.repositoryName === r.repositoryName)?.repositoryUri;
}

/** Registry logins of each apply: one GetAuthorizationToken and one `docker login` per apply. */
const logins = new WeakMap<ApplyContext, Promise<void>>();

async function login(ctx: ApplyContext, r: DesiredImageAsset): Promise<void> {
  const data = (await ctx.clients.ecr.getAuthorizationToken({})).authorizationData?.[0];
  const decoded = data?.authorizationToken ? Buffer.from(data.authorizationToken, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (!data?.proxyEndpoint || colon <= 0) {
    throw new BatchkitError(
      IMAGE_ERRORS.noToken,
      'environment',
      `ECR GetAuthorizationToken returned no ${data?.proxyEndpoint ? 'usable token' : 'proxyEndpoint'}, so ` +
        `${assetName(r)} cannot be pushed.`,
      {
        fix: 'Check the region and the ECR endpoint (--ecr-endpoint-url), then run `batchkit apply` again.',
      },
    );
  }
  await docker(
    ctx,
    r,
    'login',
    ['login', '--username', decoded.slice(0, colon), '--password-stdin', data.proxyEndpoint],
    decoded.slice(colon + 1),
  );
}

/** Creates the repository when planned, builds, logs in, tags and pushes one image asset. */
export async function applyImageAsset(ctx: ApplyContext, action: PlanAction, r: DesiredImageAsset): Promise<void> {
  const known = action.existing?.arn?.endsWith(`:${r.tag}`)
    ? action.existing.arn.slice(0, -(r.tag.length + 1))
    : undefined;
  const repositoryUri =
    action.action === 'create' ? await createRepository(ctx, r) : (known ?? (await describeRepositoryUri(ctx, r)));
  if (!repositoryUri) {
    throw new BatchkitError(
      IMAGE_ERRORS.noRepository,
      'environment',
      `The ECR repository ${r.repositoryName} of ${assetName(r)} has no repositoryUri (or is gone).`,
      {
        fix: "Run `batchkit plan` to see the repository's state, then `batchkit apply` again.",
      },
    );
  }
  ctx.log(`building ${assetName(r)} (${r.asset.dockerFile ?? 'Dockerfile'}) as ${r.asset.localTag}`);
  await docker(ctx, r, 'build', buildArgs(r));
  let loggedIn = logins.get(ctx);
  if (!loggedIn) {
    loggedIn = login(ctx, r);
    logins.set(ctx, loggedIn);
  }
  await loggedIn;
  const target = `${repositoryUri}:${r.tag}`;
  await docker(ctx, r, 'tag', ['tag', r.asset.localTag, target]);
  ctx.log(`pushing ${target}`);
  await docker(ctx, r, 'push', ['push', target]);
  ctx.resolved.set(r.key, { name: r.name, arn: target });
  ctx.log(`pushed ${assetName(r)} as ${target}`);
}
