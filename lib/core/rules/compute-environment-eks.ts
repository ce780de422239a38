/**
 * Rules of EKS compute environments (`BATCH-EKS-…`): the cluster ARN and namespace of
 * `eksConfiguration`, and what an EKS environment may contain.
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_EksConfiguration.html
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_Ec2Configuration.html
 */
import { environmentRule } from './compute-environment-common';
import type { Rule } from './rule';

/** A Kubernetes namespace name Batch accepts (a DNS label). */
export const KUBERNETES_NAMESPACE_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** `arn:<partition>:eks:<region>:<account>:cluster/<name>`. */
export const EKS_CLUSTER_ARN_PATTERN =
  /^arn:aws[a-z-]*:eks:[a-z0-9-]+:\d{12}:cluster\/[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
/** `ec2Configuration[].imageType` values of EKS environments. */
export const EKS_IMAGE_TYPES: readonly string[] = ['EKS_AL2', 'EKS_AL2_NVIDIA', 'EKS_AL2023', 'EKS_AL2023_NVIDIA'];

/** Why a namespace is refused, or undefined when Batch accepts it. */
export function namespaceProblem(ns: string): string | undefined {
  if (ns.length === 0 || ns.length > 63) return `it has ${ns.length} characters`;
  if (ns === 'default') return 'Batch does not run pods in the default namespace';
  if (ns.startsWith('kube-')) return 'namespaces starting with kube- are reserved for Kubernetes';
  if (!KUBERNETES_NAMESPACE_PATTERN.test(ns)) return 'it is not a DNS label';
  return undefined;
}

const namespaceRule = environmentRule(
  'BATCH-EKS-001',
  'error',
  'eksConfiguration.kubernetesNamespace has 1-63 lower-case letters, digits and hyphens (a DNS label), ' +
    'is not default and does not start with kube-.',
  ({ ce, report, known }) => {
    const ns = ce.eksConfiguration?.kubernetesNamespace;
    if (ce.eksConfiguration === undefined) return [];
    return known('eksConfiguration.kubernetesNamespace', ns, (v) => {
      const problem = typeof v === 'string' ? namespaceProblem(v) : 'it is missing';
      if (problem === undefined) return [];
      return [
        report({
          field: 'eksConfiguration.kubernetesNamespace',
          problem: `the Kubernetes namespace is not valid: ${problem}.`,
          value: v,
          allowed: '1-63 characters matching ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$, not "default", not starting with "kube-"',
          fix: 'use the namespace you created for Batch in the cluster (kubectl create namespace my-batch-jobs).',
        }),
      ];
    });
  },
);

const clusterArnRule = environmentRule(
  'BATCH-EKS-002',
  'error',
  'eksConfiguration.eksClusterArn is the ARN of an Amazon EKS cluster.',
  ({ ce, report, known }) => {
    if (ce.eksConfiguration === undefined) return [];
    const arn = ce.eksConfiguration.eksClusterArn;
    return known('eksConfiguration.eksClusterArn', arn, (v) =>
      typeof v === 'string' && EKS_CLUSTER_ARN_PATTERN.test(v)
        ? []
        : [
            report({
              field: 'eksConfiguration.eksClusterArn',
              problem: 'is not the ARN of an Amazon EKS cluster.',
              value: v,
              allowed: 'arn:<partition>:eks:<region>:<account>:cluster/<name>',
              fix:
                'pass the cluster ARN (aws eks describe-cluster --name <name> --query cluster.arn, ' +
                'or cluster.clusterArn in CDK).',
            }),
          ],
    );
  },
);

const eksResourcesRule = environmentRule(
  'BATCH-EKS-003',
  'error',
  'An EKS compute environment has eksConfiguration, and a managed one runs EC2 or SPOT resources ' +
    '(Batch on Amazon EKS has no Fargate).',
  ({ ce, report }) => {
    if (ce.containerOrchestrationType === 'EKS' && ce.eksConfiguration === undefined) {
      return [
        report({
          field: 'eksConfiguration',
          problem: 'the environment is an EKS compute environment without eksConfiguration.',
          allowed: 'eksConfiguration { eksClusterArn, kubernetesNamespace }',
          fix: 'set eksConfiguration with the cluster ARN and the namespace Batch runs pods in.',
        }),
      ];
    }
    const type = ce.computeResources?.type;
    if (ce.eksConfiguration === undefined || (type !== 'FARGATE' && type !== 'FARGATE_SPOT')) return [];
    return [
      report({
        field: 'computeResources.type',
        problem: 'AWS Batch on Amazon EKS runs pods on EC2 instances only; an EKS environment cannot use Fargate.',
        value: type,
        allowed: 'EC2, SPOT',
        fix: 'use EC2 or SPOT, or remove eksConfiguration for an ECS Fargate environment.',
      }),
    ];
  },
);

const imageTypeRule = environmentRule(
  'BATCH-EKS-004',
  'error',
  'ec2Configuration image types match the orchestration: EKS_* images in EKS environments, ECS_* images in ' +
    'ECS ones; imageKubernetesVersion only in EKS environments.',
  ({ ce, report, known }) => {
    const eks = ce.eksConfiguration !== undefined;
    return (ce.computeResources?.ec2Configuration ?? []).flatMap((conf, i) => {
      const field = `computeResources.ec2Configuration[${i}]`;
      const out = known(`${field}.imageType`, conf.imageType, (t) => {
        if (typeof t !== 'string' || eks === EKS_IMAGE_TYPES.includes(t)) return [];
        return [
          report({
            field: `${field}.imageType`,
            problem: eks
              ? 'an EKS compute environment needs an Amazon EKS-optimized image type.'
              : 'an EKS image type in an ECS compute environment (no eksConfiguration).',
            value: t,
            allowed: eks
              ? EKS_IMAGE_TYPES.join(', ')
              : 'ECS_AL2023, ECS_AL2023_NVIDIA, ECS_AL2, ECS_AL2_NVIDIA, ECS_AL1',
            fix: eks
              ? 'use EKS_AL2023 (EKS_AL2023_NVIDIA for GPU instances).'
              : 'use an ECS_* image type, or set eksConfiguration.',
          }),
        ];
      });
      if (!eks && conf.imageKubernetesVersion !== undefined) {
        out.push(
          report({
            field: `${field}.imageKubernetesVersion`,
            problem: 'imageKubernetesVersion applies to EKS compute environments only.',
            value: conf.imageKubernetesVersion,
            fix: 'remove imageKubernetesVersion, or set eksConfiguration.',
          }),
        );
      }
      return out;
    });
  },
);

/** EKS compute environment rules. */
export const EKS_COMPUTE_ENVIRONMENT_RULES: readonly Rule[] = [
  namespaceRule,
  clusterArnRule,
  eksResourcesRule,
  imageTypeRule,
];
