import { Size } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { JobContainer, JobImage, MultiNodeJobDefinition } from '../../../lib/constructs/job';
import { newStack } from './_fixtures';

const image = JobImage.fromRegistry('mpi:latest');
const node = (cpu = 4) => JobContainer.ec2({ image, cpu, memory: Size.gibibytes(8), command: ['mpirun'] });

describe('MultiNodeJobDefinition', () => {
  test('node ranges render targetNodes, numNodes, mainNode, the instance type and EC2 capability', () => {
    const stack = newStack();
    const jd = new MultiNodeJobDefinition(stack, 'Mnp', {
      containers: [
        { startNode: 0, endNode: 0, container: node(2) },
        { startNode: 1, container: node(8) },
      ],
      numNodes: 4,
      mainNode: 0,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.C5, ec2.InstanceSize.XLARGE4),
    });
    expect(jd.numNodes).toBe(4);
    Template.fromStack(stack).hasResourceProperties('AWS::Batch::JobDefinition', {
      Type: 'multinode',
      PlatformCapabilities: ['EC2'],
      NodeProperties: {
        NumNodes: 4,
        MainNode: 0,
        NodeRangeProperties: [
          {
            TargetNodes: '0',
            Container: Match.objectLike({
              InstanceType: 'c5.4xlarge',
              ResourceRequirements: [
                { Type: 'VCPU', Value: '2' },
                { Type: 'MEMORY', Value: '8192' },
              ],
            }),
          },
          { TargetNodes: '1:3', Container: Match.objectLike({ InstanceType: 'c5.4xlarge', Command: ['mpirun'] }) },
        ],
      },
      ContainerProperties: Match.absent(),
    });
  });

  test('numNodes defaults to one more than the highest node given', () => {
    const jd = new MultiNodeJobDefinition(newStack(), 'Mnp', {
      containers: [
        { startNode: 0, endNode: 1, container: node() },
        { startNode: 2, endNode: 5, container: node() },
      ],
    });
    expect(jd.numNodes).toBe(6);
    expect(jd.model.nodeProperties?.nodeRangeProperties.map((r) => r.targetNodes)).toEqual(['0:1', '2:5']);
  });

  test('per-range instance types render', () => {
    const stack = newStack();
    new MultiNodeJobDefinition(stack, 'Mnp', {
      containers: [{ startNode: 0, endNode: 1, container: node(), instanceTypes: [new ec2.InstanceType('c5.large')] }],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Batch::JobDefinition', {
      NodeProperties: { NodeRangeProperties: [Match.objectLike({ InstanceTypes: ['c5.large'] })] },
    });
  });

  test('an empty container list is rejected', () => {
    expect(() => new MultiNodeJobDefinition(newStack(), 'Mnp', { containers: [] })).toThrow(
      /^TestStack\/Mnp: 2 errors:\n {2}\[BATCH-JD-015\] .*numNodes.*Got: 0\.[^]*\n {2}\[BATCH-JD-016\] .*0 node ranges/,
    );
  });

  test('a Fargate container is rejected: multi-node jobs run on EC2 only', () => {
    const fargate = JobContainer.fargate({ image, cpu: 1, memory: Size.gibibytes(2) });
    expect(
      () =>
        new MultiNodeJobDefinition(newStack(), 'Mnp', {
          containers: [{ startNode: 0, endNode: 1, container: fargate }],
        }),
    ).toThrow(
      new RegExp(
        String.raw`^TestStack\/Mnp: \[BATCH-JD-027\] JobDefinition "Mnp" platfo` +
          String.raw`rmCapabilities: multi-node parallel jobs are not supported o` +
          String.raw`n Fargate`,
      ),
    );
  });

  test('a main node outside the nodes is rejected', () => {
    expect(
      () =>
        new MultiNodeJobDefinition(newStack(), 'Mnp', {
          containers: [{ startNode: 0, endNode: 1, container: node() }],
          mainNode: 2,
        }),
    ).toThrow(
      new RegExp(
        String.raw`^TestStack\/Mnp: \[BATCH-JD-015\] JobDefinition "Mnp" nodePr` +
          String.raw`operties\.mainNode: .*Got: 2\. Allowed: an integer from 0 to` +
          String.raw` 1`,
      ),
    );
  });

  test('Ref:: placeholders are checked in every node range, with the range in the message', () => {
    const bad = JobContainer.ec2({ image, cpu: 1, memory: Size.gibibytes(1), command: ['run', 'Ref::hosts'] });
    expect(
      () =>
        new MultiNodeJobDefinition(newStack(), 'Mnp', { containers: [{ startNode: 0, endNode: 1, container: bad }] }),
    ).toThrow(/\[BATCHKIT-CDK-006\] nodeProperties\.nodeRangeProperties\[0\]\.container\.command uses Ref::hosts/);
  });

  test('the core multi-node rules run at synth: ranges that leave a node uncovered fail with a BATCH-JD code', () => {
    expect(
      () =>
        new MultiNodeJobDefinition(newStack(), 'Mnp', {
          containers: [{ startNode: 0, endNode: 1, container: node() }],
          numNodes: 4,
        }),
    ).toThrow(/\[BATCH-JD-\d{3}\] JobDefinition "Mnp" nodeProperties/);
  });
});
