/**
 * Container images for job definitions: a registry image, an ECR repository image or a local
 * Docker directory built as a CDK asset. Pull permissions go to the stack's shared execution role.
 */
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { RepositoryCredentials } from '../../core/model/job-definition';

/** What an image renders into a container's properties. */
export interface JobImageConfig {
  /** `image`. */
  readonly imageName: string;
  /** `repositoryCredentials`, for private registries. */
  readonly repositoryCredentials?: RepositoryCredentials;
}

/** Options of {@link JobImage.fromRegistry}. */
export interface RegistryImageOptions {
  /**
   * Secrets Manager secret with the registry's `username` and `password`.
   * @default - no credentials: the image is public (Docker Hub, public ECR, ...)
   */
  readonly credentials?: secretsmanager.ISecret;
}

/** A container image. */
export abstract class JobImage {
  /**
   * An image from a registry, `repository[:tag]` or `repository@digest` (e.g.
   * `public.ecr.aws/docker/library/busybox:1.36`).
   */
  public static fromRegistry(name: string, options: RegistryImageOptions = {}): JobImage {
    return new RegistryImage(name, options);
  }

  /**
   * An image in an ECR repository; the execution role may pull from it.
   * @param tagOrDigest tag (`v1`) or digest (`sha256:...`). @default 'latest'
   */
  public static fromEcrRepository(repository: ecr.IRepository, tagOrDigest: string = 'latest'): JobImage {
    return new EcrImage(repository, tagOrDigest);
  }

  /**
   * An image built from a local directory with a Dockerfile, published as a CDK asset. The same
   * `JobImage` used by several job definitions of a stack is one asset.
   */
  public static fromAsset(directory: string, options: ecrAssets.DockerImageAssetOptions = {}): JobImage {
    return new AssetImage(directory, options);
  }

  /** Renders the image for a job definition in `scope`, granting pulls to `executionRole`. */
  public abstract bind(scope: Construct, executionRole: iam.IRole): JobImageConfig;
}

class RegistryImage extends JobImage {
  constructor(
    private readonly name: string,
    private readonly options: RegistryImageOptions,
  ) {
    super();
  }
  public bind(_scope: Construct, executionRole: iam.IRole): JobImageConfig {
    if (!this.options.credentials) return { imageName: this.name };
    this.options.credentials.grantRead(executionRole);
    return {
      imageName: this.name,
      repositoryCredentials: { credentialsParameter: this.options.credentials.secretArn },
    };
  }
}

class EcrImage extends JobImage {
  constructor(
    private readonly repository: ecr.IRepository,
    private readonly tagOrDigest: string,
  ) {
    super();
  }
  public bind(_scope: Construct, executionRole: iam.IRole): JobImageConfig {
    this.repository.grantPull(executionRole);
    return { imageName: this.repository.repositoryUriForTagOrDigest(this.tagOrDigest) };
  }
}

class AssetImage extends JobImage {
  private readonly assets = new Map<string, ecrAssets.DockerImageAsset>();
  private readonly granted = new Set<string>();
  constructor(
    private readonly directory: string,
    private readonly options: ecrAssets.DockerImageAssetOptions,
  ) {
    super();
  }
  public bind(scope: Construct, executionRole: iam.IRole): JobImageConfig {
    const key = executionRole.node.path;
    let asset = this.assets.get(key);
    if (!asset) {
      asset = new ecrAssets.DockerImageAsset(scope, 'ImageAsset', { directory: this.directory, ...this.options });
      this.assets.set(key, asset);
    }
    if (!this.granted.has(key)) {
      asset.repository.grantPull(executionRole);
      this.granted.add(key);
    }
    return { imageName: asset.imageUri };
  }
}
