import { Size } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { ComputeEnvironment } from '../../../lib/core/model/compute-environment';
import { finding } from '../../../lib/core/rules/finding';
import type { Rule } from '../../../lib/core/rules/rule';
import { ContainerJobDefinition, JobContainer, JobImage } from '../../../lib/constructs/job';
import { StackBatchModel } from '../../../lib/constructs/private/job-stack-model';
import { FairshareSchedulingPolicy, JobQueue } from '../../../lib/constructs/queue';
import { FakeComputeEnvironment, newStack } from './_fixtures';

const ceModel: ComputeEnvironment = {
  computeEnvironmentName: 'ignored',
  type: 'MANAGED',
  computeResources: { type: 'EC2', maxvCpus: 16, subnets: ['subnet-1'], instanceTypes: ['c5.large'] },
};

function app() {
  const stack = newStack();
  const ce = new FakeComputeEnvironment(stack, 'Ce', { model: ceModel });
  const imported = new FakeComputeEnvironment(stack, 'Imported');
  const queue = new JobQueue(stack, 'Queue', {
    computeEnvironments: [
      { computeEnvironment: ce, order: 1 },
      { computeEnvironment: imported, order: 2 },
    ],
  });
  const jd = new ContainerJobDefinition(stack, 'Job', {
    container: JobContainer.ec2({ image: JobImage.fromRegistry('busybox'), cpu: 64, memory: Size.gibibytes(1) }),
  });
  new FairshareSchedulingPolicy(stack, 'Policy');
  return { stack, queue, jd };
}

/** A stand-in cross-resource rule: flags every job definition whose vCPUs exceed every environment's maxvCpus. */
const tooBig = (severity: 'error' | 'warning'): Rule => ({
  code: 'TEST-X-001',
  severity,
  description: 'job larger than every environment',
  check: (model) =>
    model.jobDefinitions.flatMap((jd) => {
      const vcpus = Number(jd.containerProperties?.resourceRequirements?.find((r) => r.type === 'VCPU')?.value);
      const max = Math.max(...model.computeEnvironments.map((c) => c.computeResources?.maxvCpus ?? 0));
      return vcpus > max
        ? [
            finding({
              code: 'TEST-X-001',
              severity,
              resource: { kind: 'JobDefinition', name: jd.jobDefinitionName, source: jd.source },
              problem: `needs ${vcpus} vCPUs; the largest environment has ${max}.`,
            }),
          ]
        : [];
    }),
});

describe('StackBatchModel', () => {
  test('build() holds the stack job definitions, queues, policies and the queue environments under stable keys', () => {
    const { stack } = app();
    const model = StackBatchModel.of(stack).build();
    expect(model.jobDefinitions.map((j) => [j.jobDefinitionName, j.source?.constructPath])).toEqual([
      ['Job', 'TestStack/Job'],
    ]);
    expect(model.schedulingPolicies.map((p) => p.source?.constructPath)).toEqual(['TestStack/Policy']);
    expect(model.computeEnvironments).toEqual([
      {
        ...ceModel,
        computeEnvironmentName: 'Ce',
        computeEnvironmentArn: 'arn:aws:batch:us-east-1:123456789012:compute-environment/Ce',
        source: { constructPath: 'TestStack/Ce' },
      },
    ]);
    expect(model.jobQueues[0].computeEnvironmentOrder).toEqual([
      { order: 1, computeEnvironment: 'arn:aws:batch:us-east-1:123456789012:compute-environment/Ce' },
      { order: 2, computeEnvironment: 'arn:aws:batch:us-east-1:123456789012:compute-environment/Imported' },
    ]);
    expect(model.jobQueues[0].source?.constructPath).toBe('TestStack/Queue');
  });

  test('an error from a cross-resource rule fails synth with its code and the job definition path', () => {
    const { stack } = app();
    StackBatchModel.of(stack).rules = [tooBig('error')];
    expect(() => Template.fromStack(stack)).toThrow(
      new RegExp(
        String.raw`\[TEST-X-001\] JobDefinition "Job" \(at TestStack\/Job\): ne` +
          String.raw`eds 64 vCPUs; the largest environment has 16\.`,
      ),
    );
  });

  test('a warning from a cross-resource rule annotates the construct it is about', () => {
    const { stack } = app();
    StackBatchModel.of(stack).rules = [tooBig('warning')];
    const warnings = Annotations.fromStack(stack).findWarning('/TestStack/Job', Match.stringLikeRegexp('TEST-X-001'));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0].entry.data)).toMatch(
      new RegExp(String.raw`^\[TEST-X-001\] JobDefinition "Job" \(at TestStack\/Job\): n` + String.raw`eeds 64 vCPUs`),
    );
  });

  test('one registry per stack', () => {
    const { stack, jd } = app();
    expect(StackBatchModel.of(jd)).toBe(StackBatchModel.of(stack));
    expect(StackBatchModel.of(newStack('Other'))).not.toBe(StackBatchModel.of(stack));
  });
});
