/**
 * Request and response types of the operations the local Batch API serves, in the Batch API's
 * own shapes (members and names as in the API reference). Job, job definition, queue and compute
 * environment shapes come from `lib/core/model`; this file adds the operation envelopes.
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_Operations.html
 */
import type { Tags } from '../../core/model/common';
import type { ComputeEnvironment, ComputeResource, UpdatePolicy } from '../../core/model/compute-environment';
import type { JobDefinition } from '../../core/model/job-definition';
import type {
  ComputeEnvironmentOrder,
  FairsharePolicy,
  JobQueue,
  JobStateTimeLimitAction,
  SchedulingPolicy,
} from '../../core/model/job-queue';
import type { JobDetail, JobStatus, JobSummary } from '../../core/model/job';

/** RegisterJobDefinition's request: a job definition without what the service assigns. */
export type RegisterJobDefinitionRequest = Omit<JobDefinition, 'jobDefinitionArn' | 'revision' | 'status'> & {
  /** EKS properties (accepted and echoed, not run locally). */
  eksProperties?: Record<string, unknown>;
  /** ECS properties (accepted and echoed, not run locally). */
  ecsProperties?: Record<string, unknown>;
};

/** RegisterJobDefinition's response. */
export interface RegisterJobDefinitionResponse {
  /** Name. */
  jobDefinitionName: string;
  /** ARN with the revision. */
  jobDefinitionArn: string;
  /** The new revision. */
  revision: number;
}

/** DescribeJobDefinitions' request. */
export interface DescribeJobDefinitionsRequest {
  /** Names (all revisions), `name:revision` or ARNs; up to 100. */
  jobDefinitions?: string[];
  /** Page size, 1–100. */
  maxResults?: number;
  /** Only revisions of this name. */
  jobDefinitionName?: string;
  /** `ACTIVE` or `INACTIVE`. */
  status?: string;
  /** Token of the previous page. */
  nextToken?: string;
}

/** DescribeJobDefinitions' response. */
export interface DescribeJobDefinitionsResponse {
  /** Revisions, by name then revision. */
  jobDefinitions: JobDefinition[];
  /** Next page. */
  nextToken?: string;
}

/** CreateComputeEnvironment's request. */
export interface CreateComputeEnvironmentRequest {
  /** Name. */
  computeEnvironmentName: string;
  /** MANAGED or UNMANAGED. */
  type: ComputeEnvironment['type'];
  /** ENABLED (default) or DISABLED. */
  state?: ComputeEnvironment['state'];
  /** Max vCPUs of an UNMANAGED environment with fair share. */
  unmanagedvCpus?: number;
  /** Compute resources (MANAGED). */
  computeResources?: ComputeResource;
  /** Service role. */
  serviceRole?: string;
  /** Tags. */
  tags?: Tags;
  /** EKS configuration (accepted and echoed). */
  eksConfiguration?: { eksClusterArn: string; kubernetesNamespace: string };
  /** Free-form context. */
  context?: string;
}

/** Create/UpdateComputeEnvironment's response. */
export interface ComputeEnvironmentRef {
  /** Name. */
  computeEnvironmentName: string;
  /** ARN. */
  computeEnvironmentArn: string;
}

/** UpdateComputeEnvironment's request. */
export interface UpdateComputeEnvironmentRequest {
  /** Name or ARN. */
  computeEnvironment: string;
  /** New state. */
  state?: ComputeEnvironment['state'];
  /** Max vCPUs of an UNMANAGED environment. */
  unmanagedvCpus?: number;
  /** Compute resources to change (only the members given). */
  computeResources?: Partial<ComputeResource> & { updateToLatestImageVersion?: boolean };
  /** Service role. */
  serviceRole?: string;
  /** Update policy. */
  updatePolicy?: UpdatePolicy;
  /** Free-form context. */
  context?: string;
}

/** A compute environment as DescribeComputeEnvironments returns it. */
export type ComputeEnvironmentDetail = ComputeEnvironment & {
  /** Unique id the service assigns. */
  uuid?: string;
  /** EKS configuration. */
  eksConfiguration?: { eksClusterArn: string; kubernetesNamespace: string };
  /** Free-form context. */
  context?: string;
};

/** Describe* requests that page over named resources. */
export interface DescribeByNameRequest {
  /** Page size, 1–100. */
  maxResults?: number;
  /** Token of the previous page. */
  nextToken?: string;
}

/** DescribeComputeEnvironments' request. */
export interface DescribeComputeEnvironmentsRequest extends DescribeByNameRequest {
  /** Names or ARNs; up to 100. */
  computeEnvironments?: string[];
}

/** DescribeComputeEnvironments' response. */
export interface DescribeComputeEnvironmentsResponse {
  /** Environments. */
  computeEnvironments: ComputeEnvironmentDetail[];
  /** Next page. */
  nextToken?: string;
}

/** CreateJobQueue's request. */
export interface CreateJobQueueRequest {
  /** Name. */
  jobQueueName: string;
  /** ENABLED (default) or DISABLED. */
  state?: JobQueue['state'];
  /** Fair-share policy ARN. */
  schedulingPolicyArn?: string;
  /** Priority. */
  priority: number;
  /** Ordered compute environments (names or ARNs). */
  computeEnvironmentOrder?: ComputeEnvironmentOrder[];
  /** Service environments (SageMaker; accepted and echoed). */
  serviceEnvironmentOrder?: { order: number; serviceEnvironment: string }[];
  /** ECS, ECS_FARGATE, EKS or SAGEMAKER_TRAINING. */
  jobQueueType?: string;
  /** Tags. */
  tags?: Tags;
  /** Actions for jobs stuck in RUNNABLE. */
  jobStateTimeLimitActions?: JobStateTimeLimitAction[];
}

/** Create/UpdateJobQueue's response. */
export interface JobQueueRef {
  /** Name. */
  jobQueueName: string;
  /** ARN. */
  jobQueueArn: string;
}

/** UpdateJobQueue's request. */
export interface UpdateJobQueueRequest {
  /** Name or ARN. */
  jobQueue: string;
  /** New state. */
  state?: JobQueue['state'];
  /** Fair-share policy ARN (only on a queue that already has one). */
  schedulingPolicyArn?: string;
  /** Priority. */
  priority?: number;
  /** New ordered compute environments. */
  computeEnvironmentOrder?: ComputeEnvironmentOrder[];
  /** Service environments. */
  serviceEnvironmentOrder?: { order: number; serviceEnvironment: string }[];
  /** Actions for jobs stuck in RUNNABLE. */
  jobStateTimeLimitActions?: JobStateTimeLimitAction[];
}

/** A job queue as DescribeJobQueues returns it. */
export type JobQueueDetail = JobQueue & {
  /** Queue type. */
  jobQueueType?: string;
  /** Service environments. */
  serviceEnvironmentOrder?: { order: number; serviceEnvironment: string }[];
};

/** DescribeJobQueues' request. */
export interface DescribeJobQueuesRequest extends DescribeByNameRequest {
  /** Names or ARNs; up to 100. */
  jobQueues?: string[];
}

/** DescribeJobQueues' response. */
export interface DescribeJobQueuesResponse {
  /** Queues. */
  jobQueues: JobQueueDetail[];
  /** Next page. */
  nextToken?: string;
}

/** Quota-share settings of a scheduling policy (accepted and echoed). */
export interface QuotaSharePolicy {
  /** `FIFO`. */
  idleResourceAssignmentStrategy: string;
}

/** CreateSchedulingPolicy's request. */
export interface CreateSchedulingPolicyRequest {
  /** Name. */
  name: string;
  /** Fair share. */
  fairsharePolicy?: FairsharePolicy;
  /** Quota share. */
  quotaSharePolicy?: QuotaSharePolicy;
  /** Tags. */
  tags?: Tags;
}

/** A scheduling policy as DescribeSchedulingPolicies returns it. */
export type SchedulingPolicyDetail = SchedulingPolicy & {
  /** Quota share. */
  quotaSharePolicy?: QuotaSharePolicy;
};

/** ListSchedulingPolicies' response. */
export interface ListSchedulingPoliciesResponse {
  /** ARNs. */
  schedulingPolicies: { arn: string }[];
  /** Next page. */
  nextToken?: string;
}

/** ListJobs' request. */
export interface ListJobsRequest {
  /** Queue name or ARN. */
  jobQueue?: string;
  /** Children of this array job. */
  arrayJobId?: string;
  /** Nodes of this multi-node job. */
  multiNodeJobId?: string;
  /** Status. @default - RUNNING when no filter is given */
  jobStatus?: JobStatus;
  /** Page size, 1–1000 (1–100 with filters). */
  maxResults?: number;
  /** Token of the previous page. */
  nextToken?: string;
  /** One filter: JOB_NAME, JOB_DEFINITION, BEFORE_CREATED_AT, AFTER_CREATED_AT or SHARE_IDENTIFIER. */
  filters?: { name?: string; values?: string[] }[];
}

/** ListJobs' response. */
export interface ListJobsResponse {
  /** Jobs, newest first. */
  jobSummaryList: JobSummary[];
  /** Next page. */
  nextToken?: string;
}

/** DescribeJobs' response. */
export interface DescribeJobsResponse {
  /** Jobs found (unknown ids are left out). */
  jobs: JobDetail[];
}

/** An empty response (`{}`). */
export type EmptyResponse = Record<string, never>;
