/**
 * AWS Batch SDK shapes ⇄ the core model for job definitions and SubmitJob: RegisterJobDefinition
 * from the model (apply), DescribeJobDefinitions into the model (doctor's placement check), and a
 * SubmitJob request into the model (checked by the core SubmitJob rules). Fields whose types
 * differ between the SDK and the model (log drivers, fields the model requires) are mapped one by
 * one; the rest of each shape is passed as the compiler checks it, and {@link JobFieldChecks}
 * fails to compile when a model field is missing from the SDK. Unknown enum values: see `map-util.ts`.
 */
import type * as batch from '@aws-sdk/client-batch';
import { PLATFORM_CAPABILITIES, type KeyValuePair } from '../../core/model/common';
import type { JobDefinitionStatus } from '../../core/model/job-definition';
import {
  JOB_DEFINITION_TYPES,
  RESOURCE_TYPES,
  type ContainerProperties,
  type JobDefinition,
  type LinuxParameters,
  type LogConfiguration,
  type NodeProperties,
  type NodeRangeProperty,
  type RepositoryCredentials,
  type ResourceRequirement,
  type RetryStrategy,
  type Secret,
  type Ulimit,
  type Volume,
} from '../../core/model/job-definition';
import type {
  EcsProperties,
  EksContainer,
  EksContainerEnvironmentVariable,
  EksContainerOverride,
  EksProperties,
  TaskContainerCondition,
  TaskContainerProperties,
} from '../../core/model/job-definition-pods';
import type { ContainerOverrides, NodeOverrides, SubmitJobRequest } from '../../core/model/job';
import {
  compact,
  mapList,
  oneOf,
  ORCHESTRATION_TYPES,
  required,
  type AllFields,
  type Check,
  type FieldsIn,
} from './map-util';

const LOG_DRIVERS: readonly batch.LogDriver[] = [
  'awsfirelens',
  'awslogs',
  'fluentd',
  'gelf',
  'journald',
  'json-file',
  'splunk',
  'syslog',
];
const STATUSES: readonly JobDefinitionStatus[] = ['ACTIVE', 'INACTIVE'];
const RETRY_ACTIONS: readonly ('RETRY' | 'EXIT')[] = ['RETRY', 'EXIT'];

/** Compile-time: every model field of these shapes exists in the SDK's shape. */
export type JobFieldChecks = [
  Check<FieldsIn<JobDefinition, batch.JobDefinition>>,
  Check<FieldsIn<ContainerProperties, batch.ContainerProperties>>,
  Check<FieldsIn<NodeProperties, batch.NodeProperties>>,
  Check<FieldsIn<LogConfiguration, batch.LogConfiguration>>,
  Check<FieldsIn<RetryStrategy, batch.RetryStrategy>>,
  Check<FieldsIn<TaskContainerProperties, batch.TaskContainerProperties>>,
  Check<FieldsIn<EksProperties, batch.EksProperties>>,
  Check<FieldsIn<SubmitJobRequest, batch.SubmitJobCommandInput>>,
  Check<FieldsIn<ContainerOverrides, batch.ContainerOverrides>>,
];

// ---------------------------------------------------------------- model → SDK

function logToSdk(l: LogConfiguration, resource: string): batch.LogConfiguration {
  return compact({
    logDriver: required(LOG_DRIVERS, l.logDriver, resource, 'logConfiguration.logDriver', 'app'),
    options: l.options,
    secretOptions: l.secretOptions,
  });
}

function containerToSdk(c: ContainerProperties, resource: string): batch.ContainerProperties {
  return compact({ ...c, logConfiguration: c.logConfiguration && logToSdk(c.logConfiguration, resource) });
}

function ecsToSdk(e: EcsProperties, resource: string): batch.EcsProperties {
  return {
    taskProperties: e.taskProperties.map((t) => ({
      ...t,
      containers: t.containers.map((c) =>
        compact({ ...c, logConfiguration: c.logConfiguration && logToSdk(c.logConfiguration, resource) }),
      ),
    })),
  };
}

/** The request fields of a job definition, as the provisioner's desired state holds them. */
export type JobDefinitionSpec = Omit<
  JobDefinition,
  'jobDefinitionArn' | 'revision' | 'status' | 'containerOrchestrationType'
>;

/** RegisterJobDefinition for a model job definition, under `name`. */
export function registerJobDefinitionInput(
  name: string,
  spec: JobDefinitionSpec,
): batch.RegisterJobDefinitionCommandInput {
  const resource = `job definition "${name}"`;
  return compact({
    jobDefinitionName: name,
    type: spec.type,
    parameters: spec.parameters,
    schedulingPriority: spec.schedulingPriority,
    containerProperties: spec.containerProperties && containerToSdk(spec.containerProperties, resource),
    nodeProperties: spec.nodeProperties && {
      ...spec.nodeProperties,
      nodeRangeProperties: spec.nodeProperties.nodeRangeProperties.map((r) =>
        compact({
          ...r,
          container: r.container && containerToSdk(r.container, resource),
          ecsProperties: r.ecsProperties && ecsToSdk(r.ecsProperties, resource),
        }),
      ),
    },
    retryStrategy: spec.retryStrategy,
    propagateTags: spec.propagateTags,
    timeout: spec.timeout,
    tags: spec.tags,
    platformCapabilities: spec.platformCapabilities,
    eksProperties: spec.eksProperties,
    ecsProperties: spec.ecsProperties && ecsToSdk(spec.ecsProperties, resource),
  } satisfies AllFields<JobDefinitionSpec>);
}

// ---------------------------------------------------------------- SDK → model

function requirementsFromSdk(
  list: batch.ResourceRequirement[] | undefined,
  resource: string,
): ResourceRequirement[] | undefined {
  return mapList(list, (r) => ({
    value: r.value ?? '',
    type: required(RESOURCE_TYPES, r.type, resource, 'resourceRequirements[].type'),
  }));
}

function secretsFromSdk(list: batch.Secret[] | undefined): Secret[] | undefined {
  return mapList(list, (s) =>
    s.name === undefined || s.valueFrom === undefined ? undefined : { name: s.name, valueFrom: s.valueFrom },
  );
}

function logFromSdk(l: batch.LogConfiguration | undefined): LogConfiguration | undefined {
  if (!l?.logDriver) return undefined;
  return compact({ logDriver: l.logDriver, options: l.options, secretOptions: secretsFromSdk(l.secretOptions) });
}

function environmentFromSdk(list: batch.KeyValuePair[] | undefined): KeyValuePair[] | undefined {
  return mapList(list, (e) => compact({ name: e.name, value: e.value }));
}

function linuxFromSdk(l: batch.LinuxParameters): LinuxParameters {
  return compact({
    ...l,
    devices: mapList(l.devices, (d) => (d.hostPath === undefined ? undefined : { ...d, hostPath: d.hostPath })),
    tmpfs: mapList(l.tmpfs, (t) =>
      t.containerPath === undefined ? undefined : { ...t, containerPath: t.containerPath, size: t.size ?? 0 },
    ),
  });
}

function credentialsFromSdk(r: batch.RepositoryCredentials | undefined): RepositoryCredentials | undefined {
  return r?.credentialsParameter === undefined ? undefined : { credentialsParameter: r.credentialsParameter };
}

function volumesFromSdk(list: batch.Volume[] | undefined): Volume[] | undefined {
  return mapList(list, (v) => {
    const efs = v.efsVolumeConfiguration;
    return compact({
      ...v,
      efsVolumeConfiguration: efs?.fileSystemId === undefined ? undefined : { ...efs, fileSystemId: efs.fileSystemId },
    });
  });
}

function ulimitsFromSdk(list: batch.Ulimit[] | undefined): Ulimit[] | undefined {
  return mapList(list, (u) =>
    u.name === undefined ? undefined : { name: u.name, hardLimit: u.hardLimit ?? 0, softLimit: u.softLimit ?? 0 },
  );
}

function containerFromSdk(c: batch.ContainerProperties, resource: string): ContainerProperties {
  return compact({
    ...c,
    volumes: volumesFromSdk(c.volumes),
    environment: environmentFromSdk(c.environment),
    ulimits: ulimitsFromSdk(c.ulimits),
    resourceRequirements: requirementsFromSdk(c.resourceRequirements, resource),
    linuxParameters: c.linuxParameters && linuxFromSdk(c.linuxParameters),
    logConfiguration: logFromSdk(c.logConfiguration),
    secrets: secretsFromSdk(c.secrets),
    ephemeralStorage: c.ephemeralStorage && { sizeInGiB: c.ephemeralStorage.sizeInGiB ?? 0 },
    repositoryCredentials: credentialsFromSdk(c.repositoryCredentials),
  });
}

function nodeFromSdk(n: batch.NodeProperties, resource: string): NodeProperties {
  return {
    numNodes: n.numNodes ?? 0,
    mainNode: n.mainNode ?? 0,
    nodeRangeProperties: (n.nodeRangeProperties ?? []).map((r) =>
      compact({
        targetNodes: r.targetNodes ?? '',
        container: r.container && containerFromSdk(r.container, resource),
        ecsProperties: r.ecsProperties && ecsFromSdk(r.ecsProperties, resource),
        instanceTypes: r.instanceTypes,
      } satisfies AllFields<NodeRangeProperty>),
    ),
  };
}

function retryFromSdk(r: batch.RetryStrategy, resource: string): RetryStrategy {
  return compact({
    attempts: r.attempts,
    evaluateOnExit: mapList(r.evaluateOnExit, (e) =>
      compact({
        onStatusReason: e.onStatusReason,
        onReason: e.onReason,
        onExitCode: e.onExitCode,
        action: required(RETRY_ACTIONS, e.action, resource, 'retryStrategy.evaluateOnExit[].action'),
      }),
    ),
  });
}

/** A job definition as DescribeJobDefinitions returns it, in the model's shape. */
export function jobDefinitionFromSdk(d: batch.JobDefinition): JobDefinition {
  const name = d.jobDefinitionName ?? '';
  const resource = `job definition "${name}"`;
  return compact({
    jobDefinitionName: name,
    jobDefinitionArn: d.jobDefinitionArn,
    revision: d.revision,
    status: oneOf(STATUSES, d.status),
    type: required(JOB_DEFINITION_TYPES, d.type, resource, 'type'),
    schedulingPriority: d.schedulingPriority,
    parameters: d.parameters,
    retryStrategy: d.retryStrategy && retryFromSdk(d.retryStrategy, resource),
    containerProperties: d.containerProperties && containerFromSdk(d.containerProperties, resource),
    timeout: d.timeout,
    nodeProperties: d.nodeProperties && nodeFromSdk(d.nodeProperties, resource),
    ecsProperties: d.ecsProperties && ecsFromSdk(d.ecsProperties, resource),
    eksProperties: d.eksProperties && eksFromSdk(d.eksProperties),
    tags: d.tags,
    propagateTags: d.propagateTags,
    platformCapabilities: mapList(d.platformCapabilities, (p) => oneOf(PLATFORM_CAPABILITIES, p)),
    containerOrchestrationType: oneOf(ORCHESTRATION_TYPES, d.containerOrchestrationType),
  } satisfies AllFields<JobDefinition>);
}

function ecsFromSdk(e: batch.EcsProperties, resource: string): EcsProperties {
  return {
    taskProperties: (e.taskProperties ?? []).map((t) => ({
      ...t,
      volumes: volumesFromSdk(t.volumes),
      ephemeralStorage: t.ephemeralStorage && { sizeInGiB: t.ephemeralStorage.sizeInGiB ?? 0 },
      containers:
        mapList(t.containers, (c) =>
          c.image === undefined
            ? undefined
            : compact({
                ...c,
                image: c.image,
                linuxParameters: c.linuxParameters && linuxFromSdk(c.linuxParameters),
                repositoryCredentials: credentialsFromSdk(c.repositoryCredentials),
                ulimits: ulimitsFromSdk(c.ulimits),
                dependsOn: mapList(c.dependsOn, (d) =>
                  compact({ containerName: d.containerName, condition: oneOf(CONDITIONS, d.condition) }),
                ),
                environment: environmentFromSdk(c.environment),
                resourceRequirements: requirementsFromSdk(c.resourceRequirements, resource),
                logConfiguration: logFromSdk(c.logConfiguration),
                secrets: secretsFromSdk(c.secrets),
              }),
        ) ?? [],
    })),
  };
}

const CONDITIONS: readonly TaskContainerCondition[] = ['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'];

function eksEnvFromSdk(
  list: batch.EksContainerEnvironmentVariable[] | undefined,
): EksContainerEnvironmentVariable[] | undefined {
  return mapList(list, (v) => (v.name === undefined ? undefined : compact({ name: v.name, value: v.value })));
}

function eksContainersFromSdk(list: batch.EksContainer[] | undefined): EksContainer[] | undefined {
  return mapList(list, (c) =>
    c.image === undefined ? undefined : compact({ ...c, image: c.image, env: eksEnvFromSdk(c.env) }),
  );
}

function eksFromSdk(e: batch.EksProperties): EksProperties {
  const p = e.podProperties;
  if (!p) return {};
  return {
    podProperties: compact({
      ...p,
      imagePullSecrets: mapList(p.imagePullSecrets, (s) => (s.name === undefined ? undefined : { name: s.name })),
      containers: eksContainersFromSdk(p.containers),
      initContainers: eksContainersFromSdk(p.initContainers),
      volumes: mapList(p.volumes, (v) =>
        v.name === undefined
          ? undefined
          : compact({
              ...v,
              name: v.name,
              secret:
                v.secret?.secretName === undefined
                  ? undefined
                  : compact({ secretName: v.secret.secretName, optional: v.secret.optional }),
              persistentVolumeClaim:
                v.persistentVolumeClaim?.claimName === undefined
                  ? undefined
                  : compact({
                      claimName: v.persistentVolumeClaim.claimName,
                      readOnly: v.persistentVolumeClaim.readOnly,
                    }),
            }),
      ),
    }),
  };
}

// ---------------------------------------------------------------- SubmitJob

function overridesFromSdk(o: batch.ContainerOverrides, resource: string): ContainerOverrides {
  return compact({
    ...o,
    environment: environmentFromSdk(o.environment),
    resourceRequirements: requirementsFromSdk(o.resourceRequirements, resource),
  });
}

function nodeOverridesFromSdk(n: batch.NodeOverrides, resource: string): NodeOverrides {
  return compact({
    numNodes: n.numNodes,
    nodePropertyOverrides: mapList(n.nodePropertyOverrides, (p) =>
      compact({
        targetNodes: p.targetNodes ?? '',
        containerOverrides: p.containerOverrides && overridesFromSdk(p.containerOverrides, resource),
        instanceTypes: p.instanceTypes,
      }),
    ),
  });
}

function eksOverrideFromSdk(c: batch.EksContainerOverride): EksContainerOverride {
  return compact({
    name: c.name,
    image: c.image,
    command: c.command,
    args: c.args,
    env: eksEnvFromSdk(c.env),
    resources: c.resources,
  });
}

/** A SubmitJob request in the model's shape, for the core SubmitJob rules. */
export function submitJobFromSdk(r: batch.SubmitJobCommandInput): SubmitJobRequest {
  const resource = `SubmitJob "${r.jobName ?? ''}"`;
  return compact({
    jobName: r.jobName ?? '',
    jobQueue: r.jobQueue ?? '',
    shareIdentifier: r.shareIdentifier,
    schedulingPriorityOverride: r.schedulingPriorityOverride,
    arrayProperties: r.arrayProperties,
    dependsOn: r.dependsOn,
    jobDefinition: r.jobDefinition ?? '',
    parameters: r.parameters,
    containerOverrides: r.containerOverrides && overridesFromSdk(r.containerOverrides, resource),
    nodeOverrides: r.nodeOverrides && nodeOverridesFromSdk(r.nodeOverrides, resource),
    ecsPropertiesOverride: r.ecsPropertiesOverride && {
      taskProperties: mapList(r.ecsPropertiesOverride.taskProperties, (t) => ({
        containers: mapList(t.containers, (c) =>
          compact({
            name: c.name,
            command: c.command,
            environment: environmentFromSdk(c.environment),
            resourceRequirements: requirementsFromSdk(c.resourceRequirements, resource),
          }),
        ),
      })),
    },
    eksPropertiesOverride: r.eksPropertiesOverride && {
      podProperties:
        r.eksPropertiesOverride.podProperties &&
        compact({
          containers: mapList(r.eksPropertiesOverride.podProperties.containers, eksOverrideFromSdk),
          initContainers: mapList(r.eksPropertiesOverride.podProperties.initContainers, eksOverrideFromSdk),
          metadata: r.eksPropertiesOverride.podProperties.metadata,
        }),
    },
    retryStrategy: r.retryStrategy && retryFromSdk(r.retryStrategy, resource),
    propagateTags: r.propagateTags,
    timeout: r.timeout,
    tags: r.tags,
  } satisfies AllFields<SubmitJobRequest>);
}
