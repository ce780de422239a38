import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { CfnComputeEnvironment, CfnJobDefinition, CfnJobQueue } from 'aws-cdk-lib/aws-batch';
import { loadBatchModel } from '../../../lib/core/assembly/load';
import { emptyBatchModel, type BatchModel } from '../../../lib/core/model/batch-model';
import type { LoadedJobQueue } from '../../../lib/core/model/job-queue';
import { unresolvedString } from '../../../lib/core/model/unresolved';
import { validateModel } from '../../../lib/core/rules';
import { queuePairing, rootStackOf, sameStack } from '../../../lib/core/rules/stack-pairing';

function queue(name: string, stack?: string, logicalId = name): LoadedJobQueue {
  return {
    jobQueueName: name,
    jobQueueArn: `arn:aws:batch:us-east-1:123456789012:job-queue/${name}`,
    priority: 1,
    computeEnvironmentOrder: [],
    ...(stack ? { source: { stack, logicalId } } : {}),
  };
}

function withQueues(...queues: LoadedJobQueue[]): BatchModel {
  const m = emptyBatchModel();
  m.jobQueues.push(...queues);
  return m;
}

const names = (qs: readonly LoadedJobQueue[]): string[] => qs.map((q) => q.jobQueueName);

describe('stack pairing', () => {
  test('rootStackOf: the top-level stack, nested stacks included; undefined without a stack', () => {
    expect(rootStackOf({ stack: 'App' })).toBe('App');
    expect(rootStackOf({ stack: 'App/Nested/Deeper' })).toBe('App');
    expect(rootStackOf({ logicalId: 'X' })).toBeUndefined();
    expect(rootStackOf(undefined)).toBeUndefined();
    expect(sameStack({ stack: 'A' }, { stack: 'A/N' })).toBe(true);
    expect(sameStack({ stack: 'A' }, { stack: 'B' })).toBe(false);
    expect(sameStack(undefined, { stack: 'B' })).toBe(true);
  });

  test('a job definition meets the queues of its stack and the queues without a stack', () => {
    const m = withQueues(queue('a1', 'A'), queue('b1', 'B'), queue('loose'), queue('a2', 'A/Nested'));
    const pairing = queuePairing(m);
    expect(names(pairing.queuesFor({ stack: 'A' }))).toEqual(['a1', 'loose', 'a2']);
    expect(names(pairing.queuesFor({ stack: 'B' }))).toEqual(['b1', 'loose']);
    expect(names(pairing.queuesFor(undefined))).toEqual(['a1', 'b1', 'loose', 'a2']);
  });

  test("a queue of another stack is paired when the stack's template holds its ARN or its exact name", () => {
    const m = withQueues(queue('b1', 'B'), queue('b2', 'B'), queue('b3', 'B'));
    m.computeEnvironments.push({
      computeEnvironmentName: 'a-ce',
      type: 'MANAGED',
      tags: { queue: 'b3' },
      computeResources: { type: 'EC2', maxvCpus: 1, subnets: [], tags: { submitTo: 'b2' } },
      source: { stack: 'A', logicalId: 'Ce' },
    });
    m.jobDefinitions.push({
      jobDefinitionName: 'b3',
      type: 'container',
      parameters: { queue: 'prefix arn:aws:batch:us-east-1:123456789012:job-queue/b1 suffix' },
      source: { stack: 'A', logicalId: 'Jd' },
    });
    // b1: ARN in a parameter; b2: exact name in computeResources.tags; b3: only the resources' own name and tags:
    // not a reference.
    expect(names(queuePairing(m).queuesFor({ stack: 'A' }))).toEqual(['b1', 'b2']);
  });

  test('a CDK cross-stack reference: Fn::ImportValue of the Ref or JobQueueArn export of the queue', () => {
    const m = withQueues(queue('b1', 'B', 'QueueB1ABCD1234'), queue('b2', 'B', 'Queue'), queue('b3', 'B', 'QueueX'));
    m.jobDefinitions.push({
      jobDefinitionName: 'jd',
      type: 'container',
      parameters: {
        one: unresolvedString('Fn::ImportValue B:ExportsOutputRefQueueB1ABCD12341A2B3C4D'),
        two: unresolvedString('Fn::ImportValue B:ExportsOutputFnGetAttQueueJobQueueArn852F6A05'),
        other: unresolvedString('Fn::ImportValue C:ExportsOutputRefQueueX11111111'),
      },
      source: { stack: 'A', logicalId: 'Jd' },
    });
    // QueueX's export would be B's, not C's; and "Queue" is not "QueueB1ABCD1234"'s prefix match.
    expect(names(queuePairing(m).queuesFor({ stack: 'A' }))).toEqual(['b1', 'b2']);
  });

  test(
    'end to end: a real CDK cross-stack reference to a queue pairs it, ' + 'without one the other stack is left alone',
    () => {
      const synth = (reference: boolean): BatchModel => {
        const outdir = mkdtempSync(path.join(tmpdir(), 'batchkit-pairing-'));
        try {
          const app = new App({ outdir });
          const cr = {
            type: 'EC2',
            maxvCpus: 16,
            subnets: ['subnet-0123456789abcdef0'],
            securityGroupIds: ['sg-0123456789abcdef0'],
            instanceRole: 'arn:aws:iam::123456789012:instance-profile/ecsInstanceRole',
          };
          const b = new Stack(app, 'B');
          const cpuCe = new CfnComputeEnvironment(b, 'Ce', {
            type: 'MANAGED',
            computeResources: { ...cr, instanceTypes: ['m5'] },
          });
          const cpuQueue = new CfnJobQueue(b, 'CpuQueue', {
            priority: 1,
            computeEnvironmentOrder: [{ order: 1, computeEnvironment: cpuCe.ref }],
          });
          const a = new Stack(app, 'A');
          const gpuCe = new CfnComputeEnvironment(a, 'GpuCe', {
            type: 'MANAGED',
            // Instance types from a parameter: BATCH-X-004 cannot see GPUs, so it names every queue the job is
            // paired with.
            computeResources: {
              ...cr,
              instanceTypes: new CfnParameter(a, 'GpuTypes', { type: 'CommaDelimitedList' }).valueAsList,
              ec2Configuration: [{ imageType: 'ECS_AL2_NVIDIA' }],
            },
          });
          new CfnJobQueue(a, 'GpuQueue', {
            priority: 1,
            computeEnvironmentOrder: [{ order: 1, computeEnvironment: gpuCe.ref }],
          });
          new CfnJobDefinition(a, 'Train', {
            type: 'container',
            containerProperties: {
              image: 'busybox',
              resourceRequirements: [
                { type: 'VCPU', value: '4' },
                { type: 'MEMORY', value: '8192' },
                { type: 'GPU', value: '1' },
              ],
              environment: reference ? [{ name: 'FALLBACK_QUEUE', value: cpuQueue.attrJobQueueArn }] : [],
            },
          });
          app.synth();
          return loadBatchModel(outdir);
        } finally {
          rmSync(outdir, { recursive: true, force: true });
        }
      };
      const x004 = (m: BatchModel) =>
        validateModel(m)
          .filter((f) => f.code === 'BATCH-X-004')
          .map((f) => f.message);
      const alone = x004(synth(false));
      expect(alone).toHaveLength(1);
      expect(alone[0]).toMatch(/refers to: "GpuQueue-[0-9a-f]{12}"\)/);
      const referenced = x004(synth(true));
      expect(referenced).toHaveLength(1);
      expect(referenced[0]).toMatch(/refers to: "CpuQueue-[0-9a-f]{12}", "GpuQueue-[0-9a-f]{12}"\)/);
    },
  );
});
