/**
 * The CloudFormation (L1) shapes of multi-container job definitions, mapped field by field from
 * the model's `ecsProperties` / `eksProperties` (the fields batchkit's constructs render).
 */
import type { CfnJobDefinition } from 'aws-cdk-lib/aws-batch';
import type { EcsProperties, EksContainer, EksProperties } from '../../core/model/job-definition-pods';

/** `EcsProperties` for `CfnJobDefinition`. */
export function cfnEcsProperties(p: EcsProperties): CfnJobDefinition.EcsPropertiesProperty {
  return {
    taskProperties: p.taskProperties.map((t) => ({
      containers: t.containers.map((c) => ({
        name: c.name,
        image: c.image,
        essential: c.essential,
        command: c.command,
        environment: c.environment,
        resourceRequirements: c.resourceRequirements,
        repositoryCredentials: c.repositoryCredentials,
        mountPoints: c.mountPoints,
        dependsOn: c.dependsOn?.map((d) => ({
          containerName: d.containerName ?? '',
          condition: d.condition ?? 'START',
        })),
      })),
      volumes: t.volumes?.map((v) => ({ name: v.name, host: v.host })),
      taskRoleArn: t.taskRoleArn,
      executionRoleArn: t.executionRoleArn,
    })),
  };
}

function cfnEksContainer(c: EksContainer): CfnJobDefinition.EksContainerProperty {
  return {
    name: c.name,
    image: c.image,
    command: c.command,
    args: c.args,
    env: c.env,
    resources: c.resources,
    volumeMounts: c.volumeMounts,
  };
}

/** `EksProperties` for `CfnJobDefinition`. */
export function cfnEksProperties(p: EksProperties): CfnJobDefinition.EksPropertiesProperty {
  const pod = p.podProperties ?? {};
  return {
    podProperties: {
      serviceAccountName: pod.serviceAccountName,
      hostNetwork: pod.hostNetwork,
      dnsPolicy: pod.dnsPolicy,
      containers: (pod.containers ?? []).map(cfnEksContainer),
      initContainers: pod.initContainers?.map(cfnEksContainer),
      volumes: pod.volumes?.map((v) => ({
        name: v.name,
        emptyDir: v.emptyDir,
        hostPath: v.hostPath,
        secret: v.secret,
      })),
    },
  };
}
