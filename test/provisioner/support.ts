/** Shared set-up of the provisioner tests: templates on disk, a local Batch API, mocked IAM/EC2. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { loadBatchModel } from '../../lib/core/assembly';
import { emptyBatchModel, type BatchModel } from '../../lib/core/model/batch-model';
import { startLocalBatchService, type LocalBatchService } from '../../lib/local/api';
import { SystemClock } from '../../lib/local/clock';
import { FakeRuntime } from '../../lib/testing/fake-runtime';
import { createClients } from '../../lib/provisioner/clients/factory';
import type { ProvisionerClients } from '../../lib/provisioner/clients/interfaces';

/** Options of {@link batchTemplate}. */
export interface TemplateOptions {
  /** Instance types of the compute environment. */
  readonly instanceTypes?: string[];
  /** Memory of the job definition (MiB). */
  readonly memory?: string;
  /** maxvCpus of the compute environment. */
  readonly maxvCpus?: number;
}

/** A template with one EC2 compute environment (BEST_FIT), one queue and one job definition. */
export function batchTemplate(o: TemplateOptions = {}): Record<string, unknown> {
  return {
    Resources: {
      Compute: {
        Type: 'AWS::Batch::ComputeEnvironment',
        Properties: {
          Type: 'MANAGED',
          ComputeResources: {
            Type: 'EC2',
            MinvCpus: 0,
            MaxvCpus: o.maxvCpus ?? 16,
            InstanceTypes: o.instanceTypes ?? ['m6i'],
            Subnets: ['subnet-0123456789abcdef0'],
            SecurityGroupIds: ['sg-0123456789abcdef0'],
            InstanceRole: 'arn:aws:iam::123456789012:instance-profile/ecsInstanceRole',
          },
        },
      },
      Queue: {
        Type: 'AWS::Batch::JobQueue',
        Properties: {
          Priority: 1,
          ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: { Ref: 'Compute' } }],
        },
      },
      Hello: {
        Type: 'AWS::Batch::JobDefinition',
        Properties: {
          Type: 'container',
          ContainerProperties: {
            Image: 'local/busybox:test',
            Command: ['echo', 'hello'],
            ResourceRequirements: [
              { Type: 'VCPU', Value: '1' },
              { Type: 'MEMORY', Value: o.memory ?? '512' },
            ],
          },
        },
      },
    },
  };
}

/** Writes `template` as `<dir>/<stack>.template.json` and loads it. */
export function loadTemplate(
  template: Record<string, unknown>,
  stack = 'BatchStack',
  dir = mkdtempSync(path.join(tmpdir(), 'bk-prov-')),
): BatchModel {
  const file = path.join(dir, `${stack}.template.json`);
  writeFileSync(file, JSON.stringify(template));
  return loadBatchModel(file);
}

/** A model with nothing but IAM roles/profiles, for IAM tests. */
export function iamModel(): BatchModel {
  return {
    ...emptyBatchModel(),
    roles: [
      {
        arn: 'arn:aws:iam::123456789012:role/InstanceRole-abc',
        roleName: 'InstanceRole-abc',
        trustedServices: ['ec2.amazonaws.com'],
        managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role'],
        source: { stack: 'S1', logicalId: 'InstanceRole' },
      },
    ],
    instanceProfiles: [
      {
        arn: 'arn:aws:iam::123456789012:instance-profile/InstanceProfile-abc',
        instanceProfileName: 'InstanceProfile-abc',
        roles: ['InstanceRole-abc'],
        source: { stack: 'S1', logicalId: 'InstanceProfile' },
      },
    ],
  };
}

/** A local Batch API over the fake container engine, and clients pointed at it (IAM and EC2 mocked). */
export interface LocalTarget {
  readonly service: LocalBatchService;
  readonly clients: ProvisionerClients;
  readonly iam: ReturnType<typeof mockClient>;
  readonly ec2: ReturnType<typeof mockClient>;
  /** The fake container engine: a test can end a held container itself (`containers[i].finish(...)`). */
  readonly runtime: FakeRuntime;
  close(): Promise<void>;
}

/** How long a container whose command includes `hold` runs: until the test ends it (or the target closes). */
export const HOLD_MS = 3_600_000;

/**
 * Starts the local Batch API with nothing registered; containers run 50 ms, those whose command
 * includes `fail` exit 1, and those whose command includes `hold` run until the test ends them.
 */
export async function startLocalTarget(): Promise<LocalTarget> {
  const runtime = new FakeRuntime(new SystemClock(), (spec) => ({
    durationMs: spec.command?.includes('hold') ? HOLD_MS : 50,
    exitCode: spec.command?.includes('fail') ? 1 : 0,
  }));
  const service = await startLocalBatchService({
    model: emptyBatchModel(),
    runtime,
    storeDir: ':memory:',
    settleMs: 30,
    callbacks: false,
  });
  const iam = mockClient(IAMClient);
  const ec2 = mockClient(EC2Client);
  ec2.onAnyCommand().resolves({});
  const clients = createClients({
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    batchEndpoint: service.server.url,
    retry: { maxAttempts: 2, baseDelayMs: 1 },
  });
  return {
    service,
    clients,
    iam,
    ec2,
    runtime,
    close: async () => {
      iam.restore();
      ec2.restore();
      await service.close();
    },
  };
}

/** Fast waiting for tests. */
export const FAST_WAIT = { pollMs: 10, timeoutMs: 10_000 } as const;
