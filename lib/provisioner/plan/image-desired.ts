/**
 * The image assets of the desired state: which docker image assets the job definitions use, the
 * ECR repository each goes to (the part of its image URI between the registry and the tag) and
 * the key job definitions refer to it by. No AWS calls here (see `image-assets.ts`).
 */
import { BatchkitError } from '../../core/errors';
import { imagesOf } from '../../core/assembly/docker-assets';
import type { BatchModel, DockerImageAssetModel } from '../../core/model/batch-model';
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
      `The docker image asset URI "${imageUri}" is not of the form <registry>/<repository>:<tag>, so batchkit cannot tell which ECR repository to push it to.`,
      { fix: 'Synthesize the app again with a current aws-cdk-lib; the default synthesizer publishes assets as <account>.dkr.ecr.<region>.<suffix>/<repository>:<hash>.' },
    );
  }
  return { registry: imageUri.slice(0, slash), repositoryName: imageUri.slice(slash + 1, colon), tag: imageUri.slice(colon + 1) };
}

/** Key of an image asset resource. */
export function imageAssetKey(asset: Pick<DockerImageAssetModel, 'hash'>): string {
  return `ImageAsset:${asset.hash}`;
}

/**
 * The image assets the model's job definitions use, each once, with the stack of the first job
 * definition that uses it; registers `imageUri → ref(ImageAsset:<hash>)` in `modelRefs`.
 */
export function imageAssetsOf(model: BatchModel, stackOf: (s: { source?: { stack?: string } }) => string, modelRefs: Map<string, string>): DesiredImageAsset[] {
  const out: DesiredImageAsset[] = [];
  for (const jd of model.jobDefinitions) {
    for (const image of imagesOf(jd)) {
      const asset = model.dockerImageAssets.find((a) => a.imageUri === image);
      if (!asset || modelRefs.has(asset.imageUri)) continue;
      const key = imageAssetKey(asset);
      const { repositoryName } = parseImageUri(asset.imageUri);
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
