/**
 * BATCHKIT-NAG-003 (plain-text secrets), -004 (privileged) and -005 (public IP) over the resolved
 * properties of an `AWS::Batch::JobDefinition`: single-container, multi-node, ECS and EKS shapes.
 */
import { BatchkitNagRule } from '../nag-rule';
import { type NagHit, isObj, isTrue, pick, pickList, pickObj } from './hit';

/** Environment variable names that look like secrets. */
export const SECRET_NAME = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;
/** Names that merely point at a secret (its ARN, name, path...), not the secret itself. */
const SECRET_POINTER = /(_ARN|_NAME|_ID|_URL|_URI|_PATH|_FILE|_REGION|_TTL|_EXPIRY)$/i;

/** The resolved properties of a job definition, as read from its L1. */
export interface JobDefinitionProps {
  /** `ContainerProperties`. */
  readonly containerProperties?: unknown;
  /** `NodeProperties`. */
  readonly nodeProperties?: unknown;
  /** `EcsProperties`. */
  readonly ecsProperties?: unknown;
  /** `EksProperties`. */
  readonly eksProperties?: unknown;
}

/** A container found in a job definition, with its property path. */
interface FoundContainer {
  readonly path: string;
  readonly container: unknown;
  readonly envKey: 'environment' | 'env';
}

/** Checks one job definition. */
export function checkJobDefinition(props: JobDefinitionProps): NagHit[] {
  const hits: NagHit[] = [];
  for (const found of containersOf(props)) {
    hits.push(...checkEnvironment(found));
    const privileged =
      found.envKey === 'env'
        ? pick(pickObj(found.container, 'securityContext'), 'privileged')
        : pick(found.container, 'privileged');
    if (isTrue(privileged)) {
      hits.push({
        rule: BatchkitNagRule.PRIVILEGED,
        field: `${found.path}.${found.envKey === 'env' ? 'SecurityContext.Privileged' : 'Privileged'}`,
        problem: 'runs the container privileged: it gets root access to the host and every other job on it.',
        value: 'true',
        fix: 'remove privileged; grant only the Linux capabilities the job needs (LinuxParameters.Capabilities / devices).',
      });
    }
  }
  for (const [path, network] of networkConfigurations(props)) {
    const assign = pick(network, 'assignPublicIp');
    if (assign === 'ENABLED') {
      hits.push({
        rule: BatchkitNagRule.PUBLIC_IP,
        field: `${path}.NetworkConfiguration.AssignPublicIp`,
        problem: 'gives the Fargate task a public IP address, reachable from the internet unless its security group forbids it.',
        value: 'ENABLED',
        fix: 'run in private subnets with a NAT gateway or VPC endpoints and set AssignPublicIp: DISABLED (the default).',
      });
    }
  }
  return hits;
}

function checkEnvironment(found: FoundContainer): NagHit[] {
  const hits: NagHit[] = [];
  const key = found.envKey === 'env' ? 'Env' : 'Environment';
  pickList(found.container, found.envKey).forEach((entry, i) => {
    const name = pick(entry, 'name');
    const value = pick(entry, 'value');
    if (typeof name !== 'string' || !SECRET_NAME.test(name) || SECRET_POINTER.test(name)) return;
    if (value === undefined || value === '' || (typeof value === 'string' && value.startsWith('arn:'))) return;
    hits.push({
      rule: BatchkitNagRule.PLAINTEXT_SECRET,
      field: `${found.path}.${key}[${i}]`,
      problem: `environment variable ${name} looks like a secret and is stored as plain text in the job definition, readable by anyone who can describe it.`,
      fix: `move ${name} to the container's secrets (Secrets Manager secret or SSM SecureString parameter), e.g. JobSecret.fromSecretsManager(secret).`,
    });
  });
  return hits;
}

function containersOf(props: JobDefinitionProps): FoundContainer[] {
  const out: FoundContainer[] = [];
  if (isObj(props.containerProperties)) {
    out.push({ path: 'ContainerProperties', container: props.containerProperties, envKey: 'environment' });
  }
  out.push(...ecsContainers(props.ecsProperties, 'EcsProperties'));
  pickList(props.nodeProperties, 'nodeRangeProperties').forEach((range, i) => {
    const base = `NodeProperties.NodeRangeProperties[${i}]`;
    const container = pick(range, 'container');
    if (isObj(container)) out.push({ path: `${base}.Container`, container, envKey: 'environment' });
    out.push(...ecsContainers(pick(range, 'ecsProperties'), `${base}.EcsProperties`));
  });
  const pod = pickObj(props.eksProperties, 'podProperties');
  for (const key of ['initContainers', 'containers']) {
    pickList(pod, key).forEach((container, i) => {
      const field = key.charAt(0).toUpperCase() + key.slice(1);
      out.push({ path: `EksProperties.PodProperties.${field}[${i}]`, container, envKey: 'env' });
    });
  }
  return out;
}

function ecsContainers(ecsProperties: unknown, base: string): FoundContainer[] {
  const out: FoundContainer[] = [];
  pickList(ecsProperties, 'taskProperties').forEach((task, t) => {
    pickList(task, 'containers').forEach((container, c) => {
      out.push({ path: `${base}.TaskProperties[${t}].Containers[${c}]`, container, envKey: 'environment' });
    });
  });
  return out;
}

function networkConfigurations(props: JobDefinitionProps): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const add = (path: string, owner: unknown): void => {
    const network = pickObj(owner, 'networkConfiguration');
    if (network) out.push([path, network]);
  };
  add('ContainerProperties', props.containerProperties);
  pickList(props.ecsProperties, 'taskProperties').forEach((task, t) => add(`EcsProperties.TaskProperties[${t}]`, task));
  return out;
}
