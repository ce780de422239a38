import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadBatchModel } from '../../../lib/core/assembly';
import { emptyBatchModel } from '../../../lib/core/model/batch-model';
import type { ComputeEnvironment, ComputeResource } from '../../../lib/core/model/compute-environment';
import { unresolvedString } from '../../../lib/core/model/unresolved';
import { validateModel } from '../../../lib/core/rules';
import { namespaceProblem } from '../../../lib/core/rules/compute-environment-eks';

const ARN = 'arn:aws:eks:us-east-1:123456789012:cluster/batch';

const EC2: ComputeResource = {
  type: 'EC2',
  allocationStrategy: 'BEST_FIT_PROGRESSIVE',
  minvCpus: 0,
  maxvCpus: 16,
  instanceTypes: ['m5'],
  subnets: ['subnet-0123456789abcdef0'],
  securityGroupIds: ['sg-0123456789abcdef0'],
  instanceRole: 'arn:aws:iam::123456789012:instance-profile/eks-nodes',
};

function eksCe(over: Partial<ComputeEnvironment> = {}, resources: Partial<ComputeResource> = {}): ComputeEnvironment {
  return {
    computeEnvironmentName: 'eks-ce',
    type: 'MANAGED',
    state: 'ENABLED',
    containerOrchestrationType: 'EKS',
    eksConfiguration: { eksClusterArn: ARN, kubernetesNamespace: 'batch-jobs' },
    computeResources: { ...EC2, ...resources },
    ...over,
  };
}

/** Findings of the EKS rules only. */
function eksFindings(ce: ComputeEnvironment) {
  return validateModel({ ...emptyBatchModel(), computeEnvironments: [ce] }).filter((f) =>
    f.code.startsWith('BATCH-EKS'),
  );
}

describe('BATCH-EKS-001 namespace', () => {
  test.each(['batch-jobs', 'a', 'my-aws-batch-namespace', '0ns9', 'x'.repeat(63)])('%j is accepted', (ns) => {
    expect(namespaceProblem(ns)).toBeUndefined();
    expect(eksFindings(eksCe({ eksConfiguration: { eksClusterArn: ARN, kubernetesNamespace: ns } }))).toEqual([]);
  });

  test.each(['', 'default', 'kube-public', 'Batch', 'batch_jobs', '-batch', 'batch-', 'x'.repeat(64)])(
    '%j is an error naming the field',
    (ns) => {
      const found = eksFindings(eksCe({ eksConfiguration: { eksClusterArn: ARN, kubernetesNamespace: ns } }));
      expect(found).toEqual([
        expect.objectContaining({
          code: 'BATCH-EKS-001',
          severity: 'error',
          field: 'eksConfiguration.kubernetesNamespace',
          value: ns,
        }),
      ]);
      expect(found[0].message).toMatch(/Allowed: 1-63 characters.*not "default", not starting with "kube-"/);
    },
  );

  test('a namespace known only at deployment is skipped with an info finding', () => {
    const ce = eksCe({
      eksConfiguration: { eksClusterArn: ARN, kubernetesNamespace: unresolvedString('parameter Ns') },
    });
    const all = validateModel({ ...emptyBatchModel(), computeEnvironments: [ce] });
    expect(all.filter((f) => f.code.startsWith('BATCH-EKS'))).toEqual([]);
    expect(all).toContainEqual(
      expect.objectContaining({ code: 'BATCH-UNRESOLVED', field: 'eksConfiguration.kubernetesNamespace' }),
    );
  });
});

describe('BATCH-EKS-002..004', () => {
  test('a cluster ARN of another service is an error', () => {
    const ce = eksCe({
      eksConfiguration: { eksClusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/batch', kubernetesNamespace: 'b' },
    });
    expect(eksFindings(ce)).toEqual([
      expect.objectContaining({ code: 'BATCH-EKS-002', field: 'eksConfiguration.eksClusterArn' }),
    ]);
  });

  test('Fargate in an EKS environment, and EKS orchestration without eksConfiguration, are errors', () => {
    expect(eksFindings(eksCe({}, { type: 'FARGATE' }))).toContainEqual(
      expect.objectContaining({
        code: 'BATCH-EKS-003',
        field: 'computeResources.type',
        value: 'FARGATE',
        allowed: 'EC2, SPOT',
      }),
    );
    expect(eksFindings(eksCe({ eksConfiguration: undefined }))).toEqual([
      expect.objectContaining({ code: 'BATCH-EKS-003', field: 'eksConfiguration' }),
    ]);
  });

  test('image types follow the orchestration; imageKubernetesVersion only with EKS', () => {
    expect(
      eksFindings(
        eksCe(
          {},
          {
            ec2Configuration: [
              { imageType: 'EKS_AL2023' },
              { imageType: 'EKS_AL2023_NVIDIA', imageKubernetesVersion: '1.30' },
            ],
          },
        ),
      ),
    ).toEqual([]);
    expect(eksFindings(eksCe({}, { ec2Configuration: [{ imageType: 'ECS_AL2023' }] }))).toEqual([
      expect.objectContaining({
        code: 'BATCH-EKS-004',
        field: 'computeResources.ec2Configuration[0].imageType',
        value: 'ECS_AL2023',
      }),
    ]);
    const ecs = eksCe(
      { containerOrchestrationType: 'ECS', eksConfiguration: undefined },
      { ec2Configuration: [{ imageType: 'EKS_AL2', imageKubernetesVersion: '1.29' }] },
    );
    expect(eksFindings(ecs).map((f) => f.field)).toEqual([
      'computeResources.ec2Configuration[0].imageType',
      'computeResources.ec2Configuration[0].imageKubernetesVersion',
    ]);
  });
});

describe('the loader reads EksConfiguration', () => {
  test('a template compute environment with EksConfiguration is EKS in the model, and its namespace is checked', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'batchkit-eks-loader-'));
    try {
      const file = path.join(dir, 'eks.json');
      writeFileSync(
        file,
        JSON.stringify({
          Resources: {
            Ce: {
              Type: 'AWS::Batch::ComputeEnvironment',
              Properties: {
                Type: 'MANAGED',
                EksConfiguration: { EksClusterArn: ARN, KubernetesNamespace: 'default' },
                ComputeResources: {
                  Type: 'EC2',
                  MaxvCpus: 16,
                  Subnets: ['subnet-1'],
                  InstanceTypes: ['m5'],
                  InstanceRole: 'eks-nodes',
                },
              },
            },
          },
        }),
      );
      const model = loadBatchModel(file);
      expect(model.computeEnvironments[0]).toMatchObject({
        containerOrchestrationType: 'EKS',
        eksConfiguration: { eksClusterArn: ARN, kubernetesNamespace: 'default' },
      });
      expect(validateModel(model).filter((f) => f.code === 'BATCH-EKS-001')).toEqual([
        expect.objectContaining({
          resource: expect.objectContaining({ source: expect.objectContaining({ logicalId: 'Ce' }) }),
        }),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
