/**
 * A multi-node parallel job definition: node ranges, each with its container, and a main node.
 * EC2 only (Batch does not run multi-node jobs on Fargate).
 * @see https://docs.aws.amazon.com/batch/latest/userguide/multi-node-job-def.html
 */
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { JobDefinition } from '../../core/model/job-definition';
import { JobExecutionRole } from '../iam/job-execution-role';
import { renderJobDefinition, type RenderedNodeRange } from '../private/job-base-render';
import { renderContainer } from '../private/job-render';
import { JobDefinitionBase, type JobDefinitionProps } from './job-definition-base';
import type { JobContainer } from './job-container';

/** The container of a range of nodes. */
export interface NodeRange {
  /** First node index of the range. */
  readonly startNode: number;
  /**
   * Last node index of the range (inclusive).
   * @default - the last node (`numNodes - 1`)
   */
  readonly endNode?: number;
  /** The container; must be an EC2 container. */
  readonly container: JobContainer;
  /**
   * Instance types for these nodes.
   * @default - the definition's `instanceType`, else Batch chooses
   */
  readonly instanceTypes?: ec2.InstanceType[];
}

/** Props of {@link MultiNodeJobDefinition}. */
export interface MultiNodeJobDefinitionProps extends JobDefinitionProps {
  /** Node ranges; together they must cover every node exactly once. 1–5 ranges. */
  readonly containers: NodeRange[];
  /**
   * Number of nodes (1–1000).
   * @default - one more than the highest `endNode`/`startNode` given
   */
  readonly numNodes?: number;
  /**
   * Index of the main node.
   * @default 0
   */
  readonly mainNode?: number;
  /**
   * Instance type of every node (rendered on each range's container).
   * @default - Batch chooses from the compute environment
   */
  readonly instanceType?: ec2.InstanceType;
  /**
   * Execution role of every node's container.
   * @default - the stack's shared execution role (`JobExecutionRole.forStack`)
   */
  readonly executionRole?: iam.IRole;
  /**
   * Tags of the job definition.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/** A multi-node parallel job definition. One CloudFormation resource; the execution role is shared. */
export class MultiNodeJobDefinition extends JobDefinitionBase {
  public readonly jobDefinitionArn: string;
  public readonly jobDefinitionName: string;
  /** The execution role (shared by the stack's job definitions). */
  public readonly executionRole: iam.IRole;
  /** Number of nodes. */
  public readonly numNodes: number;
  /** The job definition in the Batch API's shape. */
  public readonly model: JobDefinition;

  constructor(scope: Construct, id: string, props: MultiNodeJobDefinitionProps) {
    super(scope, id, { physicalName: props.jobDefinitionName });
    this.numNodes = props.numNodes ?? Math.max(0, ...props.containers.map((r) => (r.endNode ?? r.startNode) + 1));
    const mainNode = props.mainNode ?? 0;
    this.executionRole = props.executionRole ?? JobExecutionRole.forStack(this);
    const ranges: RenderedNodeRange[] = props.containers.map((r) => {
      const container = renderContainer(this, r.container, this.executionRole);
      if (props.instanceType) container.instanceType = props.instanceType.toString();
      const end = r.endNode ?? this.numNodes - 1;
      return {
        targetNodes: r.startNode === end ? `${r.startNode}` : `${r.startNode}:${end}`,
        container,
        ...(r.instanceTypes ? { instanceTypes: r.instanceTypes.map((t) => t.toString()) } : {}),
      };
    });
    const rendered = renderJobDefinition(this, props, {
      type: 'multinode',
      platform: props.containers.some((r) => r.container.platform === 'FARGATE') ? 'FARGATE' : 'EC2',
      nodeProperties: { numNodes: this.numNodes, mainNode, nodeRangeProperties: ranges },
    });
    this.model = rendered.model;
    this.jobDefinitionArn = rendered.jobDefinitionArn;
    this.jobDefinitionName = rendered.jobDefinitionName;
  }
}
