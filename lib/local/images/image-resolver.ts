/**
 * Turns a job definition's `image` into an image on the local engine:
 * - a CDK docker image asset (its ECR URI from the template, matched through the assembly's asset
 *   manifest) is built from its directory, Dockerfile, build args and target, and tagged
 *   `batchkit-asset:<hash>`; an existing tag with that content hash is reused;
 * - any other image is used by name, as it is on the engine (batchkit never pulls from a registry).
 * A failed build rejects with a {@link PrepareError} of kind `image-not-found`, which the executor
 * reports as AWS does for an image it cannot get: `CannotPullContainerError: ...`.
 */
import type Dockerode from 'dockerode';
import type { DockerImageAssetModel } from '../../core/model/batch-model';
import { isBatchkitError } from '../../core/errors';
import { PrepareError } from '../runtime/container-runtime';
import { engineMessage, isUnreachable, statusCode } from '../runtime/docker-errors';
import { listContextFiles } from './build-context';

/** Options of {@link ImageResolver}. */
export interface ImageResolverOptions {
  /** Docker image assets of the loaded app. @default - none: every image is used by name */
  readonly assets?: readonly DockerImageAssetModel[];
  /** Receives progress lines of asset builds (`Step 1/3 : FROM ...`). @default - builds are silent */
  readonly onProgress?: (line: string) => void;
}

/** The local tag batchkit gives a built asset. */
export function assetTag(hash: string): string {
  return `batchkit-asset:${hash}`;
}

/** Resolves images, building CDK docker image assets once per content hash. */
export class ImageResolver {
  private readonly byUri = new Map<string, DockerImageAssetModel>();
  private readonly byHash = new Map<string, DockerImageAssetModel>();
  private readonly builds = new Map<string, Promise<string>>();
  private readonly onProgress?: (line: string) => void;

  constructor(
    private readonly docker: Dockerode,
    options: ImageResolverOptions = {},
  ) {
    this.onProgress = options.onProgress;
    this.addAssets(options.assets ?? []);
  }

  /** Registers more docker image assets (for example after loading another assembly). */
  addAssets(assets: readonly DockerImageAssetModel[]): void {
    for (const asset of assets) {
      this.byUri.set(asset.imageUri, asset);
      this.byUri.set(asset.localTag, asset);
      this.byHash.set(asset.hash, asset);
    }
  }

  /**
   * The asset `image` refers to: by its exact URI or local tag, or by a tag equal to an asset's
   * content hash (CDK tags asset images with their hash, so a URI rendered for another account or
   * region still finds its asset).
   */
  findAsset(image: string): DockerImageAssetModel | undefined {
    const exact = this.byUri.get(image);
    if (exact) return exact;
    const colon = image.lastIndexOf(':');
    if (colon > image.lastIndexOf('/')) return this.byHash.get(image.slice(colon + 1));
    return undefined;
  }

  /** The local image reference to run for `image`; builds the asset first when it is one. */
  resolve(image: string): Promise<string> {
    const asset = this.findAsset(image);
    if (!asset) return Promise.resolve(image);
    let build = this.builds.get(asset.hash);
    if (!build) {
      build = this.ensureBuilt(asset);
      this.builds.set(asset.hash, build);
      // A failed build is retried by the next attempt (the Dockerfile may have been fixed).
      build.catch(() => this.builds.delete(asset.hash));
    }
    return build;
  }

  private async ensureBuilt(asset: DockerImageAssetModel): Promise<string> {
    const tag = asset.localTag || assetTag(asset.hash);
    try {
      await this.docker.getImage(tag).inspect();
      return tag;
    } catch (e) {
      if (statusCode(e) !== 404) throw this.failure(asset, e);
    }
    await this.build(asset, tag);
    return tag;
  }

  private async build(asset: DockerImageAssetModel, tag: string): Promise<void> {
    const dockerfile = asset.dockerFile ?? 'Dockerfile';
    this.onProgress?.(
      `building docker image asset ${asset.hash.slice(0, 12)} from ${asset.directory} (${dockerfile}) as ${tag}`,
    );
    let stream: NodeJS.ReadableStream;
    try {
      const files = listContextFiles(asset.directory);
      const options: Dockerode.ImageBuildOptions = {
        t: tag,
        dockerfile,
        rm: true,
        forcerm: true,
        networkmode: 'host',
        labels: { 'batchkit.managed': 'true', 'batchkit.asset-hash': asset.hash },
      };
      if (asset.buildArgs && Object.keys(asset.buildArgs).length > 0) options.buildargs = { ...asset.buildArgs };
      if (asset.target) options.target = asset.target;
      if (asset.platform && asset.platform !== hostPlatform()) options.platform = asset.platform;
      stream = await this.docker.buildImage({ context: asset.directory, src: files }, options);
    } catch (e) {
      throw this.failure(asset, e);
    }
    const error = await readBuildStream(stream, (line) => this.onProgress?.(line));
    if (error !== undefined) throw this.failure(asset, new Error(error));
  }

  private failure(asset: DockerImageAssetModel, e: unknown): Error {
    if (isBatchkitError(e)) {
      return new PrepareError({ kind: 'image-not-found', message: `docker image asset ${asset.hash}: ${e.message}` });
    }
    if (isUnreachable(e)) return new PrepareError({ kind: 'engine-unavailable', message: engineMessage(e) });
    return new PrepareError({
      kind: 'image-not-found',
      message:
        `building docker image asset ${asset.hash} from ${asset.directory} ` +
        `(${asset.dockerFile ?? 'Dockerfile'}) failed: ${engineMessage(e)}`,
    });
  }
}

/** `linux/amd64` or `linux/arm64` for this machine. */
function hostPlatform(): string {
  return `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`;
}

/**
 * Reads the engine's JSON-lines build output to its end. Returns the engine's error text, or
 * undefined when the build succeeded.
 */
export function readBuildStream(
  stream: NodeJS.ReadableStream,
  onLine: (line: string) => void,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    let buffer = '';
    let error: string | undefined;
    let done = false;
    const handle = (raw: string) => {
      if (raw.trim() === '') return;
      let event: { stream?: unknown; error?: unknown; errorDetail?: { message?: unknown } };
      try {
        event = JSON.parse(raw) as typeof event;
      } catch {
        onLine(raw.trim());
        return;
      }
      if (typeof event.error === 'string') error = event.error.trim();
      else if (typeof event.errorDetail?.message === 'string') error = event.errorDetail.message.trim();
      if (typeof event.stream === 'string') {
        for (const line of event.stream.split('\n')) if (line.trim() !== '') onLine(line.trimEnd());
      }
    };
    const finish = (streamError?: unknown) => {
      if (done) return;
      done = true;
      handle(buffer);
      if (error === undefined && streamError !== undefined) error = engineMessage(streamError);
      resolve(error);
    };
    stream.on('data', (chunk: Buffer | string) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) handle(line);
    });
    stream.on('error', (e: unknown) => finish(e));
    stream.on('end', () => finish());
    stream.on('close', () => finish());
  });
}
