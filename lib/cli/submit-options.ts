/**
 * The SubmitJob flags `batchkit local run` and `batchkit submit` share: one place registers them on
 * a command, one place parses them into a job spec, and one place turns a spec into the SubmitJob
 * request. Each command keeps its own extra flags (`--file`, `--follow`, `--share-identifier`, ...).
 */
import type { Command } from 'commander';
import { BatchkitError } from '../core/errors';
import type { ContainerOverrides, JobDependency, SubmitJobRequest } from '../core/model/job';
import type { ResourceRequirement } from '../core/model/job-definition';
import { parseCommand, parseDependency, parseInteger, parseKeyValues, parsePositive } from './local/args';
import { renamedOptions, repeatable } from './options';

/** The shared SubmitJob flags, as commander parses them. */
export interface SubmitFlags {
  /** `--job-queue`. */
  jobQueue?: string;
  /** `--job-definition`. */
  jobDefinition?: string;
  /** `--job-name`. */
  jobName?: string;
  /** `--array-size`. */
  arraySize?: string;
  /** `--depends-on`. */
  dependsOn?: string[];
  /** `--parameters`. */
  parameters?: string[];
  /** `--command`. */
  command?: string;
  /** `--env`. */
  env?: string[];
  /** `--vcpus`. */
  vcpus?: string;
  /** `--memory`. */
  memory?: string;
  /** `--gpus`. */
  gpus?: string;
  /** `--retry-attempts`. */
  retryAttempts?: string;
  /** `--timeout`. */
  timeout?: string;
}

/** The keys of {@link SubmitFlags}, in the order the flags are registered. */
export const SUBMIT_FLAG_KEYS: ReadonlyArray<keyof SubmitFlags> = [
  'jobQueue',
  'jobDefinition',
  'jobName',
  'arraySize',
  'dependsOn',
  'parameters',
  'command',
  'env',
  'vcpus',
  'memory',
  'gpus',
  'retryAttempts',
  'timeout',
];

/** A dependency of a job: on a job of the same file (by name) or on a submitted job (by id). */
export interface SpecDependency {
  /** A job name of the same file, or a job id. */
  readonly ref: string;
  /** N_TO_N or SEQUENTIAL. @default - a plain dependency on the whole job */
  readonly type?: JobDependency['type'];
}

/** One job to submit, every value parsed and checked. */
export interface JobSpec {
  /** Job name. */
  readonly name: string;
  /** Queue: name or ARN (`local run` also takes a logical id, construct path or construct id). */
  readonly queue: string;
  /**
   * Job definition: name, `name:revision` or ARN (`local run` also takes a logical id, construct path or
   * construct id).
   */
  readonly jobDefinition: string;
  /** Array size (2–10,000). @default - not an array job */
  readonly arraySize?: number;
  /** Dependencies. @default - none */
  readonly dependsOn?: readonly SpecDependency[];
  /** Parameters (`Ref::name`). @default - the definition's */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Command override. @default - the definition's */
  readonly command?: readonly string[];
  /** Environment overrides. @default - none */
  readonly environment?: Readonly<Record<string, string>>;
  /** vCPU override. @default - the definition's */
  readonly vcpus?: number;
  /** Memory override in MiB. @default - the definition's */
  readonly memory?: number;
  /** GPU override. @default - the definition's */
  readonly gpus?: number;
  /** Retry attempts override (1–10). @default - the definition's */
  readonly retryAttempts?: number;
  /** Attempt timeout override in seconds. @default - the definition's */
  readonly timeout?: number;
}

/** What differs between the commands that share the flags. */
export interface SubmitFlagsContext {
  /** The command, for messages (`batchkit submit`). */
  readonly command: string;
  /** Error code of a missing `--job-queue`/`--job-definition` or a command given twice. */
  readonly code: string;
  /** What may stand in for `--job-queue`/`--job-definition`, for the message (` (or --file)`). @default '' */
  readonly alternative?: string;
  /** The fix of a missing `--job-queue`/`--job-definition`. */
  readonly missingFix: string;
  /** Smallest `--timeout` accepted, in seconds. */
  readonly minTimeoutSeconds: number;
}

/**
 * Registers the shared flags on `cmd`, with the command's wording for `--job-queue` and `--job-definition`.
 * The names are the AWS CLI's (`aws batch submit-job`); the older `--queue` and `--name` still work, with a notice.
 */
export function addSubmitOptions(
  cmd: Command,
  help: { readonly queue: string; readonly jobDefinition: string },
): Command {
  renamedOptions(cmd, [
    { old: '--queue', now: '--job-queue' },
    { old: '--name', now: '--job-name' },
  ]);
  return cmd
    .option('--job-queue <ref>', help.queue)
    .option('--job-definition <ref>', help.jobDefinition)
    .option('--job-name <name>', 'job name (default: the job definition name)')
    .option('--array-size <n>', 'array job with n children (2-10000)')
    .addOption(
      repeatable('--depends-on <id[:type]>', 'job id this job depends on, with :N_TO_N or :SEQUENTIAL for arrays'),
    )
    .addOption(repeatable('--parameters <k=v>', 'parameter substituted for Ref::k in the command'))
    .option('--command <words>', 'command override: words or a JSON array (or give it after --)')
    .addOption(repeatable('--env <K=V>', 'environment variable override'))
    .option('--vcpus <n>', 'vCPU override')
    .option('--memory <MiB>', 'memory override in MiB')
    .option('--gpus <n>', 'GPU override')
    .option('--retry-attempts <n>', 'retry attempts override (1-10)')
    .option('--timeout <seconds>', 'attempt timeout override in seconds (at least 60)');
}

/**
 * A job name from a definition reference: its name part (the construct id of a construct path
 * `Stack/Fold/Resource`), with characters Batch refuses replaced.
 */
export function defaultJobName(ref: string): string {
  const trimmed = ref.replace(/\/(Resource|Default)$/, '');
  const name = trimmed.includes('/') ? trimmed.slice(trimmed.lastIndexOf('/') + 1) : trimmed;
  return (
    name
      .replace(/:\d+$/, '')
      .replace(/[^A-Za-z0-9_-]/g, '-')
      .slice(0, 128) || 'job'
  );
}

/**
 * The job the flags describe (the command may also come after `--`); throws an input BatchkitError naming the bad
 * flag.
 */
export function specFromSubmitFlags(
  commandArgs: readonly string[],
  flags: SubmitFlags,
  ctx: SubmitFlagsContext,
): JobSpec {
  const missing = [
    flags.jobQueue === undefined ? '--job-queue' : '',
    flags.jobDefinition === undefined ? '--job-definition' : '',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new BatchkitError(
      ctx.code,
      'input',
      `${ctx.command} needs ${missing.join(' and ')}${ctx.alternative ?? ''}.`,
      { fix: ctx.missingFix },
    );
  }
  if (flags.command !== undefined && commandArgs.length > 0) {
    throw new BatchkitError(ctx.code, 'input', 'the command is given twice: with --command and after --.', {
      fix: 'keep one of them.',
    });
  }
  const command =
    flags.command !== undefined
      ? parseCommand('--command', flags.command)
      : commandArgs.length > 0
        ? [...commandArgs]
        : undefined;
  return {
    name: flags.jobName ?? defaultJobName(flags.jobDefinition as string),
    queue: flags.jobQueue as string,
    jobDefinition: flags.jobDefinition as string,
    arraySize: parseInteger('--array-size', flags.arraySize, 2, 10_000),
    dependsOn: (flags.dependsOn ?? []).map((d) => {
      const dep = parseDependency('--depends-on', d);
      return { ref: dep.jobId ?? d, type: dep.type };
    }),
    parameters: parseKeyValues('--parameters', flags.parameters),
    command,
    environment: parseKeyValues('--env', flags.env),
    vcpus: parsePositive('--vcpus', flags.vcpus),
    memory: parseInteger('--memory', flags.memory, 1, 10_000_000),
    gpus: parseInteger('--gpus', flags.gpus, 0, 1024),
    retryAttempts: parseInteger('--retry-attempts', flags.retryAttempts, 1, 10),
    timeout: parseInteger('--timeout', flags.timeout, ctx.minTimeoutSeconds, 100_000_000),
  };
}

/** Where a spec goes: the queue and definition as SubmitJob should name them. */
export interface SubmitTarget {
  /** Queue name or ARN. */
  readonly jobQueue: string;
  /** Definition `name[:revision]` or ARN. */
  readonly jobDefinition: string;
  /** A multi-node definition: overrides go to every node (`nodeOverrides`). @default false */
  readonly multinode?: boolean;
  /** The job id a dependency refers to. @default - the reference itself */
  readonly dependency?: (ref: string) => string;
}

/** The SubmitJob request of a spec: empty overrides, parameters and dependencies are left out. */
export function buildSubmitJobRequest(spec: JobSpec, target: SubmitTarget): SubmitJobRequest {
  const req: SubmitJobRequest = { jobName: spec.name, jobQueue: target.jobQueue, jobDefinition: target.jobDefinition };
  if (spec.arraySize !== undefined) req.arrayProperties = { size: spec.arraySize };
  if (spec.dependsOn && spec.dependsOn.length > 0) {
    const id = target.dependency ?? ((ref: string) => ref);
    req.dependsOn = spec.dependsOn.map((d) => ({ jobId: id(d.ref), ...(d.type ? { type: d.type } : {}) }));
  }
  if (spec.parameters && Object.keys(spec.parameters).length > 0) req.parameters = { ...spec.parameters };
  const overrides = containerOverrides(spec);
  if (overrides) {
    if (target.multinode)
      req.nodeOverrides = { nodePropertyOverrides: [{ targetNodes: '0:', containerOverrides: overrides }] };
    else req.containerOverrides = overrides;
  }
  if (spec.retryAttempts !== undefined) req.retryStrategy = { attempts: spec.retryAttempts };
  if (spec.timeout !== undefined) req.timeout = { attemptDurationSeconds: spec.timeout };
  return req;
}

function containerOverrides(spec: JobSpec): ContainerOverrides | undefined {
  const o: ContainerOverrides = {};
  if (spec.command && spec.command.length > 0) o.command = [...spec.command];
  if (spec.environment && Object.keys(spec.environment).length > 0) {
    o.environment = Object.entries(spec.environment).map(([name, value]) => ({ name, value }));
  }
  const rr: ResourceRequirement[] = [];
  if (spec.vcpus !== undefined) rr.push({ type: 'VCPU', value: String(spec.vcpus) });
  if (spec.memory !== undefined) rr.push({ type: 'MEMORY', value: String(spec.memory) });
  if (spec.gpus !== undefined) rr.push({ type: 'GPU', value: String(spec.gpus) });
  if (rr.length > 0) o.resourceRequirements = rr;
  return Object.keys(o).length > 0 ? o : undefined;
}
