/**
 * BATCHKIT-NAG-003 (plain-text secrets), -004 (privileged) and -005 (public IP) over a job definition
 * in the API's shape: single-container, multi-node, ECS task and EKS pod job definitions.
 */
import type { KeyValuePair } from '../model/common';
import type { JobDefinition } from '../model/job-definition';
import type { EcsProperties } from '../model/job-definition-pods';
import { BatchkitNagRule, type NagHit } from './nag-codes';
import { isKnownValue } from './nag-read';

/** Environment variable names that look like secrets. */
export const SECRET_NAME = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;
/** Names that merely point at a secret (its ARN, name, path...), not the secret itself. */
const SECRET_POINTER = /(_ARN|_NAME|_ID|_URL|_URI|_PATH|_FILE|_REGION|_TTL|_EXPIRY)$/i;

/** Added to the problem when the value is known only at deployment. */
const UNKNOWN_VALUE = ' (its value is known only at deployment, and stored all the same)';

/** The parts of a job definition the checks read. */
export type NagJobDefinition = Pick<
  JobDefinition,
  'containerProperties' | 'nodeProperties' | 'ecsProperties' | 'eksProperties'
>;

/** A container of a job definition, with its API path. */
interface FoundContainer {
  readonly path: string;
  readonly environment: ReadonlyArray<{ readonly name?: unknown; readonly value?: unknown }>;
  readonly envKey: 'environment' | 'env';
  readonly privileged: unknown;
  readonly privilegedField: string;
}

/** Checks one job definition; fields are API paths (`containerProperties.environment[0]`). */
export function nagJobDefinition(jd: NagJobDefinition): NagHit[] {
  const hits: NagHit[] = [];
  for (const found of containersOf(jd)) {
    hits.push(...plainTextSecrets(found));
    if (found.privileged === true || found.privileged === 'true') {
      hits.push({
        rule: BatchkitNagRule.PRIVILEGED,
        field: `${found.path}.${found.privilegedField}`,
        problem: 'runs the container privileged: it gets root access to the host and every other job on it.',
        value: 'true',
        fix:
          'remove privileged; grant only the Linux capabilities the job needs ' +
          '(LinuxParameters.Capabilities / devices).',
      });
    }
  }
  const networks: Array<[string, unknown]> = [['containerProperties', jd.containerProperties?.networkConfiguration]];
  listOf(jd.ecsProperties?.taskProperties).forEach((task, t) => {
    networks.push([`ecsProperties.taskProperties[${t}]`, task.networkConfiguration]);
  });
  for (const [path, network] of networks) {
    if (typeof network !== 'object' || network === null || !('assignPublicIp' in network)) continue;
    if (network.assignPublicIp !== 'ENABLED') continue;
    hits.push({
      rule: BatchkitNagRule.PUBLIC_IP,
      field: `${path}.networkConfiguration.assignPublicIp`,
      problem:
        'gives the Fargate task a public IP address, reachable from the internet unless its security group forbids it.',
      value: 'ENABLED',
      fix: 'run in private subnets with a NAT gateway or VPC endpoints and set AssignPublicIp: DISABLED (the default).',
    });
  }
  return hits;
}

function plainTextSecrets(found: FoundContainer): NagHit[] {
  const hits: NagHit[] = [];
  found.environment.forEach((entry, i) => {
    const { name, value } = entry;
    if (typeof name !== 'string' || !SECRET_NAME.test(name) || SECRET_POINTER.test(name)) return;
    if (value === undefined || value === '' || (typeof value === 'string' && value.startsWith('arn:'))) return;
    const unknown = !isKnownValue(value);
    hits.push({
      rule: BatchkitNagRule.PLAINTEXT_SECRET,
      field: `${found.path}.${found.envKey}[${i}]`,
      problem:
        `environment variable ${name} looks like a secret and is stored as plain text in the job definition, ` +
        `readable by anyone who can describe it${unknown ? UNKNOWN_VALUE : ''}.`,
      fix:
        `move ${name} to the container's secrets (Secrets Manager secret or SSM SecureString parameter), ` +
        'e.g. JobSecret.fromSecretsManager(secret).',
    });
  });
  return hits;
}

/** An array, or [] for anything else (a token in place of a list). */
function listOf<T>(v: readonly T[] | undefined): readonly T[] {
  return Array.isArray(v) ? v : [];
}

function containersOf(jd: NagJobDefinition): FoundContainer[] {
  const out: FoundContainer[] = [];
  const cp = jd.containerProperties;
  if (typeof cp === 'object' && cp !== null) {
    out.push(ecsStyle('containerProperties', cp));
  }
  out.push(...ecsContainers(jd.ecsProperties, 'ecsProperties'));
  listOf(jd.nodeProperties?.nodeRangeProperties).forEach((range, i) => {
    const base = `nodeProperties.nodeRangeProperties[${i}]`;
    const c = range.container;
    if (typeof c === 'object' && c !== null) {
      out.push(ecsStyle(`${base}.container`, c));
    }
    out.push(...ecsContainers(range.ecsProperties, `${base}.ecsProperties`));
  });
  const pod = jd.eksProperties?.podProperties;
  for (const key of ['initContainers', 'containers'] as const) {
    listOf(pod?.[key]).forEach((c, i) => {
      out.push({
        path: `eksProperties.podProperties.${key}[${i}]`,
        environment: listOf(c.env),
        envKey: 'env',
        privileged: c.securityContext?.privileged,
        privilegedField: 'securityContext.privileged',
      });
    });
  }
  return out;
}

/** A container with `environment` and `privileged` (single-container, node range, ECS task). */
function ecsStyle(path: string, c: { environment?: readonly KeyValuePair[]; privileged?: boolean }): FoundContainer {
  return {
    path,
    environment: listOf(c.environment),
    envKey: 'environment',
    privileged: c.privileged,
    privilegedField: 'privileged',
  };
}

function ecsContainers(ecs: EcsProperties | undefined, base: string): FoundContainer[] {
  const out: FoundContainer[] = [];
  listOf(ecs?.taskProperties).forEach((task, t) => {
    listOf(task.containers).forEach((c, i) => {
      out.push(ecsStyle(`${base}.taskProperties[${t}].containers[${i}]`, c));
    });
  });
  return out;
}
