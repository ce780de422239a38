import { Size } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import { ContainerJobDefinition, JobContainer, JobImage, JobVolume } from '../../../lib/constructs/job';
import { newStack } from './_fixtures';

function fileSystem() {
  const stack = newStack();
  const fs = efs.FileSystem.fromFileSystemAttributes(stack, 'Fs', {
    fileSystemId: 'fs-12345678',
    securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-1'),
  });
  return { stack, fs };
}

describe('JobVolume', () => {
  test('a host volume renders the volume and its mount point', () => {
    const stack = newStack();
    new ContainerJobDefinition(stack, 'Job', {
      container: JobContainer.ec2({
        image: JobImage.fromRegistry('busybox'),
        cpu: 1,
        memory: Size.gibibytes(1),
        volumes: [
          JobVolume.host({ name: 'data', hostPath: '/mnt/data', containerPath: '/data', readonly: true }),
          JobVolume.host({ name: 'tmp', containerPath: '/tmp' }),
        ],
      }),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Batch::JobDefinition', {
      ContainerProperties: {
        Volumes: [{ Name: 'data', Host: { SourcePath: '/mnt/data' } }, { Name: 'tmp' }],
        MountPoints: [
          { SourceVolume: 'data', ContainerPath: '/data', ReadOnly: true },
          { SourceVolume: 'tmp', ContainerPath: '/tmp', ReadOnly: false },
        ],
      },
    });
  });

  test('an EFS volume with an access point turns transit encryption on by default', () => {
    const { fs } = fileSystem();
    const v = JobVolume.efs({
      name: 'shared',
      fileSystem: fs,
      containerPath: '/shared',
      accessPointId: 'fsap-1',
      useJobRole: true,
    });
    expect(v.renderVolume()).toEqual({
      name: 'shared',
      efsVolumeConfiguration: {
        fileSystemId: 'fs-12345678',
        transitEncryption: 'ENABLED',
        authorizationConfig: { accessPointId: 'fsap-1', iam: 'ENABLED' },
      },
    });
    expect(v.renderMountPoint()).toEqual({ sourceVolume: 'shared', containerPath: '/shared', readOnly: false });
  });

  test('a plain EFS volume keeps transit encryption off unless asked, with root directory and port', () => {
    const { fs } = fileSystem();
    expect(
      JobVolume.efs({ name: 'a', fileSystem: fs, containerPath: '/a', rootDirectory: '/exports' }).renderVolume()
        .efsVolumeConfiguration,
    ).toEqual({
      fileSystemId: 'fs-12345678',
      rootDirectory: '/exports',
      transitEncryption: 'DISABLED',
    });
    expect(
      JobVolume.efs({
        name: 'b',
        fileSystem: fs,
        containerPath: '/b',
        enableTransitEncryption: true,
        transitEncryptionPort: 2049,
      }).renderVolume().efsVolumeConfiguration,
    ).toEqual({ fileSystemId: 'fs-12345678', transitEncryption: 'ENABLED', transitEncryptionPort: 2049 });
  });

  /** A job definition using the volume: the EFS settings are checked by the core rule when it renders. */
  function jobWith(volume: JobVolume) {
    const { stack } = fileSystem();
    return () =>
      new ContainerJobDefinition(stack, 'Job', {
        container: JobContainer.ec2({
          image: JobImage.fromRegistry('busybox'),
          cpu: 1,
          memory: Size.gibibytes(1),
          volumes: [volume],
        }),
      });
  }

  test('an access point with transit encryption turned off is rejected by the job definition (BATCH-JD-035)', () => {
    const { fs } = fileSystem();
    const volume = JobVolume.efs({
      name: 'x',
      fileSystem: fs,
      containerPath: '/x',
      accessPointId: 'fsap-1',
      enableTransitEncryption: false,
    });
    expect(jobWith(volume)).toThrow(
      new RegExp(
        String.raw`^TestStack\/Job: \[BATCH-JD-035\] JobDefinition "Job" contai` +
          String.raw`nerProperties\.volumes\[0\]\.efsVolumeConfiguration\.transit` +
          String.raw`Encryption: volume "x" uses an access point without transit ` +
          String.raw`encryption.*Got: "DISABLED"\. Allowed: ENABLED`,
      ),
    );
  });

  test('IAM authorization with transit encryption turned off is rejected by the job definition (BATCH-JD-035)', () => {
    const { fs } = fileSystem();
    const volume = JobVolume.efs({
      name: 'x',
      fileSystem: fs,
      containerPath: '/x',
      useJobRole: true,
      enableTransitEncryption: false,
    });
    expect(jobWith(volume)).toThrow(/\[BATCH-JD-035\].*volume "x" uses IAM authorization without transit encryption/);
  });

  test('a root directory other than / with an access point is rejected by the job definition (BATCH-JD-035)', () => {
    const { fs } = fileSystem();
    const volume = JobVolume.efs({
      name: 'x',
      fileSystem: fs,
      containerPath: '/x',
      accessPointId: 'fsap-1',
      rootDirectory: '/data',
    });
    expect(jobWith(volume)).toThrow(/\[BATCH-JD-035\].*efsVolumeConfiguration\.rootDirectory: .*Got: "\/data"/);
    const root = JobVolume.efs({
      name: 'x',
      fileSystem: fs,
      containerPath: '/x',
      accessPointId: 'fsap-1',
      rootDirectory: '/',
    });
    expect(jobWith(root)).not.toThrow();
  });
});
