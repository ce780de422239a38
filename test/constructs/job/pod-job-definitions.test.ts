import { Size } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  ContainerDependencyCondition,
  DnsPolicy,
  EksJobDefinition,
  JobImage,
  MultiContainerJobDefinition,
} from '../../../lib/constructs/job';
import { newStack } from './_fixtures';

const image = JobImage.fromRegistry('public.ecr.aws/docker/library/busybox:1.36');

describe('MultiContainerJobDefinition', () => {
  test('renders one ECS task: containers, dependsOn, shared volume, roles, EC2', () => {
    const stack = newStack();
    const taskRole = new iam.Role(stack, 'TaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    });
    const jd = new MultiContainerJobDefinition(stack, 'Job', {
      jobDefinitionName: 'with-sidecar',
      taskRole,
      volumes: [{ name: 'shared' }],
      containers: [
        {
          name: 'setup',
          image,
          essential: false,
          command: ['sh', '-c', 'echo ready > /data/flag'],
          cpu: 0.5,
          memory: Size.mebibytes(64),
          mounts: [{ volume: 'shared', containerPath: '/data' }],
        },
        {
          name: 'main',
          image,
          cpu: 1,
          memory: Size.mebibytes(512),
          dependsOn: [{ container: 'setup', condition: ContainerDependencyCondition.SUCCESS }],
          mounts: [{ volume: 'shared', containerPath: '/data', readOnly: true }],
          environment: { MODE: 'fast' },
        },
      ],
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Batch::JobDefinition', 1);
    template.hasResourceProperties('AWS::Batch::JobDefinition', {
      JobDefinitionName: 'with-sidecar',
      Type: 'container',
      PlatformCapabilities: ['EC2'],
      EcsProperties: {
        TaskProperties: [
          {
            Containers: [
              {
                Name: 'setup',
                Essential: false,
                ResourceRequirements: [
                  { Type: 'VCPU', Value: '0.5' },
                  { Type: 'MEMORY', Value: '64' },
                ],
                MountPoints: [{ SourceVolume: 'shared', ContainerPath: '/data', ReadOnly: false }],
              },
              {
                Name: 'main',
                DependsOn: [{ ContainerName: 'setup', Condition: 'SUCCESS' }],
                Environment: [{ Name: 'MODE', Value: 'fast' }],
              },
            ],
            Volumes: [{ Name: 'shared' }],
            TaskRoleArn: { 'Fn::GetAtt': [stack.getLogicalId(taskRole.node.defaultChild as iam.CfnRole), 'Arn'] },
          },
        ],
      },
    });
    expect(jd.model.ecsProperties?.taskProperties[0].containers.map((c) => c.name)).toEqual(['setup', 'main']);
    expect(
      template.toJSON().Resources[stack.getLogicalId(jd.node.defaultChild as never)].Properties.ContainerProperties,
    ).toBeUndefined();
  });

  test('runs the core rules: SUCCESS on an essential container is BATCH-JD-033', () => {
    const stack = newStack();
    expect(
      () =>
        new MultiContainerJobDefinition(stack, 'Bad', {
          containers: [
            { name: 'setup', image, cpu: 1, memory: Size.mebibytes(64) },
            {
              name: 'main',
              image,
              dependsOn: [{ container: 'setup', condition: ContainerDependencyCondition.SUCCESS }],
            },
          ],
        }),
    ).toThrow(/BATCH-JD-033.*SUCCESS is set on essential container setup/s);
  });
});

describe('EksJobDefinition', () => {
  test('renders the pod: init containers, containers with limits, volumes, service account, host network', () => {
    const stack = newStack();
    const jd = new EksJobDefinition(stack, 'Pod', {
      jobDefinitionName: 'pod',
      serviceAccountName: 'batch-jobs',
      hostNetwork: true,
      dnsPolicy: DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET,
      initContainers: [
        {
          name: 'fetch',
          image: 'busybox',
          command: ['sh', '-c', 'echo in > /work/in'],
          mounts: [{ volume: 'work', mountPath: '/work' }],
        },
      ],
      containers: [
        {
          name: 'main',
          image: 'busybox',
          args: ['--fast'],
          cpu: 1,
          memory: Size.mebibytes(256),
          gpu: 1,
          env: { A: 'b' },
          mounts: [{ volume: 'work', mountPath: '/work', readOnly: true }],
        },
      ],
      volumes: [
        { name: 'work', emptyDir: { inMemory: true, sizeLimit: Size.mebibytes(64) } },
        { name: 'node-tmp', hostPath: '/tmp' },
        { name: 'creds', secretName: 'db' },
      ],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Batch::JobDefinition', {
      JobDefinitionName: 'pod',
      Type: 'container',
      EksProperties: {
        PodProperties: {
          ServiceAccountName: 'batch-jobs',
          HostNetwork: true,
          DnsPolicy: 'ClusterFirstWithHostNet',
          InitContainers: [{ Name: 'fetch', Image: 'busybox' }],
          Containers: [
            {
              Name: 'main',
              Args: ['--fast'],
              Resources: { Limits: { cpu: '1', memory: '256Mi', 'nvidia.com/gpu': '1' } },
              Env: [{ Name: 'A', Value: 'b' }],
              VolumeMounts: [{ Name: 'work', MountPath: '/work', ReadOnly: true }],
            },
          ],
          Volumes: [
            { Name: 'work', EmptyDir: { Medium: 'Memory', SizeLimit: '64Mi' } },
            { Name: 'node-tmp', HostPath: { Path: '/tmp' } },
            { Name: 'creds', Secret: { SecretName: 'db' } },
          ],
        },
      },
    });
    const props =
      Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(jd.node.defaultChild as never)].Properties;
    expect([props.PlatformCapabilities, props.ContainerProperties]).toEqual([undefined, undefined]);
    expect(jd.model.containerOrchestrationType).toBe('EKS');
  });

  test('runs the core rules: a mount of an undeclared volume is BATCH-JD-034', () => {
    const stack = newStack();
    expect(
      () =>
        new EksJobDefinition(stack, 'Bad', {
          containers: [{ name: 'main', image: 'busybox', mounts: [{ volume: 'ghost', mountPath: '/x' }] }],
        }),
    ).toThrow(/BATCH-JD-034.*volumeMounts\[0\]\.name.*does not declare/s);
  });
});
