/**
 * Stages of a {@link BatchPipeline} and their validation.
 */
import { Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { IJobDefinition } from '../job/job-definition-base';
import { constructError } from '../private/job-findings';
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

const STAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** Throws a clear error for the first stage that Batch would reject or that cannot be chained. */
export function validateStages(scope: IConstruct, stages: readonly PipelineStage[]): void {
  if (stages.length === 0) {
    throw constructError(scope, 'BATCHKIT-PIPE-001', 'stages is empty.', {
      allowed: 'one or more stages',
      fix: 'list the jobs of the pipeline in the order they run.',
    });
  }
  const seen = new Set<string>();
  stages.forEach((s, i) => {
    const where = `stages[${i}]`;
    if (!Token.isUnresolved(s.name) && !STAGE_NAME.test(s.name)) {
      throw constructError(scope, 'BATCHKIT-PIPE-002', `${where}.name is not a valid job name.`, {
        value: s.name,
        allowed: '1-128 letters, digits, hyphens and underscores, starting with a letter or digit',
        fix: 'rename the stage, e.g. "prepare" or "process-items".',
      });
    }
    if (seen.has(s.name)) {
      throw constructError(scope, 'BATCHKIT-PIPE-003', `${where}.name "${s.name}" is used by an earlier stage.`, {
        value: s.name,
        fix: 'give every stage its own name.',
      });
    }
    seen.add(s.name);
    const size = s.arraySize;
    if (size !== undefined && !Token.isUnresolved(size) && (!Number.isInteger(size) || size < 2 || size > 10000)) {
      throw constructError(scope, 'BATCHKIT-PIPE-004', `${where}.arraySize is out of range.`, {
        value: size,
        allowed: 'whole numbers 2-10000 (Batch array size)',
        fix: 'set arraySize between 2 and 10000, or leave it out for a single job.',
      });
    }
    if (s.sequential && size === undefined) {
      throw constructError(scope, 'BATCHKIT-PIPE-005', `${where} is sequential but not an array job.`, {
        allowed: 'sequential: true only with arraySize',
        fix: 'set arraySize, or remove sequential.',
      });
    }
    if (s.dependency === StageDependency.N_TO_N) checkNToN(scope, stages, i);
  });
}

function checkNToN(scope: IConstruct, stages: readonly PipelineStage[], i: number): void {
  const where = `stages[${i}]`;
  const prev = i > 0 ? stages[i - 1] : undefined;
  const size = stages[i].arraySize;
  if (!prev || prev.arraySize === undefined || size === undefined) {
    throw constructError(scope, 'BATCHKIT-PIPE-006', `${where} has an N_TO_N dependency but ${!prev ? 'is the first stage' : 'it and the previous stage are not both array jobs'}.`, {
      allowed: 'N_TO_N between two consecutive array stages of the same size',
      fix: 'set arraySize on both stages, or use StageDependency.AFTER_PREVIOUS.',
    });
  }
  if (!Token.isUnresolved(size) && !Token.isUnresolved(prev.arraySize) && size !== prev.arraySize) {
    throw constructError(scope, 'BATCHKIT-PIPE-007', `${where} has an N_TO_N dependency on "${prev.name}" of another array size.`, {
      value: `${size} vs ${prev.arraySize}`,
      allowed: 'equal array sizes (child i waits for child i)',
      fix: `set arraySize to ${prev.arraySize} on both stages.`,
    });
  }
}

/** The `dependsOn` entries of stage `i`, the previous job id given as a JSONPath. */
export function stageDependsOn(stage: PipelineStage, i: number, previousJobIdPath: string | undefined): Array<{ jobId?: string; type?: string }> {
  const deps: Array<{ jobId?: string; type?: string }> = [];
  if (i > 0 && previousJobIdPath) {
    deps.push(stage.dependency === StageDependency.N_TO_N ? { jobId: previousJobIdPath, type: 'N_TO_N' } : { jobId: previousJobIdPath });
  }
  if (stage.sequential) deps.push({ type: 'SEQUENTIAL' });
  return deps;
}
