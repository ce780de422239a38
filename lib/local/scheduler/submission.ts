/**
 * SubmitJob: checks a request against the registered resources and builds the job record the way
 * Batch would describe it right after submission (status SUBMITTED).
 */
import { finding } from '../../core/rules/finding';
import { podOverrideFindings } from '../../core/rules/submit-job-pods';
import type { DeploymentEnvironment } from '../../core/model/batch-model';
import type { ContainerDetail, JobDetail, SubmitJobRequest } from '../../core/model/job';
import type { LoadedJobDefinition, RetryStrategy } from '../../core/model/job-definition';
import type { LoadedJobQueue } from '../../core/model/job-queue';
import { batchArn, parseBatchArn } from '../../core/model/arn';
import { containerResources } from '../../core/model/resources';
import { isUnresolved } from '../../core/model/unresolved';
import { BatchkitError } from '../../core/errors';
import { validateSubmitJob } from '../../core/rules/submit-job';
import { placementProblems } from '../../core/rules/placement';
import { emptyBatchModel } from '../../core/model/batch-model';
import { resolveContainer } from './container-overrides';
import type { Demand, JobKind, JobRecord } from './job-record';
import { initialStatus } from './states';
import type { Topology } from './capacity';
import { nodeLayout } from './multi-node-layout';
import { groupLayout, type GroupSpec } from './group-layout';

/** Error codes of rejected submissions. */
export const SUBMIT_ERRORS = {
  invalid: 'BATCHKIT-LOCAL-201',
  queueNotFound: 'BATCHKIT-LOCAL-202',
  definitionNotFound: 'BATCHKIT-LOCAL-203',
  dependencyNotFound: 'BATCHKIT-LOCAL-204',
} as const;

/** What submission needs to know about the executor. */
export interface SubmissionContext {
  /** Queues and environments. */
  readonly topology: Topology;
  /** Registered definitions. */
  readonly definitions: readonly LoadedJobDefinition[];
  /** ARN environment. */
  readonly env: DeploymentEnvironment;
  /** Looks up an existing job. */
  readonly job: (jobId: string) => JobRecord | undefined;
  /** New job id. */
  readonly newId: () => string;
  /** Submission order counter. */
  readonly nextSeq: () => number;
  /** Now (epoch ms). */
  readonly now: number;
}

function invalid(message: string, fix?: string): BatchkitError {
  return new BatchkitError(SUBMIT_ERRORS.invalid, 'input', message, { fix });
}

/** Revision of a loaded definition (1 when the template does not say). */
export function revisionOf(jd: LoadedJobDefinition): number {
  return jd.revision ?? 1;
}

/** The ARN of a definition revision. */
export function definitionArn(jd: LoadedJobDefinition, env: DeploymentEnvironment): string {
  return jd.jobDefinitionArn ?? batchArn(env, 'job-definition', `${jd.jobDefinitionName}:${revisionOf(jd)}`);
}

/** Finds `name`, `name:revision` or an ARN; a bare name means the latest ACTIVE revision. */
export function findDefinition(defs: readonly LoadedJobDefinition[], ref: string): LoadedJobDefinition | undefined {
  const arn = parseBatchArn(ref);
  const nameRev = arn ? arn.name : ref;
  const m = /^(.+):(\d+)$/.exec(nameRev);
  const name = m ? m[1] : nameRev;
  const candidates = defs.filter((d) => d.jobDefinitionName === name && (d.status ?? 'ACTIVE') === 'ACTIVE');
  if (m) return candidates.find((d) => revisionOf(d) === Number(m[2]));
  return candidates.sort((a, b) => revisionOf(b) - revisionOf(a))[0];
}

/** The queue of a request, or a not-found / input error. */
export function findQueue(ctx: SubmissionContext, ref: string): LoadedJobQueue {
  const q = ctx.topology.queue(ref);
  if (!q) {
    const known = ctx.topology.queuesByPriority().map((x) => x.jobQueueName);
    throw new BatchkitError(
      SUBMIT_ERRORS.queueNotFound,
      'not-found',
      `SubmitJob jobQueue: job queue "${ref}" does not exist.`,
      {
        fix: known.length
          ? `use one of: ${known.join(', ')}.`
          : 'the loaded app declares no job queue; add an AWS::Batch::JobQueue.',
      },
    );
  }
  if ((q.state ?? 'ENABLED') === 'DISABLED') {
    throw invalid(
      `SubmitJob jobQueue: job queue "${q.jobQueueName}" is DISABLED and takes no new jobs.`,
      'enable the queue (state ENABLED) or submit to another queue.',
    );
  }
  return q;
}

/** What a container reserves, or an input error naming the definition. */
export function demandOf(c: ContainerDetail, where: string): Demand {
  const r = containerResources(c);
  const bad = (what: string, v: unknown): BatchkitError =>
    invalid(
      `${where}: ${what} is ` +
        `${v === undefined ? 'not set' : isUnresolved(v) ? 'known only at deployment' : JSON.stringify(v)}; ` +
        `a job needs a positive value to run.`,
      `set ${what} in the job definition or with --${what === 'VCPU' ? 'vcpus' : 'memory'} at submission.`,
    );
  if (r.vcpus === undefined || isUnresolved(r.vcpus) || !(r.vcpus > 0)) throw bad('VCPU', r.vcpus);
  if (r.memoryMiB === undefined || isUnresolved(r.memoryMiB) || !(r.memoryMiB > 0)) throw bad('MEMORY', r.memoryMiB);
  return { vcpus: r.vcpus, memoryMiB: r.memoryMiB, gpus: isUnresolved(r.gpus) ? 0 : r.gpus };
}

function checkRequest(req: SubmitJobRequest): void {
  const errors = validateSubmitJob(req).filter((f) => f.severity === 'error');
  if (errors.length) throw invalid(errors.map((f) => f.message).join('\n'));
  const size = req.arrayProperties?.size;
  if (size !== undefined && !(Number.isInteger(size) && size >= 2 && size <= 10_000)) {
    throw invalid(
      `SubmitJob arrayProperties.size: ${size} is out of range. Allowed: an integer from 2 to 10000.`,
      'omit arrayProperties for a single job.',
    );
  }
  const deps = req.dependsOn ?? [];
  if (deps.length > 20)
    throw invalid(
      `SubmitJob dependsOn: ${deps.length} dependencies. Allowed: at most 20.`,
      'chain jobs or depend on an array job instead.',
    );
  for (const kv of req.containerOverrides?.environment ?? []) {
    if ((kv.name ?? '').startsWith('AWS_BATCH')) {
      throw invalid(
        `SubmitJob containerOverrides.environment: variable "${kv.name}" starts ` +
          `with AWS_BATCH, a prefix reserved for AWS Batch.`,
        'rename the variable.',
      );
    }
  }
  const attempts = req.retryStrategy?.attempts;
  if (attempts !== undefined && !(Number.isInteger(attempts) && attempts >= 1 && attempts <= 10)) {
    throw invalid(`SubmitJob retryStrategy.attempts: ${attempts}. Allowed: an integer from 1 to 10.`);
  }
  const t = req.timeout?.attemptDurationSeconds;
  if (t !== undefined && !(t >= 60))
    throw invalid(`SubmitJob timeout.attemptDurationSeconds: ${t}. Allowed: at least 60.`);
}

/** Resolved dependencies of a new job (job ids to wait for, by array index when N_TO_N/SEQUENTIAL). */
export interface DependencyPlan {
  /** Whole jobs to wait for. */
  readonly whole: string[];
  /** N_TO_N array dependencies (child i waits for `<id>:i`). */
  readonly nToN: string[];
  /** SEQUENTIAL: child i waits for child i-1. */
  readonly sequential: boolean;
}

function planDependencies(ctx: SubmissionContext, req: SubmitJobRequest): DependencyPlan {
  const size = req.arrayProperties?.size;
  const plan: DependencyPlan = { whole: [], nToN: [], sequential: false };
  (req.dependsOn ?? []).forEach((d, i) => {
    const where = `SubmitJob dependsOn[${i}]`;
    if (d.type === 'SEQUENTIAL') {
      if (size === undefined)
        throw invalid(
          `${where}: SEQUENTIAL applies only to array jobs.`,
          'set arrayProperties.size or drop the dependency.',
        );
      (plan as { sequential: boolean }).sequential = true;
      if (!d.jobId) return;
    }
    if (!d.jobId) throw invalid(`${where}: jobId is required${d.type ? ` for type ${d.type}` : ''}.`);
    const dep = ctx.job(parseBatchArn(d.jobId)?.name ?? d.jobId);
    if (!dep)
      throw new BatchkitError(
        SUBMIT_ERRORS.dependencyNotFound,
        'not-found',
        `${where}.jobId: job "${d.jobId}" does not exist.`,
        { fix: 'submit the dependency first and use the jobId it returned.' },
      );
    if (d.type === 'N_TO_N') {
      if (size === undefined || dep.meta.kind !== 'array-parent') {
        throw invalid(
          `${where}: N_TO_N links two array jobs index by index; ` +
            `${size === undefined ? 'this job is not an array job' : `job ${d.jobId} is not an array job`}.`,
          'use a plain dependency (no type) to wait for the whole job.',
        );
      }
      if (dep.meta.size !== size) {
        throw invalid(
          `${where}: N_TO_N needs arrays of the same size; this job has ${size} ` +
            `children, job ${d.jobId} has ${dep.meta.size}.`,
        );
      }
      plan.nToN.push(dep.detail.jobId);
    } else if (d.type !== 'SEQUENTIAL') {
      plan.whole.push(dep.detail.jobId);
    }
  });
  return plan;
}

/** The record of a newly submitted job plus its dependency plan. */
export interface NewSubmission {
  /** The job, SUBMITTED. */
  readonly record: JobRecord;
  /** Its dependencies. */
  readonly dependencies: DependencyPlan;
}

/** BATCH-SJ-014: the overrides of a multi-container ECS or EKS job, checked as the API checks them. */
function checkPodOverrides(jd: LoadedJobDefinition, req: SubmitJobRequest): void {
  const resource = { kind: 'SubmitJob' as const, name: req.jobName };
  const findings = podOverrideFindings(req, jd, (input) =>
    finding({ ...input, code: 'BATCH-SJ-014', severity: 'error', resource }),
  );
  if (findings.length > 0) throw invalid(findings.map((f) => f.message).join('\n'));
}

/** Checks a request and builds its record. Throws BatchkitError (input / not-found). */
export function buildSubmission(ctx: SubmissionContext, req: SubmitJobRequest): NewSubmission {
  checkRequest(req);
  const queue = findQueue(ctx, req.jobQueue);
  const jd = findDefinition(ctx.definitions, req.jobDefinition);
  if (!jd) {
    const known = [...new Set(ctx.definitions.map((d) => d.jobDefinitionName))];
    throw new BatchkitError(
      SUBMIT_ERRORS.definitionNotFound,
      'not-found',
      `SubmitJob jobDefinition: job definition "${req.jobDefinition}" does ` + `not exist (or has no ACTIVE revision).`,
      {
        fix: known.length ? `use one of: ${known.join(', ')}.` : 'the loaded app declares no job definition.',
      },
    );
  }
  // The checks that need the definition (override kinds, Ref:: placeholders, Fargate sizes).
  const definitionErrors = validateSubmitJob(req, jd).filter((f) => f.severity === 'error');
  if (definitionErrors.length) throw invalid(definitionErrors.map((f) => f.message).join('\n'));
  const dependencies = planDependencies(ctx, req);
  const parameters = { ...(jd.parameters ?? {}), ...(req.parameters ?? {}) };
  const size = req.arrayProperties?.size;
  const jobId = ctx.newId();
  const retryStrategy: RetryStrategy = req.retryStrategy ?? jd.retryStrategy ?? { attempts: 1 };
  const detail: JobDetail = {
    jobArn: batchArn(ctx.env, 'job', jobId),
    jobName: req.jobName,
    jobId,
    jobQueue: queue.jobQueueArn ?? batchArn(ctx.env, 'job-queue', queue.jobQueueName),
    status: initialStatus('submitted'),
    attempts: [],
    createdAt: ctx.now,
    retryStrategy: { attempts: retryStrategy.attempts ?? 1, evaluateOnExit: retryStrategy.evaluateOnExit ?? [] },
    dependsOn: (req.dependsOn ?? []).map((d) => ({ ...d })),
    jobDefinition: definitionArn(jd, ctx.env),
    parameters,
    tags: { ...(jd.tags ?? {}), ...(req.tags ?? {}) },
    propagateTags: req.propagateTags ?? jd.propagateTags ?? false,
  };
  // AWS shows platformCapabilities only when the job definition registered them.
  if (jd.platformCapabilities !== undefined) detail.platformCapabilities = [...jd.platformCapabilities];
  const timeout = req.timeout ?? jd.timeout;
  if (timeout?.attemptDurationSeconds !== undefined)
    detail.timeout = { attemptDurationSeconds: timeout.attemptDurationSeconds };
  if (req.shareIdentifier !== undefined) detail.shareIdentifier = req.shareIdentifier;
  const priority = req.schedulingPriorityOverride ?? jd.schedulingPriority;
  if (priority !== undefined) detail.schedulingPriority = priority;

  let kind: JobKind = size === undefined ? 'single' : 'array-parent';
  let demand: Demand;
  let nodeCount: number | undefined;
  let nodeContainers: ContainerDetail[] | undefined;
  let group: GroupSpec | undefined;
  if (jd.type === 'multinode' || jd.nodeProperties) {
    if (size !== undefined) throw invalid('SubmitJob arrayProperties: multi-node parallel jobs cannot be array jobs.');
    const layout = nodeLayout(jd, parameters, req.nodeOverrides, `job definition ${jd.jobDefinitionName}`);
    kind = 'mnp-parent';
    detail.nodeProperties = layout.nodeProperties;
    nodeCount = layout.containers.length;
    nodeContainers = layout.containers;
    demand = layout.containers
      .map((c, i) => demandOf(c, `job definition ${jd.jobDefinitionName} node ${i}`))
      .reduce((a, b) => ({ vcpus: a.vcpus + b.vcpus, memoryMiB: a.memoryMiB + b.memoryMiB, gpus: a.gpus + b.gpus }));
  } else if (jd.ecsProperties || jd.eksProperties) {
    checkPodOverrides(jd, req);
    const layout = groupLayout(jd, parameters, req);
    group = layout.group;
    demand = layout.demand;
    if (layout.ecsProperties) detail.ecsProperties = layout.ecsProperties;
    if (layout.eksProperties) {
      detail.eksProperties = layout.eksProperties;
      detail.eksAttempts = [];
    }
    if (size !== undefined) detail.arrayProperties = { statusSummary: emptySummary(), size };
  } else {
    if (!jd.containerProperties)
      throw invalid(
        `job definition ${jd.jobDefinitionName} has no containerProperties; the ` +
          `local executor runs ECS container jobs and multi-node jobs only.`,
      );
    detail.container = resolveContainer(jd.containerProperties, parameters, req.containerOverrides);
    demand = demandOf(detail.container, `job definition ${jd.jobDefinitionName}`);
    if (size !== undefined) detail.arrayProperties = { statusSummary: emptySummary(), size };
  }
  const computeEnvironments = ctx.topology.allPools().map((p) => p.ce);
  const blockedBy = placementProblems(
    jd,
    queue,
    { ...emptyBatchModel(ctx.env), computeEnvironments },
    {
      containerOverrides: req.containerOverrides,
      nodeOverrides: req.nodeOverrides,
    },
  ).map(
    (p) =>
      (p.kind === 'max-vcpus'
        ? 'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE'
        : 'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT') + ` - ${p.reason}`,
  );
  const record: JobRecord = {
    detail,
    meta: {
      kind,
      queueName: queue.jobQueueName,
      definitionName: jd.jobDefinitionName,
      seq: ctx.nextSeq(),
      waitingOn: kind === 'array-parent' ? [] : [...dependencies.whole],
      demand,
      size: size ?? nodeCount,
      arrayDependencies: kind === 'array-parent' ? dependencies : undefined,
      nodeContainers,
      ...(group ? { group } : {}),
      blockedBy: blockedBy.length ? blockedBy : undefined,
    },
  };
  return { record, dependencies };
}

/** `statusSummary` with every status at 0. */
export function emptySummary(): Record<string, number> {
  return { STARTING: 0, FAILED: 0, RUNNING: 0, SUCCEEDED: 0, RUNNABLE: 0, SUBMITTED: 0, PENDING: 0 };
}
