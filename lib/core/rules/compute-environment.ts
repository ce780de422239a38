/**
 * Compute environment rules (`BATCH-CE-…`): name, type, state, the compute resources each type
 * needs and forbids, vCPU bounds, allocation strategies, Spot settings, instance types.
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_CreateComputeEnvironment.html
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_ComputeResource.html
 */
import type { BatchModel } from '../model/batch-model';
import { RESOURCE_STATES } from '../model/common';
import {
  CE_TYPES,
  CR_ALLOCATION_STRATEGIES,
  CR_TYPES,
  type ComputeResource,
  type LoadedComputeEnvironment,
} from '../model/compute-environment';
import { isUnresolved } from '../model/unresolved';
import { computeEnvironmentRef, environmentRule, type EnvironmentCheck } from './compute-environment-common';
import { INSTANCE_TYPE_RULES } from './compute-environment-instances';
import { LIMIT_RULES } from './compute-environment-limits';
import { finding, type Finding } from './finding';
import { RESOURCE_NAME_ALLOWED, RESOURCE_NAME_PATTERN } from './names';
import type { Rule, RuleContext } from './rule';
import { sameStack } from './stack-pairing';

export { computeEnvironmentRef, environmentRule, type EnvironmentCheck } from './compute-environment-common';

/** The compute resources of a managed environment whose type is known, with that type. */
function managedResources(
  ce: LoadedComputeEnvironment,
): (ComputeResource & { readonly kind: 'EC2' | 'FARGATE' }) | undefined {
  const cr = ce.computeResources;
  if (ce.type !== 'MANAGED' || !cr || isUnresolved(cr.type) || !CR_TYPES.includes(cr.type)) return undefined;
  return { ...cr, kind: cr.type === 'FARGATE' || cr.type === 'FARGATE_SPOT' ? 'FARGATE' : 'EC2' };
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && v !== '';
}

/** Fields Fargate environments must not set. */
const FARGATE_FORBIDDEN: readonly (keyof ComputeResource)[] = [
  'instanceTypes',
  'minvCpus',
  'desiredvCpus',
  'allocationStrategy',
  'instanceRole',
  'imageId',
  'ec2KeyPair',
  'launchTemplate',
  'placementGroup',
  'bidPercentage',
  'spotIamFleetRole',
  'ec2Configuration',
];

const nameRule = environmentRule(
  'BATCH-CE-001',
  'error',
  'computeEnvironmentName is 1-128 letters, digits, hyphens and underscores.',
  ({ ce, report, known }) =>
    known('computeEnvironmentName', ce.computeEnvironmentName, (name) =>
      typeof name === 'string' && RESOURCE_NAME_PATTERN.test(name)
        ? []
        : [
            report({
              field: 'computeEnvironmentName',
              problem: 'the name is not valid.',
              value: name,
              allowed: RESOURCE_NAME_ALLOWED,
              fix: 'rename the compute environment, e.g. "my-ce_1".',
            }),
          ],
    ),
);

const typeRule = environmentRule('BATCH-CE-002', 'error', 'type is MANAGED or UNMANAGED.', ({ ce, report, known }) =>
  known('type', ce.type, (t) =>
    CE_TYPES.includes(t)
      ? []
      : [
          report({
            field: 'type',
            problem: 'the compute environment type is not valid.',
            value: t,
            allowed: CE_TYPES.join(', '),
            fix: 'use MANAGED (Batch scales instances) or UNMANAGED (you launch them).',
          }),
        ],
  ),
);

const stateRule = environmentRule(
  'BATCH-CE-003',
  'error',
  'state, when set, is ENABLED or DISABLED.',
  ({ ce, report, known }) =>
    ce.state === undefined
      ? []
      : known('state', ce.state, (s) =>
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
);

const resourcesPresenceRule = environmentRule(
  'BATCH-CE-004',
  'error',
  'MANAGED environments have computeResources; UNMANAGED environments have none.',
  ({ ce, report }) => {
    if (ce.type === 'MANAGED' && !ce.computeResources) {
      return [
        report({
          field: 'computeResources',
          problem: 'a MANAGED compute environment needs computeResources.',
          fix: 'add computeResources (type, maxvCpus, subnets, ...), or make the environment UNMANAGED.',
        }),
      ];
    }
    if (ce.type === 'UNMANAGED' && ce.computeResources) {
      return [
        report({
          field: 'computeResources',
          problem: 'an UNMANAGED compute environment cannot have computeResources (you launch its instances yourself).',
          fix: 'remove computeResources, or make the environment MANAGED.',
        }),
      ];
    }
    return [];
  },
);

const resourceTypeRule = environmentRule(
  'BATCH-CE-005',
  'error',
  'computeResources.type is EC2, SPOT, FARGATE or FARGATE_SPOT.',
  ({ ce, report, known }) =>
    !ce.computeResources
      ? []
      : known('computeResources.type', ce.computeResources.type, (t) =>
          CR_TYPES.includes(t)
            ? []
            : [
                report({
                  field: 'computeResources.type',
                  problem: 'the compute resource type is not valid.',
                  value: t,
                  allowed: CR_TYPES.join(', '),
                  fix: 'use EC2 (On-Demand), SPOT, FARGATE or FARGATE_SPOT.',
                }),
              ],
        ),
);

const requiredFieldsRule = environmentRule(
  'BATCH-CE-006',
  'error',
  'EC2/SPOT resources set maxvCpus, instanceTypes, subnets and ' +
    'instanceRole; FARGATE/FARGATE_SPOT set maxvCpus, subnets and securityGroupIds.',
  ({ ce, report }) => {
    const cr = managedResources(ce);
    if (!cr) return [];
    const required: (keyof ComputeResource)[] =
      cr.kind === 'EC2'
        ? ['maxvCpus', 'instanceTypes', 'subnets', 'instanceRole']
        : ['maxvCpus', 'subnets', 'securityGroupIds'];
    return required
      .filter((f) => !present(cr[f]))
      .map((f) =>
        report({
          field: `computeResources.${f}`,
          problem: `${cr.type} compute resources need ${f}${Array.isArray(cr[f]) ? ' (at least one entry)' : ''}.`,
          value: cr[f],
          fix:
            f === 'instanceTypes'
              ? 'list instance types, families or "optimal", e.g. ["m6i", "c6i"].'
              : f === 'instanceRole'
                ? 'set the instance profile (name or ARN), e.g. "ecsInstanceRole".'
                : `set ${f}.`,
        }),
      );
  },
);

const fargateForbiddenRule = environmentRule(
  'BATCH-CE-007',
  'error',
  'FARGATE/FARGATE_SPOT resources leave out the EC2-only fields ' +
    '(instanceTypes, minvCpus, desiredvCpus, allocationStrategy, ' +
    'instanceRole, imageId, ec2KeyPair, launchTemplate, placementGroup, ' +
    'bidPercentage, spotIamFleetRole, ec2Configuration).',
  ({ ce, report }) => {
    const cr = managedResources(ce);
    if (!cr || cr.kind !== 'FARGATE') return [];
    return FARGATE_FORBIDDEN.filter((f) => cr[f] !== undefined).map((f) =>
      report({
        field: `computeResources.${f}`,
        problem: `${cr.type} compute resources cannot set ${f}; Fargate chooses and manages the capacity.`,
        value: cr[f],
        allowed: 'for Fargate: maxvCpus, subnets, securityGroupIds, tags',
        fix: `remove ${f}, or use an EC2/SPOT compute environment.`,
      }),
    );
  },
);

function vcpuBound(report: EnvironmentCheck['report'], field: string, v: number): Finding[] {
  return Number.isInteger(v) && v >= 0
    ? []
    : [
        report({
          field,
          problem: 'the vCPU count must be a whole number of at least 0.',
          value: v,
          allowed: 'integers >= 0',
          fix: 'use a whole number.',
        }),
      ];
}

const vcpuRule = environmentRule(
  'BATCH-CE-008',
  'error',
  'vCPU counts are integers and 0 <= minvCpus <= desiredvCpus <= maxvCpus.',
  ({ ce, report, known }) => {
    const cr = ce.computeResources;
    if (!cr) return [];
    const out: Finding[] = [];
    const values: Array<[string, number | undefined]> = [
      ['minvCpus', cr.minvCpus],
      ['desiredvCpus', cr.desiredvCpus],
      ['maxvCpus', cr.maxvCpus],
    ];
    for (const [f, v] of values)
      if (v !== undefined)
        out.push(...known(`computeResources.${f}`, v, (n) => vcpuBound(report, `computeResources.${f}`, n)));
    const set = values.filter(([, v]) => v !== undefined && !isUnresolved(v) && Number.isInteger(v)) as Array<
      [string, number]
    >;
    for (let i = 0; i + 1 < set.length; i++) {
      const [lf, lv] = set[i];
      const [hf, hv] = set[i + 1];
      if (lv > hv) {
        out.push(
          report({
            field: `computeResources.${lf}`,
            problem: `${lf} (${lv}) is larger than ${hf} (${hv}).`,
            allowed: '0 <= minvCpus <= desiredvCpus <= maxvCpus',
            fix: `lower ${lf} or raise ${hf}.`,
          }),
        );
      }
    }
    return out;
  },
);

const allocationRule = environmentRule(
  'BATCH-CE-009',
  'error',
  'allocationStrategy is BEST_FIT, BEST_FIT_PROGRESSIVE, ' +
    'SPOT_CAPACITY_OPTIMIZED or SPOT_PRICE_CAPACITY_OPTIMIZED; SPOT_* strategies only with SPOT.',
  ({ ce, report, known }) => {
    const cr = managedResources(ce);
    if (!cr || cr.allocationStrategy === undefined || cr.kind === 'FARGATE') return [];
    return known('computeResources.allocationStrategy', cr.allocationStrategy, (s) => {
      if (!CR_ALLOCATION_STRATEGIES.includes(s)) {
        return [
          report({
            field: 'computeResources.allocationStrategy',
            problem: 'the allocation strategy is not valid.',
            value: s,
            allowed: CR_ALLOCATION_STRATEGIES.join(', '),
            fix: 'use one of the allowed strategies, or leave it out (BEST_FIT).',
          }),
        ];
      }
      if (s.startsWith('SPOT_') && cr.type !== 'SPOT') {
        return [
          report({
            field: 'computeResources.allocationStrategy',
            problem: `${s} is only for SPOT compute resources, but the type is ${cr.type}.`,
            value: s,
            allowed: 'with EC2: BEST_FIT, BEST_FIT_PROGRESSIVE',
            fix: 'use BEST_FIT_PROGRESSIVE, or set computeResources.type to SPOT.',
          }),
        ];
      }
      return [];
    });
  },
);

const spotFleetRoleRule = environmentRule(
  'BATCH-CE-010',
  'error',
  'SPOT resources with BEST_FIT (or no allocationStrategy) set spotIamFleetRole.',
  ({ ce, report }) => {
    const cr = managedResources(ce);
    if (!cr || cr.type !== 'SPOT' || present(cr.spotIamFleetRole)) return [];
    const s = cr.allocationStrategy;
    if (s !== undefined && s !== 'BEST_FIT') return [];
    return [
      report({
        field: 'computeResources.spotIamFleetRole',
        problem: `SPOT compute resources with ${s ?? 'no allocationStrategy (BEST_FIT)'} need a Spot Fleet role.`,
        fix:
          'set spotIamFleetRole to a role with AmazonEC2SpotFleetTaggingRole, or ' +
          'use SPOT_PRICE_CAPACITY_OPTIMIZED (no Spot Fleet role needed).',
      }),
    ];
  },
);

const bidRule = environmentRule(
  'BATCH-CE-011',
  'error',
  'bidPercentage is an integer 0-100, and only with SPOT.',
  ({ ce, report, known }) => {
    const cr = ce.computeResources;
    if (!cr || cr.bidPercentage === undefined) return [];
    return known('computeResources.bidPercentage', cr.bidPercentage, (b) => {
      const out: Finding[] = [];
      if (!Number.isInteger(b) || b < 0 || b > 100) {
        out.push(
          report({
            field: 'computeResources.bidPercentage',
            problem: 'the maximum Spot price percentage is out of range.',
            value: b,
            allowed: 'integers 0-100 (percent of the On-Demand price)',
            fix: 'use a whole percentage, or leave it out (up to 100% of On-Demand).',
          }),
        );
      }
      if (!isUnresolved(cr.type) && cr.type !== 'SPOT') {
        out.push(
          report({
            field: 'computeResources.bidPercentage',
            problem: `bidPercentage applies only to SPOT compute resources, but the type is ${cr.type}.`,
            value: b,
            fix: 'remove bidPercentage, or set computeResources.type to SPOT.',
          }),
        );
      }
      return out;
    });
  },
);

/** Compute environments per Region (a Batch service quota). */
export const MAX_COMPUTE_ENVIRONMENTS = 50;

const countRule: Rule = {
  code: 'BATCH-CE-015',
  severity: 'warning',
  description: `At most ${MAX_COMPUTE_ENVIRONMENTS} compute environments (the per-Region account quota).`,
  check(model: BatchModel, ctx: RuleContext): Finding[] {
    const n = model.computeEnvironments.length;
    if (n <= MAX_COMPUTE_ENVIRONMENTS) return [];
    const last = model.computeEnvironments[MAX_COMPUTE_ENVIRONMENTS];
    return [
      finding({
        code: ctx.code,
        severity: ctx.severity,
        resource: computeEnvironmentRef(last),
        problem:
          `the application declares ${n} compute environments; an account can ` +
          `have ${MAX_COMPUTE_ENVIRONMENTS} per Region, so deploying all of them will fail.`,
        value: n,
        allowed: `<= ${MAX_COMPUTE_ENVIRONMENTS} per Region (including ones that already exist)`,
        fix: 'share compute environments between queues, or deploy to several Regions.',
      }),
    ];
  },
};

/**
 * The path of a role of the template named `name` (`/` when it has none), preferring one of the
 * environment's own stack; undefined when the template declares no such role.
 */
function declaredRolePath(model: BatchModel, ce: LoadedComputeEnvironment, name: string): string | undefined {
  const named = model.roles.filter((r) => r.roleName === name);
  const role = named.find((r) => sameStack(r.source, ce.source)) ?? named[0];
  if (!role) return undefined;
  const resource = role.arn.slice(role.arn.indexOf(':role/') + ':role'.length);
  return resource.slice(0, resource.length - name.length);
}

const serviceRoleRule = environmentRule(
  'BATCH-CE-016',
  'warning',
  'serviceRole, when set, is a full role ARN unless it names a role ' +
    'without a path (a bare name is read without a path).',
  ({ ce, model, report, known }) =>
    ce.serviceRole === undefined
      ? []
      : known('serviceRole', ce.serviceRole, (r) => {
          if (r.startsWith('arn:')) return [];
          // `!Ref Role` of a role in the template gives its name: fine when the role has no path.
          const path = declaredRolePath(model, ce, r);
          if (path === '/') return [];
          return [
            report({
              field: 'serviceRole',
              problem:
                path === undefined
                  ? 'the service role is not an ARN; Batch assumes the role has no path, so ' +
                    'a role under "service-role/" is not found.'
                  : `the service role is given by name, but the role has the path "` +
                    `${path}"; Batch assumes a role named without an ARN has no path, so it is not found.`,
              value: r,
              allowed: 'arn:<partition>:iam::<account>:role/<path><name>, or the name of a role whose path is "/"',
              fix:
                path === undefined
                  ? 'give the full role ARN, or leave serviceRole out to use the ' +
                    'AWSServiceRoleForBatch service-linked role.'
                  : "give the role's ARN (`Fn::GetAtt <Role>.Arn` instead of `Ref`), or " +
                    'leave serviceRole out to use the AWSServiceRoleForBatch service-linked role.',
            }),
          ];
        }),
);

/** Compute environment rules. */
export const COMPUTE_ENVIRONMENT_RULES: readonly Rule[] = [
  nameRule,
  typeRule,
  stateRule,
  resourcesPresenceRule,
  resourceTypeRule,
  requiredFieldsRule,
  fargateForbiddenRule,
  vcpuRule,
  allocationRule,
  spotFleetRoleRule,
  bidRule,
  countRule,
  serviceRoleRule,
  ...INSTANCE_TYPE_RULES,
  ...LIMIT_RULES,
];
