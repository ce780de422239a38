/**
 * Stages of a {@link BatchPipeline} and their validation.
 */
import { Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { IJobDefinition } from '../job/job-definition-base';
import type { JobDependency, SubmitJobRequest } from '../../core/model/job';
import { validateSubmitJob } from '../../core/rules/submit-job';
import { constructError, reportFindings } from '../private/job-findings';
import type { IJobQueue } from '../queue/job-queue-base';

/** How a stage waits for the stage before it. Values are the Batch `dependsOn.type` strings. */
export enum StageDependency {
  /** The stage starts when the whole previous job (every child of an array job) has succeeded. */
  AFTER_PREVIOUS = 'STANDARD',
  /**
   * Child `i` of this array stage starts when child `i` of the previous array stage has
   * succeeded. Both stages must be array jobs of the same size.
   */
  N_TO_N = 'N_TO_N',
}

/** One job of a pipeline. */
export interface PipelineStage {
  /** Name of the stage: the job name and the state name. 1-128 letters, digits, `-`, `_`; first a letter or digit. */
  readonly name: string;
  /** The job definition the stage submits. */
  readonly jobDefinition: IJobDefinition;
  /**
   * Array size: submit an array job of this many children (2-10,000), each with its
   * `AWS_BATCH_JOB_ARRAY_INDEX`.
   * @default - a single (non-array) job
   */
  readonly arraySize?: number;
  /**
   * How the stage waits for the previous one (ignored for the first stage).
   * @default StageDependency.AFTER_PREVIOUS
   */
  readonly dependency?: StageDependency;
  /**
   * Run the children of this array stage one after the other, from index 0 (a `SEQUENTIAL`
   * dependency). Requires `arraySize`.
   * @default false
   */
  readonly sequential?: boolean;
  /**
   * Queue of this stage.
   * @default - the pipeline's `jobQueue`
   */
  readonly jobQueue?: IJobQueue;
}

/**
 * The SubmitJob request the pipeline's state machine sends for stage `i`, as far as the synth
 * knows it: name, array size and dependencies (the previous job id is a placeholder).
 */
function stageRequest(stage: PipelineStage, i: number): SubmitJobRequest {
  return {
    jobName: stage.name,
    jobQueue: stage.jobQueue?.jobQueueArn ?? 'pipeline-queue',
    jobDefinition: stage.jobDefinition.jobDefinitionArn,
    ...(stage.arraySize !== undefined ? { arrayProperties: { size: stage.arraySize } } : {}),
    dependsOn: stageDependsOn(stage, i, i > 0 ? 'previous-stage-job-id' : undefined),
  };
}

/**
 * Throws a clear error for the first stage that Batch would reject or that cannot be chained. Each
 * stage's SubmitJob request is checked by the core's SubmitJob rules (`BATCH-SJ-001` job name,
 * `BATCH-SJ-004` N_TO_N/SEQUENTIAL only on array jobs, `BATCH-SJ-005` array size, ...); the checks
 * across stages (none, names used twice, N_TO_N wiring) are the pipeline's own (`BATCHKIT-CDK-017`…`020`).
 */
export function validateStages(scope: IConstruct, stages: readonly PipelineStage[]): void {
  if (stages.length === 0) {
    throw constructError(scope, 'BATCHKIT-CDK-017', 'stages is empty.', {
      allowed: 'one or more stages',
      fix: 'list the jobs of the pipeline in the order they run.',
    });
  }
  const seen = new Set<string>();
  stages.forEach((s, i) => {
    const where = `stages[${i}]`;
    reportFindings(scope, validateSubmitJob(stageRequest(s, i)));
    if (seen.has(s.name)) {
      throw constructError(scope, 'BATCHKIT-CDK-018', `${where}.name "${s.name}" is used by an earlier stage.`, {
        value: s.name,
        fix: 'give every stage its own name.',
      });
    }
    seen.add(s.name);
    if (s.dependency === StageDependency.N_TO_N) checkNToN(scope, stages, i);
  });
}

function checkNToN(scope: IConstruct, stages: readonly PipelineStage[], i: number): void {
  const where = `stages[${i}]`;
  const prev = i > 0 ? stages[i - 1] : undefined;
  const size = stages[i].arraySize;
  if (!prev || prev.arraySize === undefined || size === undefined) {
    throw constructError(
      scope,
      'BATCHKIT-CDK-019',
      `${where} has an N_TO_N dependency but ` +
        `${!prev ? 'is the first stage' : 'it and the previous stage are not both array jobs'}.`,
      {
        allowed: 'N_TO_N between two consecutive array stages of the same size',
        fix: 'set arraySize on both stages, or use StageDependency.AFTER_PREVIOUS.',
      },
    );
  }
  if (!Token.isUnresolved(size) && !Token.isUnresolved(prev.arraySize) && size !== prev.arraySize) {
    throw constructError(
      scope,
      'BATCHKIT-CDK-020',
      `${where} has an N_TO_N dependency on "${prev.name}" of another array size.`,
      {
        value: `${size} vs ${prev.arraySize}`,
        allowed: 'equal array sizes (child i waits for child i)',
        fix: `set arraySize to ${prev.arraySize} on both stages.`,
      },
    );
  }
}

/** The `dependsOn` entries of stage `i`, the previous job id given as a JSONPath. */
export function stageDependsOn(
  stage: PipelineStage,
  i: number,
  previousJobIdPath: string | undefined,
): JobDependency[] {
  const deps: JobDependency[] = [];
  if (i > 0 && previousJobIdPath) {
    deps.push(
      stage.dependency === StageDependency.N_TO_N
        ? { jobId: previousJobIdPath, type: 'N_TO_N' }
        : { jobId: previousJobIdPath },
    );
  }
  if (stage.sequential) deps.push({ type: 'SEQUENTIAL' });
  return deps;
}
