/**
 * The guide's launch-template scenario (AWS Batch User Guide, "Use Amazon EC2 launch templates with
 * AWS Batch"): an EC2 compute environment whose launch template carries MIME multipart user data — a
 * cloud-config part that installs amazon-efs-utils and mounts an EFS file system at `/mnt/efs`, and a
 * shell script part with ECS agent settings — and a job definition that mounts the instance's
 * `/mnt/efs` as a host volume.
 *
 * User data runs on the instances AWS starts, never locally: `batchkit local run` binds the host
 * volume's path on the Docker host instead (create `/mnt/efs` there, or any directory you mount it
 * to, before running), so jobs read and write a local directory where AWS would give them EFS.
 */
import { Size, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  BatchEnvironment,
  BatchLaunchTemplate,
  ContainerJobDefinition,
  JobContainer,
  JobImage,
  JobVolume,
} from '../../lib';

/** Props of {@link EfsLaunchTemplateStack}. */
export interface EfsLaunchTemplateStackProps extends StackProps {
  /**
   * The EFS file system the instances mount (an existing one, reachable from the environment's subnets).
   * @default 'fs-0123456789abcdef0'
   */
  readonly fileSystemId?: string;
  /**
   * Image of the job (anything with `sh`).
   * @default JobImage.fromRegistry('public.ecr.aws/amazonlinux/amazonlinux:2023')
   */
  readonly image?: JobImage;
  /**
   * Where the instances mount the file system, and the host volume's path.
   * @default '/mnt/efs'
   */
  readonly mountPath?: string;
}

/** An EC2 environment whose instances mount EFS at /mnt/efs, and a job that uses it as a host volume. */
export class EfsLaunchTemplateStack extends Stack {
  /** The launch template. */
  public readonly launchTemplate: BatchLaunchTemplate;
  /** The environment. */
  public readonly batch: BatchEnvironment;
  /** `efs-host-volume`: appends a line to /mnt/efs/runs.log (the host volume, mounted at /mnt/efs in the container). */
  public readonly jobDefinition: ContainerJobDefinition;

  constructor(scope: Construct, id: string, props: EfsLaunchTemplateStackProps = {}) {
    super(scope, id, props);
    const fileSystemId = props.fileSystemId ?? 'fs-0123456789abcdef0';
    const mountPath = props.mountPath ?? '/mnt/efs';
    this.launchTemplate = new BatchLaunchTemplate(this, 'LaunchTemplate');
    this.launchTemplate.addCloudConfig(
      [
        '#cloud-config',
        'packages:',
        '  - amazon-efs-utils',
        'runcmd:',
        `  - mkdir -p ${mountPath}`,
        `  - echo "${fileSystemId}:/ ${mountPath} efs tls,_netdev" >> /etc/fstab`,
        '  - mount -a -t efs defaults',
      ].join('\n'),
    );
    this.launchTemplate.addShellScript('echo ECS_IMAGE_PULL_BEHAVIOR=prefer-cached >> /etc/ecs/ecs.config');
    this.batch = new BatchEnvironment(this, 'Batch', {
      launchTemplate: this.launchTemplate,
      onDemandMaxvCpus: 16,
      spotMaxvCpus: 16,
    });
    this.jobDefinition = new ContainerJobDefinition(this, 'Job', {
      jobDefinitionName: 'efs-host-volume',
      container: JobContainer.ec2({
        image: props.image ?? JobImage.fromRegistry('public.ecr.aws/amazonlinux/amazonlinux:2023'),
        cpu: 1,
        memory: Size.mebibytes(256),
        command: ['sh', '-c', 'echo "run $AWS_BATCH_JOB_ID" >> /mnt/efs/runs.log && cat /mnt/efs/runs.log'],
        jobRole: this.batch.jobRole,
        volumes: [JobVolume.host({ name: 'efs', hostPath: mountPath, containerPath: '/mnt/efs' })],
      }),
    });
  }
}
