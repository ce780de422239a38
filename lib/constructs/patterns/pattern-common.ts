/**
 * Pieces the L3 patterns share: the default VPC, the default launch template, the queues with their
 * roles and the outputs a submitting application reads, and the split of job definition props.
 * Not exported from the public barrel.
 */
import { CfnOutput, Size, Token } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { BatchLaunchTemplate } from '../compute/batch-launch-template';
import type { IComputeEnvironment } from '../compute/compute-environment-base';
import type { JobDefinitionProps } from '../job/job-definition-base';
import { BatchVpc } from '../network/batch-vpc';
import { JobRole } from '../iam/job-role';
import { JobExecutionRole } from '../iam/job-execution-role';
import { constructError } from '../private/job-findings';
import { JobQueue } from '../queue/job-queue';

/** The pattern's VPC: the given one, or a new `BatchVpc` (2 AZs, 1 NAT gateway, flow logs). */
export function patternVpc(scope: Construct, vpc: ec2.IVpc | undefined): ec2.IVpc {
  return vpc ?? new BatchVpc(scope, 'Vpc', { maxAzs: 2, natGateways: 1 });
}

/** The default launch template: IMDSv2 required, hop limit 2, encrypted gp3 root volume. */
export function patternLaunchTemplate(scope: Construct, rootVolumeSize: Size | undefined): BatchLaunchTemplate {
  return new BatchLaunchTemplate(scope, 'LaunchTemplate', {
    blockDevices: [{ deviceName: '/dev/xvda', volumeSize: rootVolumeSize ?? Size.gibibytes(30), encrypted: true }],
  });
}

/** The roles every pattern hands to its users. */
export interface PatternRoles {
  /** The execution role (pull images, read secrets, write logs): the stack's shared one. */
  readonly executionRole: iam.IRole;
  /** A job role without permissions, for the jobs' own AWS calls (grant to it). */
  readonly jobRole: iam.IRole;
}

/** The stack's shared execution role and a new, empty job role. */
export function patternRoles(scope: Construct, jobRole: iam.IRole | undefined): PatternRoles {
  return {
    executionRole: JobExecutionRole.forStack(scope),
    jobRole:
      jobRole ??
      new JobRole(scope, 'JobRole', { description: 'Role the jobs of this Batch environment assume (batchkit)' }),
  };
}

/** Adds `CfnOutput`s under a `Outputs` child so their logical ids are stable and readable. */
export function addOutputs(scope: Construct, values: Record<string, { value: string; description: string }>): void {
  const outputs = new Construct(scope, 'Outputs');
  for (const [id, { value, description }] of Object.entries(values)) {
    new CfnOutput(outputs, id, { value, description });
  }
}

/** One job queue of a pattern and the two outputs that name it. */
export interface PatternQueue {
  /** Construct id of the queue (`HighPriorityQueue`). */
  readonly id: string;
  /** Priority of the queue. */
  readonly priority: number;
  /** Compute environments, tried in this order (they get orders 1, 2, ...). */
  readonly computeEnvironments: readonly IComputeEnvironment[];
  /** Prefix of the output ids: `<outputPrefix>Name` and `<outputPrefix>Arn`. */
  readonly outputPrefix: string;
  /** Description of the queue name output. */
  readonly nameDescription: string;
  /** Description of the queue ARN output. */
  readonly arnDescription: string;
}

/** What {@link wirePattern} builds. */
export interface PatternWiringProps<K extends string> {
  /** The queues, by a key of the caller's choosing; created (and output) in this order. */
  readonly queues: Readonly<Record<K, PatternQueue>>;
  /**
   * The job role.
   * @default - a new `JobRole` without permissions
   */
  readonly jobRole?: iam.IRole;
  /** Add the queue outputs (the pattern's `outputs` prop). */
  readonly outputs: boolean;
  /**
   * Also output the job role and the execution role ARNs, after the queue outputs.
   * @default false
   */
  readonly roleOutputs?: boolean;
}

/** The queues and roles of a pattern. */
export interface PatternWiring<K extends string> extends PatternRoles {
  /** The queues, by the keys given in {@link PatternWiringProps.queues}. */
  readonly queues: Readonly<Record<K, JobQueue>>;
}

/**
 * The queue, role and output wiring every pattern shares: creates the queues (in the order given),
 * then the roles ({@link patternRoles}), then the outputs ({@link addOutputs}) when asked for.
 */
export function wirePattern<K extends string>(scope: Construct, props: PatternWiringProps<K>): PatternWiring<K> {
  const specs = Object.entries(props.queues) as Array<[K, PatternQueue]>;
  const queues = {} as Record<K, JobQueue>;
  for (const [key, q] of specs) {
    queues[key] = new JobQueue(scope, q.id, {
      priority: q.priority,
      computeEnvironments: q.computeEnvironments.map((computeEnvironment, i) => ({ computeEnvironment, order: i + 1 })),
    });
  }
  const roles = patternRoles(scope, props.jobRole);
  if (props.outputs) {
    const values: Record<string, { value: string; description: string }> = {};
    for (const [key, q] of specs) {
      values[`${q.outputPrefix}Name`] = { value: queues[key].jobQueueName, description: q.nameDescription };
      values[`${q.outputPrefix}Arn`] = { value: queues[key].jobQueueArn, description: q.arnDescription };
    }
    if (props.roleOutputs) {
      values.JobRoleArn = {
        value: roles.jobRole.roleArn,
        description: 'Role the jobs assume (jobRoleArn of job definitions)',
      };
      values.ExecutionRoleArn = {
        value: roles.executionRole.roleArn,
        description: 'Execution role of the job definitions',
      };
    }
    addOutputs(scope, values);
  }
  return { queues, ...roles };
}

/** Labels of the two environments of a high/low-priority pair, for the output descriptions. */
export interface PriorityQueueLabels {
  /** The environment the high-priority queue tries first (`On-Demand`). */
  readonly primary: string;
  /** The environment the low-priority queue tries first (`Spot`). */
  readonly secondary: string;
}

/**
 * The high- and low-priority queues of `BatchEnvironment` and `FargateBatchEnvironment`: the high one
 * tries `primary` first, then `secondary`; the low one the other way round.
 */
export function priorityQueues(
  primary: IComputeEnvironment,
  secondary: IComputeEnvironment,
  priorities: PatternPriorities,
  labels: PriorityQueueLabels,
): Record<'high' | 'low', PatternQueue> {
  return {
    high: {
      id: 'HighPriorityQueue',
      priority: priorities.high,
      computeEnvironments: [primary, secondary],
      outputPrefix: 'HighPriorityQueue',
      nameDescription: `Job queue for urgent jobs (${labels.primary} first)`,
      arnDescription: 'ARN of the high-priority job queue',
    },
    low: {
      id: 'LowPriorityQueue',
      priority: priorities.low,
      computeEnvironments: [secondary, primary],
      outputPrefix: 'LowPriorityQueue',
      nameDescription: `Job queue for jobs that may wait (${labels.secondary} first)`,
      arnDescription: 'ARN of the low-priority job queue',
    },
  };
}

/**
 * Splits a pattern's job definition props into the props every job definition takes and the
 * container options (the rest), as `addJobDefinition()` of the patterns needs them.
 */
export function splitJobDefinitionProps<T extends JobDefinitionProps>(
  props: T,
): { readonly definition: JobDefinitionProps; readonly container: Omit<T, keyof JobDefinitionProps> } {
  const {
    jobDefinitionName,
    parameters,
    requiredParameters,
    retryAttempts,
    retryStrategies,
    schedulingPriority,
    timeout,
    propagateTags,
    retentionPolicy,
    ...container
  } = props;
  return {
    definition: {
      jobDefinitionName,
      parameters,
      requiredParameters,
      retryAttempts,
      retryStrategies,
      schedulingPriority,
      timeout,
      propagateTags,
      retentionPolicy,
    },
    container,
  };
}

/** The priorities of a high/low-priority queue pair. */
export interface PatternPriorities {
  /** Priority of the high-priority queue. */
  readonly high: number;
  /** Priority of the low-priority queue. */
  readonly low: number;
}

/** True for a priority the queue rule (`BATCH-JQ-003`) accepts. */
function validPriority(v: number): boolean {
  return !Token.isUnresolved(v) && Number.isInteger(v) && v >= 0 && v <= 1000;
}

/**
 * The priorities of a pattern's high/low-priority queue pair: the props' values or 100 and 10,
 * high above low (Batch schedules higher first). A value outside 0-1000 is reported by the queue
 * that gets it (`BATCH-JQ-003`, with the queue's construct path).
 */
export function patternPriorities(
  scope: Construct,
  props: { readonly highPriority?: number; readonly lowPriority?: number },
): PatternPriorities {
  const high = props.highPriority ?? 100;
  const low = props.lowPriority ?? 10;
  if (validPriority(high) && validPriority(low) && high <= low) {
    throw constructError(scope, 'BATCHKIT-CDK-015', `highPriority (${high}) is not above lowPriority (${low}).`, {
      value: `${high} <= ${low}`,
      allowed: 'highPriority > lowPriority',
      fix: 'swap the values, or raise highPriority.',
    });
  }
  return { high, low };
}
