/**
 * Volumes with their mount point: a host path or an Amazon EFS file system.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/efs-volumes.html
 */
import type * as efs from 'aws-cdk-lib/aws-efs';
import type { MountPoint, Volume } from '../../core/model/job-definition';

/** Where and how a volume is mounted. */
export interface VolumeMountOptions {
  /** Volume name, unique in the job definition: 1–255 letters, digits, hyphens, underscores. */
  readonly name: string;
  /** Absolute path in the container. */
  readonly containerPath: string;
  /**
   * Mount read-only.
   * @default false
   */
  readonly readonly?: boolean;
}

/** Options of {@link JobVolume.host}. */
export interface HostVolumeOptions extends VolumeMountOptions {
  /**
   * Path on the instance. EC2 jobs only.
   * @default - Docker picks a host directory that lives as long as the container
   */
  readonly hostPath?: string;
}

/** Options of {@link JobVolume.efs}. */
export interface EfsVolumeOptions extends VolumeMountOptions {
  /** The file system. */
  readonly fileSystem: efs.IFileSystem;
  /**
   * Directory of the file system mounted as the volume's root. Must be `/` or absent with an access point.
   * @default - the file system root
   */
  readonly rootDirectory?: string;
  /**
   * Encrypt data in transit. Required (and defaulted on) with an access point or IAM authorization.
   * @default - true with `accessPointId` or `useJobRole`, else false
   */
  readonly enableTransitEncryption?: boolean;
  /**
   * Port for encrypted traffic.
   * @default - the EFS mount helper's default
   */
  readonly transitEncryptionPort?: number;
  /**
   * EFS access point id (`fsap-...`).
   * @default - no access point
   */
  readonly accessPointId?: string;
  /**
   * Authorize with the job role (EFS IAM authorization).
   * @default false
   */
  readonly useJobRole?: boolean;
}

/** A volume and its mount point. */
export abstract class JobVolume {
  /** A host path (or a Docker-managed directory). */
  public static host(options: HostVolumeOptions): JobVolume {
    return new HostVolume(options);
  }

  /**
   * An Amazon EFS file system. On Fargate it needs platform version 1.4.0 or later (batchkit's
   * default is `LATEST`).
   * A job definition using it reports `BATCH-JD-035` (with its construct path) when transit
   * encryption is turned off with an access point or IAM authorization, or a root directory other
   * than `/` is set with an access point.
   */
  public static efs(options: EfsVolumeOptions): JobVolume {
    return new EfsVolume(options);
  }

  protected constructor(protected readonly mount: VolumeMountOptions) {}

  /** The volume's name. */
  public get name(): string {
    return this.mount.name;
  }

  /** The `volumes` entry. */
  public abstract renderVolume(): Volume;

  /** The `mountPoints` entry. */
  public renderMountPoint(): MountPoint {
    return {
      sourceVolume: this.mount.name,
      containerPath: this.mount.containerPath,
      readOnly: this.mount.readonly ?? false,
    };
  }
}

class HostVolume extends JobVolume {
  constructor(private readonly options: HostVolumeOptions) {
    super(options);
  }
  public renderVolume(): Volume {
    return {
      name: this.options.name,
      ...(this.options.hostPath !== undefined ? { host: { sourcePath: this.options.hostPath } } : {}),
    };
  }
}

class EfsVolume extends JobVolume {
  constructor(private readonly options: EfsVolumeOptions) {
    super(options);
  }
  public renderVolume(): Volume {
    const o = this.options;
    const tls = o.enableTransitEncryption ?? (o.accessPointId !== undefined || o.useJobRole === true);
    const auth =
      o.accessPointId !== undefined || o.useJobRole !== undefined
        ? {
            authorizationConfig: {
              ...(o.accessPointId !== undefined ? { accessPointId: o.accessPointId } : {}),
              ...(o.useJobRole !== undefined
                ? { iam: o.useJobRole ? ('ENABLED' as const) : ('DISABLED' as const) }
                : {}),
            },
          }
        : {};
    return {
      name: o.name,
      efsVolumeConfiguration: {
        fileSystemId: o.fileSystem.fileSystemId,
        ...(o.rootDirectory !== undefined ? { rootDirectory: o.rootDirectory } : {}),
        transitEncryption: tls ? 'ENABLED' : 'DISABLED',
        ...(o.transitEncryptionPort !== undefined ? { transitEncryptionPort: o.transitEncryptionPort } : {}),
        ...auth,
      },
    };
  }
}
