/**
 * Request shapes of the Batch API model for containers and job definitions (RegisterJobDefinition
 * and SubmitJob's overrides), written in the {@link Shape} language from the model
 * (`batch/2016-08-10`). EKS and ECS task properties are accepted as JSON objects without a member
 * check: the local executor runs ECS-style container jobs only.
 */
import {
  anyCaseEnumOf,
  BOOL,
  doc,
  enumOf,
  FLOAT,
  INTEGER,
  list,
  long,
  map,
  req,
  str,
  STRING,
  struct,
  type Shape,
} from './shape';

/** `StringList`. */
export const STRING_LIST = list('StringList', STRING);
/** `TagrisTagsMap`: 1–50 tags, keys 1–128, values up to 256 characters. */
export const TAGRIS_TAGS = map(
  'TagrisTagsMap',
  str({ name: 'TagKey', min: 1, max: 128 }),
  str({ name: 'TagValue', max: 256 }),
  1,
  50,
);
/** `TagsMap` (tags of compute resources). */
export const TAGS_MAP = map('TagsMap', STRING, STRING);
/** `ParametersMap`. */
export const PARAMETERS = map('ParametersMap', STRING, STRING);

const KEY_VALUE = struct('KeyValuePair', { name: STRING, value: STRING });
/** `EnvironmentVariables`. */
export const ENVIRONMENT = list('EnvironmentVariables', KEY_VALUE);

/** `ResourceRequirements`. */
export const RESOURCE_REQUIREMENTS = list(
  'ResourceRequirements',
  struct('ResourceRequirement', { value: req(STRING), type: req(enumOf('ResourceType', ['GPU', 'VCPU', 'MEMORY'])) }),
);

const ENABLED_DISABLED = ['ENABLED', 'DISABLED'];

const VOLUMES = list(
  'Volumes',
  struct('Volume', {
    host: struct('Host', { sourcePath: STRING }),
    name: STRING,
    efsVolumeConfiguration: struct('EFSVolumeConfiguration', {
      fileSystemId: req(STRING),
      rootDirectory: STRING,
      transitEncryption: enumOf('EFSTransitEncryption', ENABLED_DISABLED),
      transitEncryptionPort: INTEGER,
      authorizationConfig: struct('EFSAuthorizationConfig', {
        accessPointId: STRING,
        iam: enumOf('EFSAuthorizationConfigIAM', ENABLED_DISABLED),
      }),
    }),
    s3filesVolumeConfiguration: doc('S3FilesVolumeConfiguration'),
  }),
);

const SECRETS = list('SecretList', struct('Secret', { name: req(STRING), valueFrom: req(STRING) }));

const LINUX_PARAMETERS = struct('LinuxParameters', {
  devices: list(
    'DevicesList',
    struct('Device', {
      hostPath: req(STRING),
      containerPath: STRING,
      permissions: list('DeviceCgroupPermissions', enumOf('DeviceCgroupPermission', ['READ', 'WRITE', 'MKNOD'])),
    }),
  ),
  initProcessEnabled: BOOL,
  sharedMemorySize: INTEGER,
  tmpfs: list(
    'TmpfsList',
    struct('Tmpfs', { containerPath: req(STRING), size: req(INTEGER), mountOptions: STRING_LIST }),
  ),
  maxSwap: INTEGER,
  swappiness: INTEGER,
});

const LOG_CONFIGURATION = struct('LogConfiguration', {
  logDriver: req(
    enumOf('LogDriver', ['json-file', 'syslog', 'journald', 'gelf', 'fluentd', 'awslogs', 'splunk', 'awsfirelens']),
  ),
  options: map('LogConfigurationOptionsMap', STRING, STRING),
  secretOptions: SECRETS,
});

const NETWORK_CONFIGURATION = struct('NetworkConfiguration', {
  assignPublicIp: enumOf('AssignPublicIp', ENABLED_DISABLED),
});
const EPHEMERAL_STORAGE = struct('EphemeralStorage', { sizeInGiB: req(INTEGER) });
const RUNTIME_PLATFORM = struct('RuntimePlatform', { operatingSystemFamily: STRING, cpuArchitecture: STRING });

/** `ContainerProperties`. */
export const CONTAINER_PROPERTIES = struct('ContainerProperties', {
  image: STRING,
  vcpus: INTEGER,
  memory: INTEGER,
  command: STRING_LIST,
  jobRoleArn: STRING,
  executionRoleArn: STRING,
  volumes: VOLUMES,
  environment: ENVIRONMENT,
  mountPoints: list(
    'MountPoints',
    struct('MountPoint', { containerPath: STRING, readOnly: BOOL, sourceVolume: STRING }),
  ),
  readonlyRootFilesystem: BOOL,
  privileged: BOOL,
  ulimits: list('Ulimits', struct('Ulimit', { hardLimit: req(INTEGER), name: req(STRING), softLimit: req(INTEGER) })),
  user: STRING,
  instanceType: STRING,
  resourceRequirements: RESOURCE_REQUIREMENTS,
  linuxParameters: LINUX_PARAMETERS,
  logConfiguration: LOG_CONFIGURATION,
  secrets: SECRETS,
  networkConfiguration: NETWORK_CONFIGURATION,
  fargatePlatformConfiguration: struct('FargatePlatformConfiguration', { platformVersion: STRING }),
  enableExecuteCommand: BOOL,
  ephemeralStorage: EPHEMERAL_STORAGE,
  runtimePlatform: RUNTIME_PLATFORM,
  repositoryCredentials: struct('RepositoryCredentials', { credentialsParameter: req(STRING) }),
});

const CONSUMABLE_RESOURCES = struct('ConsumableResourceProperties', {
  consumableResourceList: list(
    'ConsumableResourceList',
    struct('ConsumableResourceRequirement', { consumableResource: STRING, quantity: long() }),
  ),
});

/** `NodeProperties`. */
export const NODE_PROPERTIES = struct('NodeProperties', {
  numNodes: req(INTEGER),
  mainNode: req(INTEGER),
  nodeRangeProperties: req(
    list(
      'NodeRangeProperties',
      struct('NodeRangeProperty', {
        targetNodes: req(STRING),
        container: CONTAINER_PROPERTIES,
        instanceTypes: STRING_LIST,
        ecsProperties: doc('EcsProperties'),
        eksProperties: doc('EksProperties'),
        consumableResourceProperties: CONSUMABLE_RESOURCES,
      }),
    ),
  ),
});

/** `RetryStrategy`. */
export const RETRY_STRATEGY = struct('RetryStrategy', {
  attempts: INTEGER,
  evaluateOnExit: list(
    'EvaluateOnExitList',
    struct('EvaluateOnExit', {
      onStatusReason: STRING,
      onReason: STRING,
      onExitCode: STRING,
      action: req(anyCaseEnumOf('RetryAction', ['RETRY', 'EXIT'])),
    }),
  ),
});

/** `JobTimeout`. */
export const JOB_TIMEOUT = struct('JobTimeout', { attemptDurationSeconds: INTEGER });

/** `PlatformCapabilityList`. */
export const PLATFORM_CAPABILITIES = list('PlatformCapabilityList', enumOf('PlatformCapability', ['EC2', 'FARGATE']));

/** `RegisterJobDefinitionRequest`. */
export const REGISTER_JOB_DEFINITION = struct('RegisterJobDefinitionRequest', {
  jobDefinitionName: req(STRING),
  type: req(enumOf('JobDefinitionType', ['container', 'multinode'])),
  parameters: PARAMETERS,
  schedulingPriority: INTEGER,
  containerProperties: CONTAINER_PROPERTIES,
  nodeProperties: NODE_PROPERTIES,
  retryStrategy: RETRY_STRATEGY,
  propagateTags: BOOL,
  timeout: JOB_TIMEOUT,
  tags: TAGRIS_TAGS,
  platformCapabilities: PLATFORM_CAPABILITIES,
  eksProperties: doc('EksProperties'),
  ecsProperties: doc('EcsProperties'),
  consumableResourceProperties: CONSUMABLE_RESOURCES,
});

/** `ContainerOverrides`. */
export const CONTAINER_OVERRIDES = struct('ContainerOverrides', {
  vcpus: INTEGER,
  memory: INTEGER,
  command: STRING_LIST,
  instanceType: STRING,
  environment: ENVIRONMENT,
  resourceRequirements: RESOURCE_REQUIREMENTS,
});

/** `SubmitJobRequest`. */
export const SUBMIT_JOB: Shape = struct('SubmitJobRequest', {
  jobName: req(STRING),
  jobQueue: req(STRING),
  shareIdentifier: STRING,
  schedulingPriorityOverride: INTEGER,
  arrayProperties: struct('ArrayProperties', { size: INTEGER }),
  dependsOn: list(
    'JobDependencyList',
    struct('JobDependency', { jobId: STRING, type: enumOf('ArrayJobDependency', ['N_TO_N', 'SEQUENTIAL']) }),
  ),
  jobDefinition: req(STRING),
  parameters: PARAMETERS,
  containerOverrides: CONTAINER_OVERRIDES,
  nodeOverrides: struct('NodeOverrides', {
    numNodes: INTEGER,
    nodePropertyOverrides: list(
      'NodePropertyOverrides',
      struct('NodePropertyOverride', {
        targetNodes: req(STRING),
        containerOverrides: CONTAINER_OVERRIDES,
        ecsPropertiesOverride: doc('EcsPropertiesOverride'),
        instanceTypes: STRING_LIST,
        eksPropertiesOverride: doc('EksPropertiesOverride'),
        consumableResourcePropertiesOverride: CONSUMABLE_RESOURCES,
      }),
    ),
  }),
  retryStrategy: RETRY_STRATEGY,
  propagateTags: BOOL,
  timeout: JOB_TIMEOUT,
  tags: TAGRIS_TAGS,
  eksPropertiesOverride: doc('EksPropertiesOverride'),
  ecsPropertiesOverride: doc('EcsPropertiesOverride'),
  consumableResourcePropertiesOverride: CONSUMABLE_RESOURCES,
});

/** `FairsharePolicy`. */
export const FAIRSHARE_POLICY = struct('FairsharePolicy', {
  shareDecaySeconds: INTEGER,
  computeReservation: INTEGER,
  shareDistribution: list(
    'ShareAttributesList',
    struct('ShareAttributes', { shareIdentifier: req(STRING), weightFactor: FLOAT }),
  ),
});
