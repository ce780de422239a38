/**
 * Fargate with EFS: a `FargateBatchEnvironment` and a job that mounts an encrypted EFS file system
 * at /mnt/shared through an access point, with transit encryption and IAM authorization (the job
 * role is granted client access). The file system accepts NFS only from the Fargate environments.
 */
import { RemovalPolicy, Size, Stack, type StackProps } from 'aws-cdk-lib';
import * as efs from 'aws-cdk-lib/aws-efs';
import type { Construct } from 'constructs';
import {
  type ContainerJobDefinition,
  FargateBatchEnvironment,
  FargatePlatformVersion,
  JobImage,
  JobVolume,
} from '../../lib';

/** Fargate jobs writing to a shared EFS file system. */
export class FargateEfsStack extends Stack {
  /** The environment. */
  public readonly batch: FargateBatchEnvironment;
  /** The file system. */
  public readonly fileSystem: efs.FileSystem;
  /** `fargate-efs-writer`. */
  public readonly jobDefinition: ContainerJobDefinition;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.batch = new FargateBatchEnvironment(this, 'Fargate', { maxvCpus: 32 });
    this.fileSystem = new efs.FileSystem(this, 'Shared', {
      vpc: this.batch.vpc,
      encrypted: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.fileSystem.connections.allowDefaultPortFrom(this.batch.fargate, 'Fargate Batch jobs');
    this.fileSystem.connections.allowDefaultPortFrom(this.batch.fargateSpot, 'Fargate Spot Batch jobs');
    const accessPoint = this.fileSystem.addAccessPoint('JobsAccessPoint', {
      path: '/batch',
      createAcl: { ownerUid: '1000', ownerGid: '1000', permissions: '750' },
      posixUser: { uid: '1000', gid: '1000' },
    });
    this.fileSystem.grant(this.batch.jobRole, 'elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite');
    this.jobDefinition = this.batch.addJobDefinition('Writer', {
      jobDefinitionName: 'fargate-efs-writer',
      image: JobImage.fromRegistry('public.ecr.aws/amazonlinux/amazonlinux:2023'),
      cpu: 0.5,
      memory: Size.gibibytes(1),
      platformVersion: FargatePlatformVersion.LATEST,
      command: ['sh', '-c', 'date >> /mnt/shared/runs.log && tail -n 5 /mnt/shared/runs.log'],
      volumes: [
        JobVolume.efs({
          name: 'shared',
          containerPath: '/mnt/shared',
          fileSystem: this.fileSystem,
          accessPointId: accessPoint.accessPointId,
          enableTransitEncryption: true,
          useJobRole: true,
        }),
      ],
    });
  }
}
