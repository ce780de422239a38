/**
 * Finding the queue and job definition a user names: by name, ARN or CloudFormation logical id.
 * An unknown one is an input error that lists the known ones.
 */
import { BatchkitError } from '../../core/errors';
import type { BatchModel } from '../../core/model/batch-model';
import type { LoadedJobDefinition } from '../../core/model/job-definition';
import type { LoadedJobQueue } from '../../core/model/job-queue';

function known(names: readonly string[]): string {
  return names.length === 0 ? 'none: the app declares no such resource' : names.join(', ');
}

/** The queue named `ref` (name, ARN or logical id). */
export function findQueue(model: BatchModel, ref: string, flag = '--queue'): LoadedJobQueue {
  const q = model.jobQueues.find((x) => x.jobQueueName === ref || x.jobQueueArn === ref || x.source?.logicalId === ref);
  if (q) return q;
  throw new BatchkitError(
    'BATCHKIT-CLI-LOCAL-002',
    'not-found',
    `${flag} "${ref}": no job queue with that name, ARN or logical id. Known queues: ${known(
      model.jobQueues.map((x) => (x.source?.logicalId ? `${x.jobQueueName} (${x.source.logicalId})` : x.jobQueueName)),
    )}.`,
    { fix: `pass one of the known queues to ${flag}, or point --app at the cloud assembly that declares it.` },
  );
}

/** The job definition named `ref` (`name`, `name:revision`, ARN or logical id); the latest revision for a bare name. */
export function findJobDefinition(model: BatchModel, ref: string, flag = '--job-definition'): LoadedJobDefinition {
  const byRef = model.jobDefinitions.filter(
    (d) =>
      d.jobDefinitionName === ref ||
      d.jobDefinitionArn === ref ||
      d.source?.logicalId === ref ||
      (d.revision !== undefined && `${d.jobDefinitionName}:${d.revision}` === ref),
  );
  if (byRef.length > 0) return byRef.reduce((a, b) => ((b.revision ?? 0) > (a.revision ?? 0) ? b : a));
  throw new BatchkitError(
    'BATCHKIT-CLI-LOCAL-003',
    'not-found',
    `${flag} "${ref}": no job definition with that name, ARN or logical id. Known job definitions: ${known(
      model.jobDefinitions.map((d) =>
        d.source?.logicalId ? `${d.jobDefinitionName} (${d.source.logicalId})` : d.jobDefinitionName,
      ),
    )}.`,
    { fix: `pass one of the known job definitions to ${flag}, or point --app at the cloud assembly that declares it.` },
  );
}

/** How SubmitJob should name a definition: its ARN when known, else `name[:revision]`. */
export function definitionRef(d: LoadedJobDefinition): string {
  if (d.jobDefinitionArn) return d.jobDefinitionArn;
  return d.revision !== undefined ? `${d.jobDefinitionName}:${d.revision}` : d.jobDefinitionName;
}
