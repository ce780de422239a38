/**
 * The AWS Batch API served by batchkit, as a typed in-process object: every operation of
 * `batchkit local serve`, with AWS's request and response shapes, over the resource registry and
 * the local executor. Jest tests that want no HTTP server call it directly; the server calls
 * {@link LocalBatchApi.call}, which first checks the request against the API model's shapes.
 * Methods are synchronous and throw {@link BatchApiError} (`ClientException` / `ServerException`).
 */
import { parseBatchArn } from '../../core/model/arn';
import type { Tags } from '../../core/model/common';
import type { LoadedComputeEnvironment } from '../../core/model/compute-environment';
import type { LoadedJobQueue } from '../../core/model/job-queue';
import type { LoadedJobDefinition } from '../../core/model/job-definition';
import type { JobDetail, JobSummary, SubmitJobRequest, SubmitJobResponse } from '../../core/model/job';
import { JOB_NAME_ALLOWED, JOB_NAME_PATTERN } from '../../core/rules/names';
import type { ListJobsQuery } from '../executor';
import type {
  ComputeEnvironmentRef,
  CreateComputeEnvironmentRequest,
  CreateJobQueueRequest,
  CreateSchedulingPolicyRequest,
  DescribeComputeEnvironmentsRequest,
  DescribeComputeEnvironmentsResponse,
  DescribeJobDefinitionsRequest,
  DescribeJobDefinitionsResponse,
  DescribeJobQueuesRequest,
  DescribeJobQueuesResponse,
  DescribeJobsResponse,
  EmptyResponse,
  JobQueueRef,
  ListJobsRequest,
  ListJobsResponse,
  ListSchedulingPoliciesResponse,
  RegisterJobDefinitionRequest,
  RegisterJobDefinitionResponse,
  SchedulingPolicyDetail,
  UpdateComputeEnvironmentRequest,
  UpdateJobQueueRequest,
} from './api-types';
import {
  createComputeEnvironment,
  deleteComputeEnvironment,
  describeComputeEnvironments,
  updateComputeEnvironment,
} from './environments';
import { clientError, toApiError } from './errors';
import { paginate } from './pagination';
import { createJobQueue, deleteJobQueue, describeJobQueues, updateJobQueue } from './queues';
import type { ResourceRegistry } from './registry';
import { validateShape } from './shape';
import { OPERATION_SHAPES } from './shapes-operations';

/** What the API needs of the executor (LocalExecutor has all of it). */
export interface JobBackend {
  /** SubmitJob. */
  submitJob(req: SubmitJobRequest): SubmitJobResponse;
  /** DescribeJobs (unknown ids left out). */
  describeJobs(jobIds: string[]): JobDetail[];
  /** ListJobs without pagination. */
  listJobs(q: ListJobsQuery): JobSummary[];
  /** CancelJob. */
  cancelJob(jobId: string, reason: string): void;
  /** TerminateJob. */
  terminateJob(jobId: string, reason: string): void;
  /** Registers a queue created (or changed) through the API. @default - the executor keeps the queues it opened with */
  putJobQueue?(queue: LoadedJobQueue): void;
  /** Registers a compute environment created (or changed) through the API. @default - as putJobQueue */
  putComputeEnvironment?(ce: LoadedComputeEnvironment): void;
  /**
   * Refuses (throws an input BatchkitError) a job definition whose containers reach outside what the
   * executor allows on this machine (host paths, devices); called before registration.
   * @default - every definition is accepted
   */
  checkJobDefinition?(jd: LoadedJobDefinition, options: { warn?: boolean }): void;
}

/** Options of {@link LocalBatchApi}. */
export interface LocalBatchApiOptions {
  /** The resource registry (build it from the loaded model). */
  readonly registry: ResourceRegistry;
  /** The executor that runs jobs. */
  readonly jobs: JobBackend;
}

/** Operations that change the registry's resources (run in `ResourceRegistry.transaction`). */
const REGISTRY_CHANGES: ReadonlySet<string> = new Set([
  'RegisterJobDefinition',
  'DeregisterJobDefinition',
  'CreateComputeEnvironment',
  'UpdateComputeEnvironment',
  'DeleteComputeEnvironment',
  'CreateJobQueue',
  'UpdateJobQueue',
  'DeleteJobQueue',
  'CreateSchedulingPolicy',
  'UpdateSchedulingPolicy',
  'DeleteSchedulingPolicy',
  'TagResource',
  'UntagResource',
]);

/** Reason recorded on jobs of a deleted job queue. */
export const QUEUE_DELETED_REASON = 'Terminated: the job queue was deleted';

/** The local AWS Batch API. */
export class LocalBatchApi {
  /** The registry. */
  readonly registry: ResourceRegistry;
  private readonly jobs: JobBackend;
  /** Tags of jobs changed by TagResource/UntagResource since submission. */
  private readonly jobTags = new Map<string, Tags>();

  constructor(options: LocalBatchApiOptions) {
    this.registry = options.registry;
    this.jobs = options.jobs;
  }

  /**
   * Runs an operation by name on an untyped input (a parsed request body), after checking the input
   * against the operation's shape. What the HTTP server calls.
   */
  call(operation: string, input: unknown): unknown {
    const shape = OPERATION_SHAPES[operation];
    if (!shape) throw clientError(`Operation ${operation} is not served by batchkit's local Batch API.`);
    const checked = validateShape(input, shape);
    try {
      // A change of resources is applied only with the registry file that records it.
      return REGISTRY_CHANGES.has(operation)
        ? this.registry.transaction(() => this.dispatch(operation, checked))
        : this.dispatch(operation, checked);
    } catch (e) {
      throw toApiError(e);
    }
  }

  private dispatch(operation: string, input: unknown): unknown {
    // The input has been checked against the operation's shape, which matches these request types.
    const i = input as never;
    switch (operation) {
      case 'SubmitJob':
        return this.submitJob(i);
      case 'DescribeJobs':
        return this.describeJobs(i);
      case 'ListJobs':
        return this.listJobs(i);
      case 'CancelJob':
        return this.cancelJob(i);
      case 'TerminateJob':
        return this.terminateJob(i);
      case 'RegisterJobDefinition':
        return this.registerJobDefinition(i);
      case 'DescribeJobDefinitions':
        return this.describeJobDefinitions(i);
      case 'DeregisterJobDefinition':
        return this.deregisterJobDefinition(i);
      case 'CreateComputeEnvironment':
        return this.createComputeEnvironment(i);
      case 'DescribeComputeEnvironments':
        return this.describeComputeEnvironments(i);
      case 'UpdateComputeEnvironment':
        return this.updateComputeEnvironment(i);
      case 'DeleteComputeEnvironment':
        return this.deleteComputeEnvironment(i);
      case 'CreateJobQueue':
        return this.createJobQueue(i);
      case 'DescribeJobQueues':
        return this.describeJobQueues(i);
      case 'UpdateJobQueue':
        return this.updateJobQueue(i);
      case 'DeleteJobQueue':
        return this.deleteJobQueue(i);
      case 'CreateSchedulingPolicy':
        return this.createSchedulingPolicy(i);
      case 'DescribeSchedulingPolicies':
        return this.describeSchedulingPolicies(i);
      case 'ListSchedulingPolicies':
        return this.listSchedulingPolicies(i);
      case 'UpdateSchedulingPolicy':
        return this.updateSchedulingPolicy(i);
      case 'DeleteSchedulingPolicy':
        return this.deleteSchedulingPolicy(i);
      case 'TagResource':
        return this.tagResource(i);
      case 'UntagResource':
        return this.untagResource(i);
      case 'ListTagsForResource':
        return this.listTagsForResource(i);
      default:
        throw clientError(`Operation ${operation} is not served by batchkit's local Batch API.`);
    }
  }

  // ------------------------------------------------------------------ jobs

  /** SubmitJob: the queue must exist and be ENABLED, the job definition must have an ACTIVE revision. */
  submitJob(request: SubmitJobRequest): SubmitJobResponse {
    if (!JOB_NAME_PATTERN.test(request.jobName)) {
      throw clientError(
        `jobName ${JSON.stringify(request.jobName)} is not valid. Allowed: ` +
          `${JOB_NAME_ALLOWED}. Fix: rename the job.`,
      );
    }
    const queue = this.registry.findQueue(request.jobQueue);
    if (!queue || queue.detail.status === 'DELETING') {
      throw clientError(
        `Job queue ${request.jobQueue} does not exist. Fix: check the name or ` + `ARN (DescribeJobQueues lists them).`,
      );
    }
    if (queue.detail.state !== 'ENABLED') {
      throw clientError(
        `Job queue ${queue.detail.jobQueueName} is DISABLED and does not accept ` +
          `jobs. Fix: UpdateJobQueue with state ENABLED, or submit to another queue.`,
      );
    }
    const definition = this.registry.jobDefinitions.resolve(request.jobDefinition);
    if (!definition) {
      throw clientError(
        `Job definition ${request.jobDefinition} does not exist` +
          `${/:\d+$/.test(request.jobDefinition) ? '' : ' or has no ACTIVE revision'}. ` +
          `Fix: register it with RegisterJobDefinition, or check the name, revision or ARN.`,
      );
    }
    if (definition.status !== 'ACTIVE') {
      throw clientError(
        `Job definition ${definition.jobDefinitionArn} is INACTIVE ` +
          `(deregistered) and cannot run jobs. Fix: submit with an ACTIVE revision.`,
      );
    }
    const response = this.jobs.submitJob({
      ...request,
      jobQueue: queue.detail.jobQueueArn ?? request.jobQueue,
      jobDefinition: definition.jobDefinitionArn ?? request.jobDefinition,
    });
    return { jobArn: response.jobArn, jobName: response.jobName, jobId: response.jobId };
  }

  /** DescribeJobs: up to 100 ids or ARNs; unknown ones are left out. */
  describeJobs(request: { jobs: string[] }): DescribeJobsResponse {
    if (request.jobs.length > 100) {
      throw clientError(
        `jobs has ${request.jobs.length} entries; DescribeJobs accepts up to ` +
          `100 job IDs. Fix: ask in batches of 100.`,
      );
    }
    const ids = request.jobs.map((j) => jobIdOf(j));
    return { jobs: this.jobs.describeJobs(ids).map((d) => this.withTags(d)) };
  }

  /** ListJobs: newest first, `maxResults` up to 1000 (100 with filters), `nextToken` pagination. */
  listJobs(request: ListJobsRequest): ListJobsResponse {
    const { maxResults, nextToken, ...query } = request;
    const filters = (query.filters ?? []).map((f, i) => {
      if (f.name === undefined || f.values === undefined) {
        throw clientError(`filters[${i}] needs a name and values. Fix: e.g. {"name":"JOB_NAME","values":["my-job*"]}.`);
      }
      return { name: f.name, values: f.values };
    });
    const all = this.jobs.listJobs({ ...query, filters: filters.length ? filters : undefined });
    const page = paginate(all, (s) => [-(s.createdAt ?? 0), s.jobId], {
      operation: 'ListJobs',
      query,
      maxResults,
      nextToken,
      limit: filters.length ? 100 : 1000,
    });
    return { jobSummaryList: page.items, nextToken: page.nextToken };
  }

  /** CancelJob. An unknown job id answers `{}` and changes nothing, as AWS does. */
  cancelJob(request: { jobId: string; reason: string }): EmptyResponse {
    const id = this.knownJob(request.jobId);
    if (id !== undefined) this.jobs.cancelJob(id, request.reason);
    return {};
  }

  /** TerminateJob. An unknown job id answers `{}` and changes nothing, as AWS does. */
  terminateJob(request: { jobId: string; reason: string }): EmptyResponse {
    const id = this.knownJob(request.jobId);
    if (id !== undefined) this.jobs.terminateJob(id, request.reason);
    return {};
  }

  // ------------------------------------------------------------------ job definitions

  /** RegisterJobDefinition: a new revision of the name. */
  registerJobDefinition(request: RegisterJobDefinitionRequest): RegisterJobDefinitionResponse {
    // Host access first: a refused definition is not registered (warnings come at its first submission).
    this.jobs.checkJobDefinition?.(request, { warn: false });
    const out = this.registry.jobDefinitions.register(request);
    this.registry.changed();
    return out;
  }

  /** DescribeJobDefinitions. */
  describeJobDefinitions(request: DescribeJobDefinitionsRequest): DescribeJobDefinitionsResponse {
    return this.registry.jobDefinitions.describe(request);
  }

  /** DeregisterJobDefinition. */
  deregisterJobDefinition(request: { jobDefinition: string }): EmptyResponse {
    this.registry.jobDefinitions.deregister(request.jobDefinition);
    this.registry.changed();
    return {};
  }

  // ------------------------------------------------------------------ compute environments

  /** CreateComputeEnvironment. */
  createComputeEnvironment(request: CreateComputeEnvironmentRequest): ComputeEnvironmentRef {
    return this.syncCe(createComputeEnvironment(this.registry, request));
  }

  /** DescribeComputeEnvironments. */
  describeComputeEnvironments(request: DescribeComputeEnvironmentsRequest): DescribeComputeEnvironmentsResponse {
    return describeComputeEnvironments(this.registry, request);
  }

  /** UpdateComputeEnvironment. */
  updateComputeEnvironment(request: UpdateComputeEnvironmentRequest): ComputeEnvironmentRef {
    return this.syncCe(updateComputeEnvironment(this.registry, request));
  }

  /** DeleteComputeEnvironment. */
  deleteComputeEnvironment(request: { computeEnvironment: string }): EmptyResponse {
    deleteComputeEnvironment(this.registry, request.computeEnvironment);
    return {};
  }

  // ------------------------------------------------------------------ job queues

  /** CreateJobQueue. */
  createJobQueue(request: CreateJobQueueRequest): JobQueueRef {
    return this.syncQueue(createJobQueue(this.registry, request));
  }

  /** DescribeJobQueues. */
  describeJobQueues(request: DescribeJobQueuesRequest): DescribeJobQueuesResponse {
    return describeJobQueues(this.registry, request);
  }

  /** UpdateJobQueue. */
  updateJobQueue(request: UpdateJobQueueRequest): JobQueueRef {
    return this.syncQueue(updateJobQueue(this.registry, request));
  }

  /** DeleteJobQueue: the queue must be DISABLED; its unfinished jobs are terminated, as AWS does. */
  deleteJobQueue(request: { jobQueue: string }): EmptyResponse {
    const name = deleteJobQueue(this.registry, request.jobQueue);
    if (name !== undefined) {
      for (const status of ['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING'] as const) {
        for (const job of this.jobs.listJobs({ jobQueue: name, jobStatus: status })) {
          this.jobs.terminateJob(job.jobId, QUEUE_DELETED_REASON);
        }
      }
    }
    return {};
  }

  // ------------------------------------------------------------------ scheduling policies

  /** CreateSchedulingPolicy. */
  createSchedulingPolicy(request: CreateSchedulingPolicyRequest): { name: string; arn: string } {
    return this.registry.createSchedulingPolicy(request);
  }

  /** DescribeSchedulingPolicies. */
  describeSchedulingPolicies(request: { arns: string[] }): { schedulingPolicies: SchedulingPolicyDetail[] } {
    return this.registry.describeSchedulingPolicies(request.arns);
  }

  /** ListSchedulingPolicies. */
  listSchedulingPolicies(request: { maxResults?: number; nextToken?: string }): ListSchedulingPoliciesResponse {
    return this.registry.listSchedulingPolicies(request.maxResults, request.nextToken);
  }

  /** UpdateSchedulingPolicy. */
  updateSchedulingPolicy(
    request: Pick<SchedulingPolicyDetail, 'fairsharePolicy' | 'quotaSharePolicy'> & { arn: string },
  ): EmptyResponse {
    this.registry.updateSchedulingPolicy(request.arn, request.fairsharePolicy, request.quotaSharePolicy);
    return {};
  }

  /** DeleteSchedulingPolicy. */
  deleteSchedulingPolicy(request: { arn: string }): EmptyResponse {
    this.registry.deleteSchedulingPolicy(request.arn);
    return {};
  }

  // ------------------------------------------------------------------ tags

  /** TagResource: jobs, job definitions, queues, compute environments, scheduling policies. */
  tagResource(request: { resourceArn: string; tags: Tags }): EmptyResponse {
    const jobId = this.jobOfArn(request.resourceArn);
    if (jobId !== undefined) {
      const merged = { ...this.currentJobTags(jobId), ...request.tags };
      if (Object.keys(merged).length > 50) {
        throw clientError(
          `${request.resourceArn} would have ${Object.keys(merged).length} tags; ` +
            `a resource can have at most 50. Fix: remove tags with UntagResource first.`,
        );
      }
      this.jobTags.set(jobId, merged);
    } else if (!this.registry.tag(request.resourceArn, request.tags)) {
      throw unknownResource(request.resourceArn);
    }
    return {};
  }

  /** UntagResource. */
  untagResource(request: { resourceArn: string; tagKeys: string[] }): EmptyResponse {
    const jobId = this.jobOfArn(request.resourceArn);
    if (jobId !== undefined) {
      const rest = this.currentJobTags(jobId);
      for (const k of request.tagKeys) delete rest[k];
      this.jobTags.set(jobId, rest);
    } else if (!this.registry.untag(request.resourceArn, request.tagKeys)) {
      throw unknownResource(request.resourceArn);
    }
    return {};
  }

  /** ListTagsForResource. */
  listTagsForResource(request: { resourceArn: string }): { tags: Tags } {
    const jobId = this.jobOfArn(request.resourceArn);
    if (jobId !== undefined) return { tags: this.currentJobTags(jobId) };
    const tags = this.registry.tagsOf(request.resourceArn);
    if (!tags) throw unknownResource(request.resourceArn);
    return { tags };
  }

  /** Hands the executor the registry's own object, so later state and order changes reach it too. */
  private syncCe(ref: ComputeEnvironmentRef): ComputeEnvironmentRef {
    const entry = this.registry.findCe(ref.computeEnvironmentName);
    if (entry) this.jobs.putComputeEnvironment?.(entry.detail);
    return ref;
  }

  private syncQueue(ref: JobQueueRef): JobQueueRef {
    const entry = this.registry.findQueue(ref.jobQueueName);
    if (entry) this.jobs.putJobQueue?.(entry.detail);
    return ref;
  }

  private jobOfArn(arn: string): string | undefined {
    const parsed = parseBatchArn(arn);
    if (parsed?.resource !== 'job') return undefined;
    return this.requireJob(parsed.name);
  }

  private currentJobTags(jobId: string): Tags {
    const changed = this.jobTags.get(jobId);
    if (changed) return { ...changed };
    return { ...(this.jobs.describeJobs([jobId])[0]?.tags ?? {}) };
  }

  private withTags(d: JobDetail): JobDetail {
    const changed = this.jobTags.get(d.jobId);
    return changed ? { ...d, tags: { ...changed } } : d;
  }

  private knownJob(ref: string): string | undefined {
    const id = jobIdOf(ref);
    return this.jobs.describeJobs([id]).length === 0 ? undefined : id;
  }

  private requireJob(ref: string): string {
    const id = jobIdOf(ref);
    if (this.jobs.describeJobs([id]).length === 0) {
      throw clientError(
        `Job ${ref} does not exist. Fix: check the job ID (SubmitJob returned ` +
          `it; ListJobs lists jobs of a queue).`,
      );
    }
    return id;
  }
}

function jobIdOf(ref: string): string {
  const parsed = parseBatchArn(ref);
  return parsed?.resource === 'job' ? parsed.name : ref;
}

function unknownResource(arn: string): Error {
  return clientError(
    `Resource ${arn} does not exist or cannot be tagged. Tags apply to ` +
      `jobs, job definitions, job queues, compute environments and scheduling ` +
      `policies. Fix: pass the resource's full ARN.`,
  );
}
