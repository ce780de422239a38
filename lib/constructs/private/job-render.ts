/**
 * Renders a {@link JobContainer} into the Batch API's `ContainerProperties`, granting what the
 * shared execution role needs (image pull, secrets, log group). The values are checked by the core
 * rules when the job definition is rendered (reserved environment names, vCPU values, ...).
 */
import { Stack, Token, Tokenization } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type {
  ContainerProperties,
  LinuxParameters,
  LogConfiguration,
  ResourceRequirement,
} from '../../core/model/job-definition';
import type { JobContainer, LinuxParametersOptions } from '../job/job-container';

/** A number as Batch's string amount; a number token stays a (string) token. */
function numberString(n: number): string {
  return Token.isUnresolved(n) ? Tokenization.stringifyNumber(n) : String(n);
}

function mib(size: { toMebibytes(): number }): number {
  return size.toMebibytes();
}

function renderLinux(
  l: LinuxParametersOptions | undefined,
  initProcessEnabled: boolean | undefined,
): LinuxParameters | undefined {
  const out: LinuxParameters = {};
  const init = l?.initProcessEnabled ?? initProcessEnabled;
  if (init !== undefined) out.initProcessEnabled = init;
  if (l?.sharedMemorySize) out.sharedMemorySize = mib(l.sharedMemorySize);
  if (l?.maxSwap) out.maxSwap = mib(l.maxSwap);
  if (l?.swappiness !== undefined) out.swappiness = l.swappiness;
  if (l?.devices?.length) {
    out.devices = l.devices.map((d) => ({
      hostPath: d.hostPath,
      ...(d.containerPath !== undefined ? { containerPath: d.containerPath } : {}),
      ...(d.permissions ? { permissions: [...d.permissions] } : {}),
    }));
  }
  if (l?.tmpfs?.length) {
    out.tmpfs = l.tmpfs.map((t) => ({
      containerPath: t.containerPath,
      size: mib(t.size),
      ...(t.mountOptions ? { mountOptions: [...t.mountOptions] } : {}),
    }));
  }
  return Object.keys(out).length ? out : undefined;
}

function renderLogging(scope: Construct, c: JobContainer, role: iam.IRole): LogConfiguration | undefined {
  const l = c.options.logging;
  if (!l) return undefined;
  if (l.logDriver !== 'awslogs')
    return { logDriver: l.logDriver, ...(Object.keys(l.options).length ? { options: { ...l.options } } : {}) };
  const options: Record<string, string> = {};
  if (l.logGroup) {
    l.logGroup.grantWrite(role);
    options['awslogs-group'] = l.logGroup.logGroupName;
    options['awslogs-region'] = Stack.of(scope).region;
  }
  if (l.streamPrefix !== undefined) options['awslogs-stream-prefix'] = l.streamPrefix;
  return { logDriver: 'awslogs', ...(Object.keys(options).length ? { options } : {}) };
}

/** A rendered container: `image` is always set. */
export type RenderedContainer = ContainerProperties & { image: string };

/**
 * The container in the Batch API's shape.
 */
export function renderContainer(scope: Construct, c: JobContainer, executionRole: iam.IRole): RenderedContainer {
  const o = c.options;
  const image = o.image.bind(scope, executionRole);
  const resourceRequirements: ResourceRequirement[] = [
    { type: 'VCPU', value: numberString(o.cpu) },
    { type: 'MEMORY', value: numberString(mib(o.memory)) },
  ];
  if (o.gpu !== undefined) resourceRequirements.push({ type: 'GPU', value: numberString(o.gpu) });
  const props: RenderedContainer = {
    image: image.imageName,
    resourceRequirements,
    executionRoleArn: executionRole.roleArn,
  };
  if (image.repositoryCredentials) props.repositoryCredentials = image.repositoryCredentials;
  if (o.command) props.command = [...o.command];
  if (o.environment && Object.keys(o.environment).length) {
    props.environment = Object.entries(o.environment).map(([name, value]) => ({ name, value }));
  }
  if (o.secrets && Object.keys(o.secrets).length) {
    props.secrets = Object.entries(o.secrets).map(([name, secret]) => {
      secret.grantRead(executionRole);
      return { name, valueFrom: secret.valueFrom };
    });
  }
  if (o.jobRole) props.jobRoleArn = o.jobRole.roleArn;
  if (o.volumes?.length) {
    props.volumes = o.volumes.map((v) => v.renderVolume());
    props.mountPoints = o.volumes.map((v) => v.renderMountPoint());
  }
  const logConfiguration = renderLogging(scope, c, executionRole);
  if (logConfiguration) props.logConfiguration = logConfiguration;
  if (o.readonlyRootFilesystem !== undefined) props.readonlyRootFilesystem = o.readonlyRootFilesystem;
  if (o.user !== undefined) props.user = o.user;
  if (o.privileged !== undefined) props.privileged = o.privileged;
  if (o.ulimits?.length)
    props.ulimits = o.ulimits.map((u) => ({ name: u.name, softLimit: u.softLimit, hardLimit: u.hardLimit }));
  const f = c.fargateOptions;
  const linux = renderLinux(o.linuxParameters, f?.initProcessEnabled);
  if (linux) props.linuxParameters = linux;
  if (f) {
    props.networkConfiguration = { assignPublicIp: f.assignPublicIp ? 'ENABLED' : 'DISABLED' };
    props.fargatePlatformConfiguration = { platformVersion: f.platformVersion ?? 'LATEST' };
    if (f.ephemeralStorage) props.ephemeralStorage = { sizeInGiB: f.ephemeralStorage.toGibibytes() };
    if (f.cpuArchitecture)
      props.runtimePlatform = { cpuArchitecture: f.cpuArchitecture, operatingSystemFamily: 'LINUX' };
  }
  return props;
}
