/**
 * Job queue rules (`BATCH-JQ-…`) and scheduling policy rules (`BATCH-SP-…`).
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_CreateJobQueue.html
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_CreateSchedulingPolicy.html
 */
import type { BatchModel } from '../model/batch-model';
import { parseBatchArn } from '../model/arn';
import { RESOURCE_STATES } from '../model/common';
import type { LoadedJobQueue, LoadedSchedulingPolicy } from '../model/job-queue';
import { isUnresolved } from '../model/unresolved';
import { finding, type Finding, type ResourceRef } from './finding';
import { RESOURCE_NAME_ALLOWED, RESOURCE_NAME_PATTERN } from './names';
import { computeEnvironmentOf } from './placement';
import { perItemRule, type ItemCheck, type Rule, type RuleContext } from './rule';

/** The resource reference of a job queue, for findings. */
export function jobQueueRef(q: LoadedJobQueue): ResourceRef {
  return { kind: 'JobQueue', name: q.jobQueueName ?? '(unnamed)', source: q.source };
}

/** The resource reference of a scheduling policy, for findings. */
export function schedulingPolicyRef(p: LoadedSchedulingPolicy): ResourceRef {
  return { kind: 'SchedulingPolicy', name: p.name ?? '(unnamed)', source: p.source };
}

const queueRule = perItemRule((m) => m.jobQueues, jobQueueRef);
const policyRule = perItemRule((m) => m.schedulingPolicies, schedulingPolicyRef);

function nameCheck(field: string, what: string) {
  return ({ item, report, known }: ItemCheck<{ name: string }>): Finding[] =>
    known(field, item.name, (name) =>
      typeof name === 'string' && RESOURCE_NAME_PATTERN.test(name)
        ? []
        : [
            report({
              field,
              problem: 'the name is not valid.',
              value: name,
              allowed: RESOURCE_NAME_ALLOWED,
              fix: `rename the ${what}, e.g. "high-priority_1".`,
            }),
          ],
    );
}

/** Most compute environments one queue may list. */
export const MAX_QUEUE_ENVIRONMENTS = 3;
/** Job queues per Region (a Batch service quota). */
export const MAX_JOB_QUEUES = 20;

const JQ_RULES: Rule[] = [
  queueRule('BATCH-JQ-001', 'error', 'jobQueueName is 1-128 letters, digits, hyphens and underscores.', (c) =>
    nameCheck('jobQueueName', 'job queue')({ ...c, item: { name: c.item.jobQueueName } }),
  ),
  queueRule('BATCH-JQ-002', 'error', 'state, when set, is ENABLED or DISABLED.', ({ item, report, known }) =>
    item.state === undefined
      ? []
      : known('state', item.state, (s) =>
          RESOURCE_STATES.includes(s)
            ? []
            : [
                report({
                  field: 'state',
                  problem: 'the state is not valid.',
                  value: s,
                  allowed: RESOURCE_STATES.join(', '),
                  fix: 'use ENABLED, DISABLED, or leave it out (ENABLED).',
                }),
              ],
        ),
  ),
  queueRule(
    'BATCH-JQ-003',
    'error',
    'priority is an integer 0-1000 (higher is scheduled first).',
    ({ item, report, known }) =>
      known('priority', item.priority, (p) =>
        typeof p === 'number' && Number.isInteger(p) && p >= 0 && p <= 1000
          ? []
          : [
              report({
                field: 'priority',
                problem: 'the priority is missing or out of range.',
                value: p,
                allowed: 'integers 0-1000',
                fix: 'set a whole number; among queues sharing an environment the higher priority is scheduled first.',
              }),
            ],
      ),
  ),
  queueRule(
    'BATCH-JQ-004',
    'error',
    `computeEnvironmentOrder lists 1-${MAX_QUEUE_ENVIRONMENTS} compute environments.`,
    ({ item, report }) => {
      const n = item.computeEnvironmentOrder?.length ?? 0;
      if (n >= 1 && n <= MAX_QUEUE_ENVIRONMENTS) return [];
      return [
        report({
          field: 'computeEnvironmentOrder',
          problem:
            n === 0
              ? 'the queue has no compute environment, so no job can ever run.'
              : `the queue lists ${n} compute environments.`,
          value: n,
          allowed: `1-${MAX_QUEUE_ENVIRONMENTS} entries`,
          fix: n === 0 ? 'add a compute environment.' : 'keep at most three environments, or split the queue.',
        }),
      ];
    },
  ),
  queueRule(
    'BATCH-JQ-005',
    'error',
    'computeEnvironmentOrder entries have distinct integer orders and distinct environments.',
    ({ item, model, report }) => {
      const out: Finding[] = [];
      const order = item.computeEnvironmentOrder ?? [];
      const seenOrder = new Map<number, number>();
      const seenCe = new Map<string, number>();
      order.forEach((o, i) => {
        const field = `computeEnvironmentOrder[${i}]`;
        if (!isUnresolved(o.order)) {
          if (!Number.isInteger(o.order) || o.order < 0) {
            out.push(
              report({
                field: `${field}.order`,
                problem: 'the order must be a whole number of at least 0.',
                value: o.order,
                allowed: 'integers >= 0',
                fix: 'use 1, 2, 3 (lower is tried first).',
              }),
            );
          } else if (seenOrder.has(o.order)) {
            out.push(
              report({
                field: `${field}.order`,
                problem: `order ${o.order} is already used by computeEnvironmentOrder[${seenOrder.get(o.order)}].`,
                value: o.order,
                allowed: 'distinct orders',
                fix: 'give each environment its own order.',
              }),
            );
          } else seenOrder.set(o.order, i);
        }
        if (!isUnresolved(o.computeEnvironment)) {
          const key =
            computeEnvironmentOf(model, o.computeEnvironment, item.source)?.computeEnvironmentName ??
            o.computeEnvironment;
          if (seenCe.has(key)) {
            out.push(
              report({
                field: `${field}.computeEnvironment`,
                problem:
                  `compute environment "${key}" is listed twice ` +
                  `(also computeEnvironmentOrder[${seenCe.get(key)}]).`,
                value: o.computeEnvironment,
                fix: 'list each environment once.',
              }),
            );
          } else seenCe.set(key, i);
        }
      });
      return out;
    },
  ),
  queueRule(
    'BATCH-JQ-006',
    'error',
    'computeEnvironmentOrder[].computeEnvironment is a compute environment ARN or name.',
    ({ item, model, report, known }) =>
      (item.computeEnvironmentOrder ?? []).flatMap((o, i) =>
        // A reference to an environment of the application is one, even when its name is known only at deployment.
        isUnresolved(o.computeEnvironment) && computeEnvironmentOf(model, o.computeEnvironment, item.source)
          ? []
          : known(`computeEnvironmentOrder[${i}].computeEnvironment`, o.computeEnvironment, (ref) => {
              if (
                typeof ref === 'string' &&
                (parseBatchArn(ref)?.resource === 'compute-environment' || RESOURCE_NAME_PATTERN.test(ref))
              )
                return [];
              return [
                report({
                  field: `computeEnvironmentOrder[${i}].computeEnvironment`,
                  problem: 'the reference is not a compute environment ARN or name.',
                  value: ref,
                  allowed: 'arn:<partition>:batch:<region>:<account>:compute-environment/<name>, or the name',
                  fix:
                    'reference the compute environment ' +
                    '(its ARN, e.g. the Ref of an AWS::Batch::ComputeEnvironment).',
                }),
              ];
            }),
      ),
  ),
  queueRule(
    'BATCH-JQ-007',
    'warning',
    'A compute environment referenced by name is declared in the application (a name that is not is probably a typo).',
    ({ item, model, report }) =>
      (item.computeEnvironmentOrder ?? []).flatMap((o, i) => {
        const ref = o.computeEnvironment;
        if (typeof ref !== 'string' || isUnresolved(ref) || ref.startsWith('arn:') || computeEnvironmentOf(model, ref))
          return [];
        const names = model.computeEnvironments.map((ce) => ce.computeEnvironmentName);
        return [
          report({
            field: `computeEnvironmentOrder[${i}].computeEnvironment`,
            problem:
              `no compute environment named "${ref}" is declared in this application, ` +
              `so batchkit cannot check it and Batch rejects the queue unless it already exists.`,
            value: ref,
            allowed: names.length
              ? names.join(', ')
              : 'a compute environment declared in the application, or an existing one',
            fix: 'correct the name, or reference an existing environment by its full ARN.',
          }),
        ];
      }),
  ),
  queueRule(
    'BATCH-JQ-008',
    'error',
    'jobStateTimeLimitActions: at most 5; state RUNNABLE; maxTimeSeconds ' +
      '600-86400; action CANCEL or TERMINATE; a reason.',
    ({ item, report, known }) => {
      const actions = item.jobStateTimeLimitActions ?? [];
      const out: Finding[] = [];
      if (actions.length > 5) {
        out.push(
          report({
            field: 'jobStateTimeLimitActions',
            problem: `the queue has ${actions.length} time limit actions.`,
            value: actions.length,
            allowed: 'at most 5',
            fix: 'keep at most five actions.',
          }),
        );
      }
      actions.forEach((a, i) => {
        const f = `jobStateTimeLimitActions[${i}]`;
        if (!isUnresolved(a.state) && a.state !== 'RUNNABLE')
          out.push(
            report({
              field: `${f}.state`,
              problem: 'time limit actions apply only to RUNNABLE jobs.',
              value: a.state,
              allowed: 'RUNNABLE',
              fix: 'set state to RUNNABLE.',
            }),
          );
        out.push(
          ...known(`${f}.maxTimeSeconds`, a.maxTimeSeconds, (s) =>
            Number.isInteger(s) && s >= 600 && s <= 86400
              ? []
              : [
                  report({
                    field: `${f}.maxTimeSeconds`,
                    problem: 'the time limit is out of range.',
                    value: s,
                    allowed: 'integers 600-86400 (10 minutes to 24 hours)',
                    fix: 'use a time between 600 and 86400 seconds.',
                  }),
                ],
          ),
        );
        if (!isUnresolved(a.action) && a.action !== 'CANCEL' && a.action !== 'TERMINATE')
          out.push(
            report({
              field: `${f}.action`,
              problem: 'the action is not valid.',
              value: a.action,
              allowed: 'CANCEL, TERMINATE',
              fix: 'use CANCEL.',
            }),
          );
        if (!a.reason)
          out.push(
            report({
              field: `${f}.reason`,
              problem: 'the action needs a reason, recorded on the cancelled job.',
              fix: 'set reason, e.g. "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT".',
            }),
          );
      });
      return out;
    },
  ),
  {
    code: 'BATCH-JQ-009',
    severity: 'warning',
    description: `At most ${MAX_JOB_QUEUES} job queues (the per-Region account quota).`,
    check(model: BatchModel, ctx: RuleContext): Finding[] {
      const n = model.jobQueues.length;
      if (n <= MAX_JOB_QUEUES) return [];
      return [
        finding({
          code: ctx.code,
          severity: ctx.severity,
          resource: jobQueueRef(model.jobQueues[MAX_JOB_QUEUES]),
          problem:
            `the application declares ${n} job queues; an account can have ` +
            `${MAX_JOB_QUEUES} per Region, so deploying all of them will fail.`,
          value: n,
          allowed: `<= ${MAX_JOB_QUEUES} per Region (including ones that already exist)`,
          fix: 'merge queues (use fair-share scheduling to separate workloads), or deploy to several Regions.',
        }),
      ];
    },
  },
];

/** Share identifiers: up to 255 letters and digits, optionally followed by `*` (a prefix). */
export const SHARE_IDENTIFIER_PATTERN = /^[A-Za-z0-9]{1,255}\*?$/;

function rangeCheck(
  c: ItemCheck<LoadedSchedulingPolicy>,
  field: string,
  value: number | undefined,
  min: number,
  max: number,
  integer: boolean,
  fix: string,
): Finding[] {
  if (value === undefined) return [];
  return c.known(field, value, (v) =>
    typeof v === 'number' && (!integer || Number.isInteger(v)) && v >= min && v <= max
      ? []
      : [
          c.report({
            field,
            problem: 'the value is out of range.',
            value: v,
            allowed: `${integer ? 'integers' : 'numbers'} ${min}-${max}`,
            fix,
          }),
        ],
  );
}

const SP_RULES: Rule[] = [
  policyRule(
    'BATCH-SP-001',
    'error',
    'Scheduling policy name is 1-128 letters, digits, hyphens and underscores.',
    (c) => nameCheck('name', 'scheduling policy')({ ...c, item: { name: c.item.name } }),
  ),
  policyRule('BATCH-SP-002', 'error', 'fairsharePolicy.shareDecaySeconds is an integer 0-604800 (7 days).', (c) =>
    rangeCheck(
      c,
      'fairsharePolicy.shareDecaySeconds',
      c.item.fairsharePolicy?.shareDecaySeconds,
      0,
      604800,
      true,
      'use at most 604800 seconds (one week); 0 counts only current use.',
    ),
  ),
  policyRule('BATCH-SP-003', 'error', 'fairsharePolicy.computeReservation is an integer 0-99.', (c) =>
    rangeCheck(
      c,
      'fairsharePolicy.computeReservation',
      c.item.fairsharePolicy?.computeReservation,
      0,
      99,
      true,
      'use a whole number 0-99 (the share of capacity held back for inactive share ids).',
    ),
  ),
  policyRule(
    'BATCH-SP-004',
    'error',
    'fairsharePolicy.shareDistribution has at most 500 entries, each with a distinct shareIdentifier.',
    ({ item, report }) => {
      const shares = item.fairsharePolicy?.shareDistribution ?? [];
      const out: Finding[] = [];
      if (shares.length > 500)
        out.push(
          report({
            field: 'fairsharePolicy.shareDistribution',
            problem: `the policy lists ${shares.length} share identifiers.`,
            value: shares.length,
            allowed: 'at most 500',
            fix: 'use prefixes ("team*") to cover many identifiers with one entry.',
          }),
        );
      const seen = new Map<string, number>();
      shares.forEach((s, i) => {
        if (isUnresolved(s.shareIdentifier)) return;
        if (seen.has(s.shareIdentifier))
          out.push(
            report({
              field: `fairsharePolicy.shareDistribution[${i}].shareIdentifier`,
              problem: `"${s.shareIdentifier}" is already listed at shareDistribution[${seen.get(s.shareIdentifier)}].`,
              value: s.shareIdentifier,
              fix: 'list each identifier once.',
            }),
          );
        else seen.set(s.shareIdentifier, i);
      });
      return out;
    },
  ),
  policyRule('BATCH-SP-005', 'error', 'shareDistribution[].weightFactor is 0.0001-999.9999.', (c) =>
    (c.item.fairsharePolicy?.shareDistribution ?? []).flatMap((s, i) =>
      rangeCheck(
        c,
        `fairsharePolicy.shareDistribution[${i}].weightFactor`,
        s.weightFactor,
        0.0001,
        999.9999,
        false,
        'use a weight between 0.0001 and 999.9999 (lower weight gets more capacity; default 1).',
      ),
    ),
  ),
  policyRule(
    'BATCH-SP-006',
    'error',
    'shareIdentifier is up to 255 letters and digits, optionally ending in ' +
      '*, and prefixes do not overlap other identifiers.',
    ({ item, report, known }) => {
      const shares = item.fairsharePolicy?.shareDistribution ?? [];
      const out: Finding[] = [];
      shares.forEach((s, i) => {
        const field = `fairsharePolicy.shareDistribution[${i}].shareIdentifier`;
        out.push(
          ...known(field, s.shareIdentifier, (id) => {
            if (typeof id !== 'string' || !SHARE_IDENTIFIER_PATTERN.test(id)) {
              return [
                report({
                  field,
                  problem: 'the share identifier is not valid.',
                  value: id,
                  allowed: '1-255 letters and digits, optionally followed by * to match a prefix',
                  fix: 'remove other characters (hyphens, underscores, spaces).',
                }),
              ];
            }
            if (!id.endsWith('*')) return [];
            const prefix = id.slice(0, -1);
            const overlaps = shares
              .map((o, j) => ({ o, j }))
              .filter(
                ({ o, j }) =>
                  j !== i &&
                  typeof o.shareIdentifier === 'string' &&
                  !isUnresolved(o.shareIdentifier) &&
                  o.shareIdentifier.replace(/\*$/, '').startsWith(prefix),
              );
            return overlaps.map(({ o, j }) =>
              report({
                field,
                problem:
                  `prefix "${id}" overlaps shareDistribution[${j}] "` +
                  `${o.shareIdentifier}"; Batch rejects overlapping identifiers.`,
                value: id,
                fix: 'make the prefixes disjoint, or drop the more specific entry.',
              }),
            );
          }),
        );
      });
      return out;
    },
  ),
];

/** Job queue and scheduling policy rules. */
export const JOB_QUEUE_RULES: readonly Rule[] = [...JQ_RULES, ...SP_RULES];
