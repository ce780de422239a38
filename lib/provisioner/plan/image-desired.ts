/**
 * The image assets of the desired state: which docker image assets the job definitions use, the
 * ECR repository each goes to (the part of its image URI between the registry and the tag) and
 * the key job definitions refer to it by. No AWS calls here (see `image-assets.ts`).
 */
import { BatchkitError } from '../../core/errors';
import { imagesOf } from '../../core/assembly/docker-assets';
import {
  DEFAULT_DEPLOYMENT_ENVIRONMENT,
  type BatchModel,
  type DockerImageAssetModel,
} from '../../core/model/batch-model';
import type { DesiredImageAsset } from './desired';

/** The parts of an image URI: `<registry>/<repositoryName>:<tag>`. */
export interface ImageUriParts {
  /** Registry host (`123456789012.dkr.ecr.us-east-1.amazonaws.com`). */
  readonly registry: string;
  /** Repository name, which may contain `/`. */
  readonly repositoryName: string;
  /** Tag. */
  readonly tag: string;
}

/** Splits an image URI into registry, repository and tag; throws a {@link BatchkitError} for anything else. */
export function parseImageUri(imageUri: string): ImageUriParts {
  const slash = imageUri.indexOf('/');
  const colon = imageUri.lastIndexOf(':');
  if (slash <= 0 || colon <= slash + 1 || colon === imageUri.length - 1 || imageUri.includes('@')) {
    throw new BatchkitError(
      'BATCHKIT-PROVISION-ECR-001',
      'input',
      `The docker image asset URI "${imageUri}" is not of the form ` +
        `<registry>/<repository>:<tag>, so batchkit cannot tell which ECR repository to push it to.`,
      {
        fix:
          'Synthesize the app again with a current aws-cdk-lib; the default synthesizer publishes assets as ' +
          '<account>.dkr.ecr.<region>.<suffix>/<repository>:<hash>.',
      },
    );
  }
  return {
    registry: imageUri.slice(0, slash),
    repositoryName: imageUri.slice(slash + 1, colon),
    tag: imageUri.slice(colon + 1),
  };
}

/** Key of an image asset resource. */
export function imageAssetKey(asset: Pick<DockerImageAssetModel, 'hash'>): string {
  return `ImageAsset:${asset.hash}`;
}

/**
 * The problem of an asset whose image URI was resolved with the loader's placeholder account (the
 * stack is environment-agnostic): its repository name (the bootstrap's
 * `cdk-<qualifier>-container-assets-<account>-<region>`) would name an account that is not the
 * real one. Undefined when the URI is concrete.
 */
export function placeholderProblem(
  asset: DockerImageAssetModel,
  parts: ImageUriParts,
  stack: string,
): string | undefined {
  const placeholder = DEFAULT_DEPLOYMENT_ENVIRONMENT.account;
  if (!parts.registry.startsWith(`${placeholder}.`) || !parts.repositoryName.includes(placeholder)) return undefined;
  return (
    `docker image asset ${asset.hash} (${asset.directory}) of stack "` +
    `${stack}" goes to repository "${parts.repositoryName}", which names ` +
    `batchkit's placeholder account ${placeholder} because the stack is environment-agnostic, ` +
    'so batchkit cannot tell which ECR repository the app means. Fix: pass ' +
    '--account <your 12-digit account id> (and --region) to resolve ' +
    'environment-agnostic stacks for your account, or give the stack an ' +
    'environment (`env: { account, region }`) and synthesize again.'
  );
}

/**
 * The image assets the model's job definitions use, each once, with the stack of the first job
 * definition that uses it; registers `imageUri → ref(ImageAsset:<hash>)` in `modelRefs` and adds
 * the {@link placeholderProblem} of each to `problems`.
 */
export function imageAssetsOf(
  model: BatchModel,
  stackOf: (s: { source?: { stack?: string } }) => string,
  modelRefs: Map<string, string>,
  problems: string[],
): DesiredImageAsset[] {
  const out: DesiredImageAsset[] = [];
  for (const jd of model.jobDefinitions) {
    for (const image of imagesOf(jd)) {
      const asset = model.dockerImageAssets.find((a) => a.imageUri === image);
      if (!asset || modelRefs.has(asset.imageUri)) continue;
      const key = imageAssetKey(asset);
      const parts = parseImageUri(asset.imageUri);
      const { repositoryName } = parts;
      const problem = placeholderProblem(asset, parts, stackOf(jd));
      if (problem) problems.push(problem);
      modelRefs.set(asset.imageUri, key);
      out.push({
        kind: 'ImageAsset',
        key,
        name: `${repositoryName}:${asset.hash}`,
        stack: stackOf(jd),
        dependsOn: [],
        origin: `docker image asset ${asset.hash} (${asset.directory})`,
        asset,
        repositoryName,
        tag: asset.hash,
      });
    }
  }
  return out;
}
