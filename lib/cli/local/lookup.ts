/**
 * Finding the queue and job definition a user names: by name, ARN, CloudFormation logical id, or
 * the construct path or id of the user's CDK code (from the assembly's `aws:cdk:path` metadata:
 * `Stack/JobQueue/Resource` answers to `Stack/JobQueue/Resource`, `Stack/JobQueue`,
 * `JobQueue/Resource` and `JobQueue`). Names, ARNs and logical ids win over construct paths, a
 * full construct path over a construct id. An unknown one is an input error that lists the known
 * ones; a construct id that several resources have is an input error that lists them.
 */
import { BatchkitError } from '../../core/errors';
import type { BatchModel } from '../../core/model/batch-model';
import type { SourceLocation } from '../../core/model/common';
import type { LoadedJobDefinition } from '../../core/model/job-definition';
import type { LoadedJobQueue } from '../../core/model/job-queue';

/** Code of the error for a construct id that more than one resource has. */
export const AMBIGUOUS_REFERENCE = 'BATCHKIT-CLI-LOCAL-013';

function known(names: readonly string[]): string {
  return names.length === 0 ? 'none: the app declares no such resource' : names.join(', ');
}

/** The construct path without the L1's `/Resource` (or `/Default`) leaf: `Stack/JobQueue`. */
function constructOf(source: SourceLocation | undefined): string | undefined {
  const p = source?.constructPath;
  if (!p) return undefined;
  return p.replace(/\/(Resource|Default)$/, '');
}

/**
 * How well `ref` names a resource by its construct path: 2 the full path, 1 a shorter suffix of it (the construct
 * id), 0 not.
 */
function constructMatch(source: SourceLocation | undefined, ref: string): 0 | 1 | 2 {
  const full = source?.constructPath;
  const construct = constructOf(source);
  if (!full || !construct || ref === '') return 0;
  if (ref === full || ref === construct) return 2;
  // Paths below the stack, down to the construct id: `JobQueue`, `Nested/JobQueue`, `JobQueue/Resource`.
  const clean = ref.replace(/^\/+|\/+$/g, '');
  if (construct.endsWith(`/${clean}`) || full.endsWith(`/${clean}`)) return 1;
  return 0;
}

function describe(source: SourceLocation | undefined, name: string): string {
  const id = source?.logicalId
    ? ` (${source.logicalId}${source.constructPath ? ` at ${source.constructPath}` : ''})`
    : '';
  return `${name}${id}`;
}

/** The resources `ref` names by construct path; throws {@link AMBIGUOUS_REFERENCE} when a construct id fits several. */
function byConstruct<T extends { readonly source?: SourceLocation }>(
  items: readonly T[],
  ref: string,
  flag: string,
  kind: string,
  name: (t: T) => string,
): T[] {
  const exact = items.filter((t) => constructMatch(t.source, ref) === 2);
  if (exact.length > 0) return exact;
  const suffix = items.filter((t) => constructMatch(t.source, ref) === 1);
  const distinct = [...new Set(suffix.map((t) => constructOf(t.source)))];
  if (distinct.length > 1) {
    throw new BatchkitError(
      AMBIGUOUS_REFERENCE,
      'input',
      `${flag} "${ref}": ${distinct.length} ${kind}s have that construct id: ` +
        `${suffix.map((t) => describe(t.source, name(t))).join(', ')}.`,
      {
        fix:
          `pass the full construct path (e.g. "` +
          `${constructOf(suffix[0].source)}"), the name or the logical id to ${flag}.`,
      },
    );
  }
  return suffix;
}

/** The queue named `ref` (name, ARN, logical id, construct path or construct id). */
export function findQueue(model: BatchModel, ref: string, flag = '--job-queue'): LoadedJobQueue {
  const q =
    model.jobQueues.find((x) => x.jobQueueName === ref || x.jobQueueArn === ref || x.source?.logicalId === ref) ??
    byConstruct(model.jobQueues, ref, flag, 'job queue', (x) => x.jobQueueName)[0];
  if (q) return q;
  throw new BatchkitError(
    'BATCHKIT-CLI-LOCAL-002',
    'not-found',
    `${flag} "${ref}": no job queue with that name, ARN, logical id or construct path. Known queues: ${known(
      model.jobQueues.map((x) => describe(x.source, x.jobQueueName)),
    )}.`,
    { fix: `pass one of the known queues to ${flag}, or point --app at the cloud assembly that declares it.` },
  );
}

/**
 * The job definition named `ref` (`name`, `name:revision`, ARN, logical id, construct path or
 * construct id); the latest revision for a bare name.
 */
export function findJobDefinition(model: BatchModel, ref: string, flag = '--job-definition'): LoadedJobDefinition {
  let byRef = model.jobDefinitions.filter(
    (d) =>
      d.jobDefinitionName === ref ||
      d.jobDefinitionArn === ref ||
      d.source?.logicalId === ref ||
      (d.revision !== undefined && `${d.jobDefinitionName}:${d.revision}` === ref),
  );
  if (byRef.length === 0)
    byRef = byConstruct(model.jobDefinitions, ref, flag, 'job definition', (d) => d.jobDefinitionName);
  if (byRef.length > 0) return byRef.reduce((a, b) => ((b.revision ?? 0) > (a.revision ?? 0) ? b : a));
  throw new BatchkitError(
    'BATCHKIT-CLI-LOCAL-003',
    'not-found',
    `${flag} "${ref}": no job definition with that name, ARN, logical id or construct path. ` +
      `Known job definitions: ${known(model.jobDefinitions.map((d) => describe(d.source, d.jobDefinitionName)))}.`,
    { fix: `pass one of the known job definitions to ${flag}, or point --app at the cloud assembly that declares it.` },
  );
}

/** How SubmitJob should name a definition: its ARN when known, else `name[:revision]`. */
export function definitionRef(d: LoadedJobDefinition): string {
  if (d.jobDefinitionArn) return d.jobDefinitionArn;
  return d.revision !== undefined ? `${d.jobDefinitionName}:${d.revision}` : d.jobDefinitionName;
}
