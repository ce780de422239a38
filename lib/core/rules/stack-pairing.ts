/**
 * Which job queues the cross-resource rules pair a job definition with. Batch would accept a job of
 * any definition on any queue of the account, so the rules go by what the templates say: a job
 * definition belongs with the queues of its own stack (a nested stack counts as part of its
 * top-level stack) and with the queues of other stacks that its stack's template really refers to.
 * A template refers to a queue of another stack when a resource loaded from it holds the queue's
 * ARN, or exactly its name, or an `Fn::ImportValue` of the export CDK generates for a cross-stack
 * reference to the queue (`<Stack>:ExportsOutputRef<LogicalId><hash>` or
 * `<Stack>:ExportsOutputFnGetAtt<LogicalId>JobQueueArn<hash>`, with `<Stack>` the artifact id).
 * Resources that carry no stack (a model built by hand, or by a construct for its own stack) pair
 * with everything, as one application.
 */
import type { BatchModel } from '../model/batch-model';
import type { SourceLocation } from '../model/common';
import type { LoadedJobDefinition } from '../model/job-definition';
import type { LoadedJobQueue } from '../model/job-queue';
import { describeUnresolved, isUnresolved } from '../model/unresolved';

/** The top-level stack of a source location (`Parent` for the nested stack `Parent/Nested`); undefined when unknown. */
export function rootStackOf(source: SourceLocation | undefined): string | undefined {
  const stack = source?.stack;
  return stack === undefined || stack === '' ? undefined : stack.split('/')[0];
}

/** True when two resources may belong together: same top-level stack, or either has no stack. */
export function sameStack(a: SourceLocation | undefined, b: SourceLocation | undefined): boolean {
  const x = rootStackOf(a);
  const y = rootStackOf(b);
  return x === undefined || y === undefined || x === y;
}

/** Top-level fields that are a resource's own identity or labels, not references to other resources. */
const OWN_FIELDS = new Set([
  'source',
  'tags',
  'jobDefinitionName',
  'jobDefinitionArn',
  'jobQueueName',
  'jobQueueArn',
  'computeEnvironmentName',
  'computeEnvironmentArn',
  'name',
  'arn',
  'launchTemplateName',
  'launchTemplateId',
  'roleName',
  'instanceProfileName',
]);

/** Every string held in a value, objects and arrays walked. */
function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === 'string') {
    out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collectStrings(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) collectStrings(v, out);
  }
}

/** The strings a resource holds outside its own identity: the values that may refer to other resources. */
function referenceStrings(resource: object, out: string[]): void {
  for (const [k, v] of Object.entries(resource)) if (!OWN_FIELDS.has(k)) collectStrings(v, out);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when `value`, a string of another stack's template, refers to queue `q`. */
function refersTo(value: string, q: LoadedJobQueue): boolean {
  if (isUnresolved(value)) {
    const stack = q.source?.stack;
    const logicalId = q.source?.logicalId;
    if (!stack || !logicalId) return false;
    const id = escapeRegExp(logicalId);
    const cdkExport = new RegExp(
      `^Fn::ImportValue ${escapeRegExp(stack)}:ExportsOutput(?:Ref` +
        `${id}|FnGetAtt${id}JobQueue[A-Za-z]*)[0-9A-F]{8}$`,
    );
    return cdkExport.test(describeUnresolved(value));
  }
  return (
    value === q.jobQueueName || (q.jobQueueArn !== undefined && q.jobQueueArn !== '' && value.includes(q.jobQueueArn))
  );
}

/** The queues a job definition is paired with; see the module comment. */
export interface QueuePairing {
  /** The queues of the model that a resource from `source` (a job definition's) is paired with, in model order. */
  queuesFor(source: SourceLocation | undefined): LoadedJobQueue[];
}

/**
 * The pairing of one model. Build it once per rule run: it reads the model as it is now, and the
 * references of each stack are collected on first use.
 */
export function queuePairing(model: BatchModel): QueuePairing {
  const referenced = new Map<string, Set<LoadedJobQueue>>();
  const referencedBy = (stack: string): Set<LoadedJobQueue> => {
    let set = referenced.get(stack);
    if (set) return set;
    const strings: string[] = [];
    const resources = [
      ...model.jobDefinitions,
      ...model.jobQueues,
      ...model.computeEnvironments,
      ...model.schedulingPolicies,
      ...model.launchTemplates,
      ...model.roles,
      ...model.instanceProfiles,
    ];
    for (const r of resources) if (rootStackOf(r.source) === stack) referenceStrings(r, strings);
    const others = model.jobQueues.filter((q) => !sameStack(q.source, { stack }));
    set = new Set(others.filter((q) => strings.some((s) => refersTo(s, q))));
    referenced.set(stack, set);
    return set;
  };
  return {
    queuesFor(source: SourceLocation | undefined): LoadedJobQueue[] {
      const stack = rootStackOf(source);
      if (stack === undefined) return model.jobQueues;
      return model.jobQueues.filter((q) => sameStack(q.source, source) || referencedBy(stack).has(q));
    },
  };
}

/** A job definition and the queues it is paired with. */
export interface DefinitionQueues {
  /** The job definition. */
  readonly jd: LoadedJobDefinition;
  /** Its queues (see {@link queuePairing}), in model order. */
  readonly queues: LoadedJobQueue[];
}

/**
 * Every job definition of the model (those `only` accepts, when given) with the queues it is paired
 * with: the one loop the cross-resource rules share.
 */
export function definitionsWithQueues(
  model: BatchModel,
  only: (jd: LoadedJobDefinition) => boolean = () => true,
): DefinitionQueues[] {
  const pairing = queuePairing(model);
  return model.jobDefinitions.filter(only).map((jd) => ({ jd, queues: pairing.queuesFor(jd.source) }));
}
