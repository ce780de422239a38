/**
 * A multi-node parallel job: 4 nodes, node 0 the main node (coordinator) and nodes 1-3 workers,
 * on an On-Demand compute environment of one instance type in a cluster placement group (low
 * latency between nodes). Multi-node parallel jobs do not run on Spot or Fargate.
 *
 * Each node sees AWS_BATCH_JOB_NODE_INDEX, AWS_BATCH_JOB_MAIN_NODE_INDEX, AWS_BATCH_JOB_NUM_NODES
 * and, on workers, AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS.
 */
import { Size, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import {
  BatchkitAwsSolutionsAcknowledgements,
  BatchInstanceType,
  BatchLaunchTemplate,
  BatchVpc,
  JobContainer,
  JobImage,
  JobQueue,
  ManagedEc2ComputeEnvironment,
  MultiNodeJobDefinition,
  JobRole,
} from '../../lib';

/** A 4-node MNP job on a cluster placement group. */
export class MultiNodeStack extends Stack {
  /** The compute environment. */
  public readonly computeEnvironment: ManagedEc2ComputeEnvironment;
  /** The queue. */
  public readonly jobQueue: JobQueue;
  /** The multi-node job definition. */
  public readonly jobDefinition: MultiNodeJobDefinition;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    // Justified cdk-nag acknowledgements for batchkit's shared roles (the patterns add them themselves).
    BatchkitAwsSolutionsAcknowledgements.addTo(this);
    const vpc = new BatchVpc(this, 'Vpc');
    const placementGroup = new ec2.PlacementGroup(this, 'Cluster', { strategy: ec2.PlacementGroupStrategy.CLUSTER });
    const instanceType = ec2.InstanceType.of(ec2.InstanceClass.C6I, ec2.InstanceSize.XLARGE2);
    this.computeEnvironment = new ManagedEc2ComputeEnvironment(this, 'Mnp', {
      vpc,
      instanceTypes: [BatchInstanceType.fromEc2(instanceType)],
      placementGroup,
      maxvCpus: 64,
      launchTemplate: new BatchLaunchTemplate(this, 'LaunchTemplate', {
        blockDevices: [{ deviceName: '/dev/xvda', volumeSize: Size.gibibytes(30) }],
      }),
    });
    // Nodes talk to each other on any port inside the environment's security group.
    const [nodes] = this.computeEnvironment.connections.securityGroups;
    nodes.addIngressRule(nodes, ec2.Port.allTcp(), 'MNP nodes talk to each other');
    this.jobQueue = new JobQueue(this, 'Queue', {
      priority: 1,
      computeEnvironments: [{ computeEnvironment: this.computeEnvironment, order: 1 }],
    });
    const jobRole = new JobRole(this, 'JobRole');
    const image = JobImage.fromRegistry('public.ecr.aws/amazonlinux/amazonlinux:2023');
    this.jobDefinition = new MultiNodeJobDefinition(this, 'Mpi', {
      jobDefinitionName: 'mnp-hello',
      numNodes: 4,
      mainNode: 0,
      instanceType,
      containers: [
        {
          startNode: 0,
          endNode: 0,
          container: JobContainer.ec2({
            image,
            cpu: 8,
            memory: Size.gibibytes(14),
            jobRole,
            command: ['sh', '-c', 'echo main node $AWS_BATCH_JOB_NODE_INDEX of $AWS_BATCH_JOB_NUM_NODES'],
          }),
        },
        {
          startNode: 1,
          endNode: 3,
          container: JobContainer.ec2({
            image,
            cpu: 8,
            memory: Size.gibibytes(14),
            jobRole,
            command: [
              'sh',
              '-c',
              'echo worker $AWS_BATCH_JOB_NODE_INDEX reports to $AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS',
            ],
          }),
        },
      ],
    });
  }
}
