/**
 * A job definition whose job is an ECS task of several containers (`ecsProperties`): a main
 * container with sidecars or set-up steps, ordered by `dependsOn` conditions, sharing the task's
 * network and volumes. The job ends when an essential container stops; its exit code is the job's.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/multi-container-jobs.html
 */
import type { Size } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { JobDefinition } from '../../core/model/job-definition';
import type { TaskContainerCondition, TaskContainerProperties } from '../../core/model/job-definition-pods';
import { JobExecutionRole } from '../iam/job-execution-role';
import { renderJobDefinition } from '../private/job-base-render';
import { JobDefinitionBase, type JobDefinitionProps } from './job-definition-base';
import type { JobImage } from './job-image';

/** When a container may start, relative to another container of the task. */
export enum ContainerDependencyCondition {
  /** Once the other container has started. */
  START = 'START',
  /** Once the other container has exited (it must not be essential). */
  COMPLETE = 'COMPLETE',
  /** Once the other container has exited with code 0 (it must not be essential). */
  SUCCESS = 'SUCCESS',
  /** Once the other container's health check passes. */
  HEALTHY = 'HEALTHY',
}

/** One container of the task. */
export interface TaskContainer {
  /** Unique name in the task (the target of `dependsOn` and of SubmitJob overrides). */
  readonly name: string;
  /** Image. */
  readonly image: JobImage;
  /**
   * Whether the task (and the job) ends when this container stops.
   * @default true
   */
  readonly essential?: boolean;
  /**
   * Command.
   * @default - the image's
   */
  readonly command?: string[];
  /**
   * Environment variables.
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * vCPUs reserved for this container (the task reserves the sum).
   * @default - none (another container must reserve vCPUs)
   */
  readonly cpu?: number;
  /**
   * Memory reserved for this container (whole MiB).
   * @default - none (another container must reserve memory)
   */
  readonly memory?: Size;
  /**
   * Containers to wait for, with the condition.
   * @default - start at once
   */
  readonly dependsOn?: ReadonlyArray<{ readonly container: string; readonly condition: ContainerDependencyCondition }>;
  /**
   * Task volumes mounted in this container.
   * @default - none
   */
  readonly mounts?: ReadonlyArray<{
    readonly volume: string;
    readonly containerPath: string;
    readonly readOnly?: boolean;
  }>;
}

/** Props of {@link MultiContainerJobDefinition}. */
export interface MultiContainerJobDefinitionProps extends JobDefinitionProps {
  /** 1–10 containers, at least one essential. */
  readonly containers: TaskContainer[];
  /**
   * Volumes shared by the containers: a name, and a host path or none (a volume that lives as long as the task).
   * @default - none
   */
  readonly volumes?: ReadonlyArray<{ readonly name: string; readonly hostPath?: string }>;
  /**
   * Role of the task's code.
   * @default - none
   */
  readonly taskRole?: iam.IRole;
  /**
   * Execution role (pulls images, reads secrets, writes logs).
   * @default - the stack's shared execution role (`JobExecutionRole.forStack`)
   */
  readonly executionRole?: iam.IRole;
  /**
   * Tags of the job definition.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/** A multi-container (ECS task) job definition on EC2 resources; one CloudFormation resource. */
export class MultiContainerJobDefinition extends JobDefinitionBase {
  public readonly jobDefinitionArn: string;
  public readonly jobDefinitionName: string;
  /** The execution role. */
  public readonly executionRole: iam.IRole;
  /** The job definition in the Batch API's shape, as batchkit's rules see it. */
  public readonly model: JobDefinition;

  constructor(scope: Construct, id: string, props: MultiContainerJobDefinitionProps) {
    super(scope, id, { physicalName: props.jobDefinitionName });
    this.executionRole = props.executionRole ?? JobExecutionRole.forStack(this);
    const containers = props.containers.map((c) => this.renderContainer(c));
    const rendered = renderJobDefinition(this, props, {
      type: 'ecs',
      platform: 'EC2',
      ecsProperties: {
        taskProperties: [
          {
            containers,
            ...(props.volumes?.length
              ? {
                  volumes: props.volumes.map((v) => ({
                    name: v.name,
                    ...(v.hostPath ? { host: { sourcePath: v.hostPath } } : {}),
                  })),
                }
              : {}),
            ...(props.taskRole ? { taskRoleArn: props.taskRole.roleArn } : {}),
            executionRoleArn: this.executionRole.roleArn,
          },
        ],
      },
    });
    this.model = rendered.model;
    this.jobDefinitionArn = rendered.jobDefinitionArn;
    this.jobDefinitionName = rendered.jobDefinitionName;
  }

  private renderContainer(c: TaskContainer): TaskContainerProperties {
    const image = c.image.bind(this, this.executionRole);
    const resources = [
      ...(c.cpu !== undefined ? [{ type: 'VCPU' as const, value: String(c.cpu) }] : []),
      ...(c.memory !== undefined ? [{ type: 'MEMORY' as const, value: String(c.memory.toMebibytes()) }] : []),
    ];
    const condition = (x: ContainerDependencyCondition): TaskContainerCondition => x;
    return {
      name: c.name,
      image: image.imageName,
      ...(image.repositoryCredentials ? { repositoryCredentials: image.repositoryCredentials } : {}),
      ...(c.essential !== undefined ? { essential: c.essential } : {}),
      ...(c.command ? { command: [...c.command] } : {}),
      ...(c.environment
        ? { environment: Object.entries(c.environment).map(([name, value]) => ({ name, value })) }
        : {}),
      ...(resources.length ? { resourceRequirements: resources } : {}),
      ...(c.dependsOn?.length
        ? { dependsOn: c.dependsOn.map((d) => ({ containerName: d.container, condition: condition(d.condition) })) }
        : {}),
      ...(c.mounts?.length
        ? {
            mountPoints: c.mounts.map((m) => ({
              sourceVolume: m.volume,
              containerPath: m.containerPath,
              readOnly: m.readOnly ?? false,
            })),
          }
        : {}),
    };
  }
}
