/**
 * What a test names a job queue or job definition with, turned into the synthesized resource:
 * - a construct: batchkit's (`JobQueue`, `ContainerJobDefinition`, ...), aws-cdk-lib's L2s
 *   (`IJobQueue`, `IJobDefinition`) or the L1s (`CfnJobQueue`, `CfnJobDefinition`). Its
 *   `AWS::Batch::*` resource is found (the construct itself, its default child, or the one such
 *   resource below it), and matched to the loaded model by its stack's artifact id and its logical
 *   id (`stack.resolve(cfn.logicalId)`, which honours `overrideLogicalId`). An imported construct
 *   (`JobQueue.fromJobQueueArn`) is matched by its ARN;
 * - a string: a name, an ARN, a `name:revision` or a CloudFormation logical id.
 * A construct of a stack this `LocalBatch` did not load is an error naming both.
 */
import type { IConstruct } from 'constructs';
import { BatchkitError } from '../core/errors';
import type { BatchModel } from '../core/model/batch-model';
import type { LoadedJobDefinition } from '../core/model/job-definition';
import type { LoadedJobQueue } from '../core/model/job-queue';

/** A job queue: a construct (batchkit, aws-cdk-lib L2 or L1) or its name, ARN or logical id. */
export type JobQueueRef = string | IConstruct;
/** A job definition: a construct (batchkit, aws-cdk-lib L2 or L1) or its name, `name:revision`, ARN or logical id. */
export type JobDefinitionRef = string | IConstruct;

/** Error codes of the reference resolution. */
export const REF_ERRORS = {
  unknownName: 'BATCHKIT-TESTING-101',
  notBatchResource: 'BATCHKIT-TESTING-102',
  otherStack: 'BATCHKIT-TESTING-103',
} as const;

type Kind = 'queue' | 'definition';

const TYPE: Record<Kind, string> = { queue: 'AWS::Batch::JobQueue', definition: 'AWS::Batch::JobDefinition' };
const NOUN: Record<Kind, string> = { queue: 'job queue', definition: 'job definition' };
const ARN_PROP: Record<Kind, string> = { queue: 'jobQueueArn', definition: 'jobDefinitionArn' };

/** The loaded job queue `ref` names; `field` is the argument's name for messages. */
export function resolveJobQueue(model: BatchModel, ref: JobQueueRef, field = 'jobQueue'): LoadedJobQueue {
  const all = model.jobQueues;
  const key = typeof ref === 'string' ? { text: ref } : constructKey(ref, 'queue', field);
  const found =
    'text' in key
      ? all.find((q) => q.jobQueueName === key.text || q.jobQueueArn === key.text || q.source?.logicalId === key.text)
      : all.find((q) => q.source?.stack === key.stack && q.source?.logicalId === key.logicalId);
  if (found) return found;
  throw notFound(
    model,
    'queue',
    field,
    key,
    all.map((q) => label(q.jobQueueName, q.source)),
  );
}

/** The loaded job definition `ref` names (the latest revision for a bare name). */
export function resolveJobDefinition(
  model: BatchModel,
  ref: JobDefinitionRef,
  field = 'jobDefinition',
): LoadedJobDefinition {
  const all = model.jobDefinitions;
  const key = typeof ref === 'string' ? { text: ref } : constructKey(ref, 'definition', field);
  const matches =
    'text' in key
      ? all.filter(
          (d) =>
            d.jobDefinitionName === key.text ||
            d.jobDefinitionArn === key.text ||
            d.source?.logicalId === key.text ||
            (d.revision !== undefined && `${d.jobDefinitionName}:${d.revision}` === key.text),
        )
      : all.filter((d) => d.source?.stack === key.stack && d.source?.logicalId === key.logicalId);
  if (matches.length > 0) return matches.reduce((a, b) => ((b.revision ?? 0) > (a.revision ?? 0) ? b : a));
  throw notFound(
    model,
    'definition',
    field,
    key,
    all.map((d) => label(d.jobDefinitionName, d.source)),
  );
}

function label(name: string, source?: { stack?: string; logicalId?: string }): string {
  return source?.logicalId ? `${name} (${source.stack ? `${source.stack}/` : ''}${source.logicalId})` : name;
}

/** A construct's resource: its stack's artifact id and logical id, or (imported) an ARN to match as text. */
type Key =
  | { readonly text: string; readonly path?: string }
  | { readonly stack: string; readonly logicalId: string; readonly path: string };

function constructKey(c: IConstruct, kind: Kind, field: string): Key {
  // aws-cdk-lib is loaded only when a construct is passed (the caller's app has it loaded already).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cdk = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const path = c.node.path;
  const isBatch = (x: IConstruct): x is import('aws-cdk-lib').CfnResource =>
    cdk.CfnResource.isCfnResource(x) && x.cfnResourceType === TYPE[kind];
  const candidates = isBatch(c)
    ? [c]
    : c.node.defaultChild && isBatch(c.node.defaultChild)
      ? [c.node.defaultChild]
      : c.node.findAll().filter(isBatch);
  if (candidates.length === 1) {
    const cfn = candidates[0];
    const stack = cdk.Stack.of(cfn);
    return { stack: stack.artifactId, logicalId: String(stack.resolve(cfn.logicalId)), path };
  }
  const arn = (c as unknown as Record<string, unknown>)[ARN_PROP[kind]];
  if (candidates.length === 0 && typeof arn === 'string' && !cdk.Token.isUnresolved(arn)) return { text: arn, path };
  throw new BatchkitError(
    REF_ERRORS.notBatchResource,
    'input',
    `${field}: the construct at "${path}" ` +
      (candidates.length === 0
        ? `declares no ${TYPE[kind]} resource`
        : `declares ${candidates.length} ${TYPE[kind]} resources (${candidates.map((x) => x.node.path).join(', ')})`) +
      '.',
    {
      fix:
        `pass the ${NOUN[kind]} construct itself (or its ${TYPE[kind]} L1), or ` +
        `its name, ARN or logical id as a string.`,
    },
  );
}

function notFound(model: BatchModel, kind: Kind, field: string, key: Key, known: string[]): BatchkitError {
  const knownText = known.length ? known.join(', ') : `none: the loaded app declares no ${NOUN[kind]}`;
  if ('stack' in key) {
    const stacks = [
      ...new Set(
        [...model.jobQueues, ...model.jobDefinitions].map((r) => r.source?.stack).filter((s): s is string => !!s),
      ),
    ];
    if (!stacks.includes(key.stack)) {
      return new BatchkitError(
        REF_ERRORS.otherStack,
        'input',
        `${field}: the construct at "${key.path}" belongs to stack "` +
          `${key.stack}", which this LocalBatch did not load (loaded: ${stacks.join(', ') || 'none'}).`,
        {
          fix:
            `open LocalBatch on that stack (LocalBatch.fromStack(stack)) or on the ` +
            `app that contains both stacks, or pass a ${NOUN[kind]} of a loaded stack.`,
        },
      );
    }
    return new BatchkitError(
      REF_ERRORS.unknownName,
      'not-found',
      `${field}: the construct at "${key.path}" (${key.stack}/` +
        `${key.logicalId}) is not a loaded ${NOUN[kind]}. Known: ${knownText}.`,
      {
        fix: `pass one of the known ${NOUN[kind]}s.`,
      },
    );
  }
  const what = key.path ? `the imported construct at "${key.path}" (${key.text})` : `"${key.text}"`;
  return new BatchkitError(
    REF_ERRORS.unknownName,
    'not-found',
    `${field}: ${what}: no ${NOUN[kind]} with that name, ARN or logical id. Known: ${knownText}.`,
    {
      fix: `pass one of the known ${NOUN[kind]}s, or a construct of the loaded stack.`,
    },
  );
}
