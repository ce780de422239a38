/**
 * Request shapes of every operation the local Batch API serves, from the Batch API model
 * (`batch/2016-08-10`), in the {@link Shape} language. The tag operations take `resourceArn` from
 * the URI and `tagKeys` from the query string; the server folds them into the input first.
 */
import {
  FAIRSHARE_POLICY,
  REGISTER_JOB_DEFINITION,
  STRING_LIST,
  SUBMIT_JOB,
  TAGRIS_TAGS,
  TAGS_MAP,
} from './shapes-container';
import { BOOL, doc, enumOf, INTEGER, list, long, req, str, STRING, struct, type Shape } from './shape';

const STATE = ['ENABLED', 'DISABLED'];
const JOB_STATUSES = ['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED', 'FAILED'];

const LAUNCH_TEMPLATE = struct('LaunchTemplateSpecification', {
  launchTemplateId: STRING,
  launchTemplateName: STRING,
  version: STRING,
  overrides: list('LaunchTemplateSpecificationOverrideList', doc('LaunchTemplateSpecificationOverride')),
  userdataType: enumOf('UserdataType', ['EKS_BOOTSTRAP_SH', 'EKS_NODEADM']),
});

const EC2_CONFIGURATION = list(
  'Ec2ConfigurationList',
  struct('Ec2Configuration', {
    imageType: req(str({ name: 'ImageType', min: 1, max: 256 })),
    imageIdOverride: str({ name: 'ImageIdOverride', min: 1, max: 256 }),
    batchImageStatus: STRING,
    imageKubernetesVersion: str({ name: 'KubernetesVersion', min: 1, max: 256 }),
  }),
);

const SCALING_POLICY = struct('ComputeScalingPolicy', { minScaleDownDelayMinutes: INTEGER });

const CR_TYPE = enumOf('CRType', ['EC2', 'SPOT', 'FARGATE', 'FARGATE_SPOT']);

const COMPUTE_RESOURCE = struct('ComputeResource', {
  type: req(CR_TYPE),
  allocationStrategy: enumOf('CRAllocationStrategy', [
    'BEST_FIT',
    'BEST_FIT_PROGRESSIVE',
    'SPOT_CAPACITY_OPTIMIZED',
    'SPOT_PRICE_CAPACITY_OPTIMIZED',
  ]),
  minvCpus: INTEGER,
  maxvCpus: req(INTEGER),
  desiredvCpus: INTEGER,
  instanceTypes: STRING_LIST,
  imageId: STRING,
  subnets: req(STRING_LIST),
  securityGroupIds: STRING_LIST,
  ec2KeyPair: STRING,
  instanceRole: STRING,
  tags: TAGS_MAP,
  placementGroup: STRING,
  bidPercentage: INTEGER,
  spotIamFleetRole: STRING,
  launchTemplate: LAUNCH_TEMPLATE,
  ec2Configuration: EC2_CONFIGURATION,
  scalingPolicy: SCALING_POLICY,
});

const COMPUTE_RESOURCE_UPDATE = struct('ComputeResourceUpdate', {
  minvCpus: INTEGER,
  maxvCpus: INTEGER,
  desiredvCpus: INTEGER,
  subnets: STRING_LIST,
  securityGroupIds: STRING_LIST,
  allocationStrategy: enumOf('CRUpdateAllocationStrategy', [
    'BEST_FIT_PROGRESSIVE',
    'SPOT_CAPACITY_OPTIMIZED',
    'SPOT_PRICE_CAPACITY_OPTIMIZED',
  ]),
  instanceTypes: STRING_LIST,
  ec2KeyPair: STRING,
  instanceRole: STRING,
  tags: TAGS_MAP,
  placementGroup: STRING,
  bidPercentage: INTEGER,
  launchTemplate: LAUNCH_TEMPLATE,
  ec2Configuration: EC2_CONFIGURATION,
  updateToLatestImageVersion: BOOL,
  type: CR_TYPE,
  imageId: STRING,
  scalingPolicy: SCALING_POLICY,
});

const CE_ORDER = list(
  'ComputeEnvironmentOrders',
  struct('ComputeEnvironmentOrder', { order: req(INTEGER), computeEnvironment: req(STRING) }),
);
const SE_ORDER = list(
  'ServiceEnvironmentOrders',
  struct('ServiceEnvironmentOrder', { order: req(INTEGER), serviceEnvironment: req(STRING) }),
);
const TIME_LIMIT_ACTIONS = list(
  'JobStateTimeLimitActions',
  struct('JobStateTimeLimitAction', {
    reason: req(STRING),
    state: req(enumOf('JobStateTimeLimitActionsState', ['RUNNABLE'])),
    maxTimeSeconds: req(INTEGER),
    action: req(enumOf('JobStateTimeLimitActionsAction', ['CANCEL', 'TERMINATE'])),
  }),
);
const QUOTA_SHARE_POLICY = struct('QuotaSharePolicy', {
  idleResourceAssignmentStrategy: req(enumOf('QuotaShareIdleResourceAssignmentStrategy', ['FIFO'])),
});

const TAG_KEYS = list('TagKeysList', str({ name: 'TagKey', min: 1, max: 128 }), 1, 50);

/** Input shape of each served operation, by operation name. */
export const OPERATION_SHAPES: Readonly<Record<string, Shape>> = {
  SubmitJob: SUBMIT_JOB,
  DescribeJobs: struct('DescribeJobsRequest', { jobs: req(STRING_LIST) }),
  ListJobs: struct('ListJobsRequest', {
    jobQueue: STRING,
    arrayJobId: STRING,
    multiNodeJobId: STRING,
    jobStatus: enumOf('JobStatus', JOB_STATUSES),
    maxResults: INTEGER,
    nextToken: STRING,
    filters: list('ListJobsFilterList', struct('KeyValuesPair', { name: STRING, values: STRING_LIST })),
  }),
  CancelJob: struct('CancelJobRequest', { jobId: req(STRING), reason: req(STRING) }),
  TerminateJob: struct('TerminateJobRequest', { jobId: req(STRING), reason: req(STRING) }),
  RegisterJobDefinition: REGISTER_JOB_DEFINITION,
  DescribeJobDefinitions: struct('DescribeJobDefinitionsRequest', {
    jobDefinitions: STRING_LIST,
    maxResults: INTEGER,
    jobDefinitionName: STRING,
    status: STRING,
    nextToken: STRING,
  }),
  DeregisterJobDefinition: struct('DeregisterJobDefinitionRequest', { jobDefinition: req(STRING) }),
  CreateComputeEnvironment: struct('CreateComputeEnvironmentRequest', {
    computeEnvironmentName: req(STRING),
    type: req(enumOf('CEType', ['MANAGED', 'UNMANAGED'])),
    state: enumOf('CEState', STATE),
    unmanagedvCpus: INTEGER,
    computeResources: COMPUTE_RESOURCE,
    serviceRole: STRING,
    tags: TAGRIS_TAGS,
    eksConfiguration: struct('EksConfiguration', { eksClusterArn: req(STRING), kubernetesNamespace: req(STRING) }),
    context: STRING,
  }),
  DescribeComputeEnvironments: struct('DescribeComputeEnvironmentsRequest', {
    computeEnvironments: STRING_LIST,
    maxResults: INTEGER,
    nextToken: STRING,
  }),
  UpdateComputeEnvironment: struct('UpdateComputeEnvironmentRequest', {
    computeEnvironment: req(STRING),
    state: enumOf('CEState', STATE),
    unmanagedvCpus: INTEGER,
    computeResources: COMPUTE_RESOURCE_UPDATE,
    serviceRole: STRING,
    updatePolicy: struct('UpdatePolicy', {
      terminateJobsOnUpdate: BOOL,
      jobExecutionTimeoutMinutes: long('JobExecutionTimeoutMinutes', 1, 360),
    }),
    context: STRING,
  }),
  DeleteComputeEnvironment: struct('DeleteComputeEnvironmentRequest', { computeEnvironment: req(STRING) }),
  CreateJobQueue: struct('CreateJobQueueRequest', {
    jobQueueName: req(STRING),
    state: enumOf('JQState', STATE),
    schedulingPolicyArn: STRING,
    priority: req(INTEGER),
    computeEnvironmentOrder: CE_ORDER,
    serviceEnvironmentOrder: SE_ORDER,
    jobQueueType: enumOf('JobQueueType', ['EKS', 'ECS', 'ECS_FARGATE', 'SAGEMAKER_TRAINING']),
    tags: TAGRIS_TAGS,
    jobStateTimeLimitActions: TIME_LIMIT_ACTIONS,
  }),
  DescribeJobQueues: struct('DescribeJobQueuesRequest', {
    jobQueues: STRING_LIST,
    maxResults: INTEGER,
    nextToken: STRING,
  }),
  UpdateJobQueue: struct('UpdateJobQueueRequest', {
    jobQueue: req(STRING),
    state: enumOf('JQState', STATE),
    schedulingPolicyArn: STRING,
    priority: INTEGER,
    computeEnvironmentOrder: CE_ORDER,
    serviceEnvironmentOrder: SE_ORDER,
    jobStateTimeLimitActions: TIME_LIMIT_ACTIONS,
  }),
  DeleteJobQueue: struct('DeleteJobQueueRequest', { jobQueue: req(STRING) }),
  CreateSchedulingPolicy: struct('CreateSchedulingPolicyRequest', {
    name: req(STRING),
    quotaSharePolicy: QUOTA_SHARE_POLICY,
    fairsharePolicy: FAIRSHARE_POLICY,
    tags: TAGRIS_TAGS,
  }),
  DescribeSchedulingPolicies: struct('DescribeSchedulingPoliciesRequest', { arns: req(STRING_LIST) }),
  ListSchedulingPolicies: struct('ListSchedulingPoliciesRequest', { maxResults: INTEGER, nextToken: STRING }),
  UpdateSchedulingPolicy: struct('UpdateSchedulingPolicyRequest', {
    arn: req(STRING),
    quotaSharePolicy: QUOTA_SHARE_POLICY,
    fairsharePolicy: FAIRSHARE_POLICY,
  }),
  DeleteSchedulingPolicy: struct('DeleteSchedulingPolicyRequest', { arn: req(STRING) }),
  TagResource: struct('TagResourceRequest', { resourceArn: req(STRING), tags: req(TAGRIS_TAGS) }),
  UntagResource: struct('UntagResourceRequest', { resourceArn: req(STRING), tagKeys: req(TAG_KEYS) }),
  ListTagsForResource: struct('ListTagsForResourceRequest', { resourceArn: req(STRING) }),
};
