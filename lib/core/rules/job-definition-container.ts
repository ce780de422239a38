/**
 * Job definition rules about the inside of a container: environment, volumes and mount points,
 * ulimits, resource requirements and devices (User Guide "Container properties";
 * seeds-requirements §6 items 8-12).
 */
import { RESOURCE_TYPES } from '../model/job-definition';
import { isUnresolved } from '../model/unresolved';
import type { Finding } from './finding';
import { containerRule, isObject } from './job-definition-common';
import {
  ENV_NAME_ALLOWED,
  VOLUME_NAME_ALLOWED,
  VOLUME_NAME_PATTERN,
  isInteger,
  isReservedEnvName,
  isValidEnvName,
  parseDecimal,
} from './names';
import { whenKnown, type Rule } from './rule';

/** Device permissions Batch accepts. */
export const DEVICE_PERMISSIONS: readonly string[] = ['READ', 'WRITE', 'MKNOD'];
/** Host path prefix of EFA devices. */
export const EFA_DEVICE_PREFIX = '/dev/infiniband/uverbs';

function list<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

const reservedEnv = containerRule(
  'BATCH-JD-008',
  'error',
  'Environment variable names do not start with AWS_BATCH (reserved for variables Batch sets).',
  (c, at) =>
    list(at.container.environment).flatMap((kv, i) => {
      const field = `${at.path}.environment[${i}].name`;
      return whenKnown(c.ctx, c.ref, field, kv?.name, (n) =>
        typeof n === 'string' && isReservedEnvName(n)
          ? [
              c.report({
                field,
                problem:
                  'the environment variable uses the AWS_BATCH prefix, which Batch ' +
                  'reserves for the variables it sets (AWS_BATCH_JOB_ID, AWS_BATCH_JOB_ATTEMPT, ...).',
                value: n,
                allowed: 'any name that does not start with AWS_BATCH',
                fix: `Rename the variable, e.g. "MY_${n}", and read that name in the job.`,
              }),
            ]
          : [],
      );
    }),
);

const envPairs = containerRule(
  'BATCH-JD-009',
  'error',
  'Every environment entry has a name (without "=") and a value.',
  (c, at) =>
    list(at.container.environment).flatMap((kv, i) => {
      const missing = ['name', 'value'].filter(
        (k) => !isObject(kv) || typeof kv[k] !== 'string' || (k === 'name' && kv[k] === ''),
      );
      if (missing.length === 0) {
        const field = `${at.path}.environment[${i}].name`;
        return whenKnown(c.ctx, c.ref, field, kv.name, (n) =>
          typeof n === 'string' && !isValidEnvName(n)
            ? [
                c.report({
                  field,
                  problem:
                    'the environment variable name contains "=", which ends a name in the ' +
                    'NAME=value form the container receives, so the variable would get another name and value.',
                  value: n,
                  allowed: ENV_NAME_ALLOWED,
                  fix: `Rename the variable without "=", e.g. "${n.replace(/=/g, '_')}".`,
                }),
              ]
            : [],
        );
      }
      return [
        c.report({
          field: `${at.path}.environment[${i}]`,
          problem: `the environment entry has no ${missing.join(' and no ')}.`,
          value: kv,
          allowed: '{ "name": "<non-empty string>", "value": "<string>" }',
          fix: 'Give every environment entry both a name and a value (use "" for an empty value), or remove the entry.',
        }),
      ];
    }),
);

const mountPoints = containerRule(
  'BATCH-JD-010',
  'error',
  "Every mountPoints entry has a containerPath and a sourceVolume naming one of the container's volumes.",
  (c, at) => {
    const volumes = list(at.container.volumes);
    const names = volumes.map((v) => v?.name).filter((n): n is string => typeof n === 'string');
    const anyUnresolvedName = names.some((n) => isUnresolved(n));
    return list(at.container.mountPoints).flatMap((mp, i) => {
      const out: Finding[] = [];
      const base = `${at.path}.mountPoints[${i}]`;
      if (!isObject(mp) || typeof mp.containerPath !== 'string' || mp.containerPath === '') {
        out.push(
          c.report({
            field: `${base}.containerPath`,
            problem: 'the mount point has no container path.',
            allowed: 'an absolute path in the container, e.g. "/data"',
            fix: 'Set containerPath to where the volume appears inside the container.',
          }),
        );
      }
      const source = isObject(mp) ? mp.sourceVolume : undefined;
      out.push(
        ...whenKnown(c.ctx, c.ref, `${base}.sourceVolume`, source, (s) => {
          if (anyUnresolvedName) return [];
          if (typeof s === 'string' && names.includes(s)) return [];
          return [
            c.report({
              field: `${base}.sourceVolume`,
              problem:
                s === undefined
                  ? 'the mount point names no source volume.'
                  : 'the mount point refers to a volume that the container does not declare.',
              value: s,
              allowed: names.length
                ? `one of the volume names: ${names.join(', ')}`
                : 'the name of a volume in volumes (none are declared)',
              fix:
                `Declare a volume named ${s === undefined ? '"<name>"' : JSON.stringify(s)} in ` +
                `${at.path}.volumes, or correct sourceVolume.`,
            }),
          ];
        }),
      );
      return out;
    });
  },
);

const absoluteContainerPath = containerRule(
  'BATCH-JD-032',
  'error',
  'Every mountPoints containerPath is an absolute path (Docker and ECS ' +
    'refuse a relative one, so the job cannot start).',
  (c, at) =>
    list(at.container.mountPoints).flatMap((mp, i) => {
      const field = `${at.path}.mountPoints[${i}].containerPath`;
      if (!isObject(mp) || mp.containerPath === undefined) return [];
      return whenKnown(c.ctx, c.ref, field, mp.containerPath, (p) =>
        typeof p === 'string' && p !== '' && !p.startsWith('/')
          ? [
              c.report({
                field,
                problem:
                  'the container path is relative; Docker and ECS mount volumes only at ' +
                  'absolute paths, so every attempt of the job fails before it starts.',
                value: p,
                allowed: 'an absolute path in the container, starting with "/" (e.g. "/data")',
                fix: `Use an absolute path, e.g. ${JSON.stringify(`/${p.replace(/^\.\/+/, '')}`)}.`,
              }),
            ]
          : [],
      );
    }),
);

const volumeNames = containerRule(
  'BATCH-JD-011',
  'error',
  'Every volume has a unique name of 1-255 letters, digits, hyphens and underscores.',
  (c, at) => {
    const seen = new Set<string>();
    return list(at.container.volumes).flatMap((v, i) => {
      const field = `${at.path}.volumes[${i}].name`;
      return whenKnown(c.ctx, c.ref, field, isObject(v) ? v.name : undefined, (n) => {
        if (typeof n !== 'string' || !VOLUME_NAME_PATTERN.test(n)) {
          return [
            c.report({
              field,
              problem: n === undefined ? 'the volume has no name.' : 'the volume name is not valid.',
              value: n,
              allowed: VOLUME_NAME_ALLOWED,
              fix: 'Name the volume (e.g. "data") and use that name as mountPoints[].sourceVolume.',
            }),
          ];
        }
        if (seen.has(n)) {
          return [
            c.report({
              field,
              problem: 'two volumes have the same name, so a mount point cannot tell them apart.',
              value: n,
              allowed: 'unique volume names',
              fix: 'Rename one of the volumes and update the mount points that use it.',
            }),
          ];
        }
        seen.add(n);
        return [];
      });
    });
  },
);

const ulimits = containerRule(
  'BATCH-JD-012',
  'error',
  'Every ulimit has a name and integer softLimit and hardLimit with softLimit <= hardLimit.',
  (c, at) =>
    list(at.container.ulimits).flatMap((u, i) => {
      const base = `${at.path}.ulimits[${i}]`;
      if (!isObject(u)) {
        return [
          c.report({
            field: base,
            problem: 'the ulimit is not an object.',
            value: u,
            allowed: '{ name, softLimit, hardLimit }',
            fix: 'Write the ulimit as { "name": "nofile", "softLimit": 1024, "hardLimit": 4096 }.',
          }),
        ];
      }
      if (isUnresolved(u.softLimit) || isUnresolved(u.hardLimit) || isUnresolved(u.name)) {
        const [field, value] = isUnresolved(u.name)
          ? [`${base}.name`, u.name]
          : isUnresolved(u.softLimit)
            ? [`${base}.softLimit`, u.softLimit]
            : [`${base}.hardLimit`, u.hardLimit];
        return whenKnown(c.ctx, c.ref, field, value, () => []);
      }
      const problems: string[] = [];
      if (typeof u.name !== 'string' || u.name === '') problems.push('it has no name');
      if (!isInteger(u.softLimit) || u.softLimit < 0) problems.push('softLimit is not a non-negative integer');
      if (!isInteger(u.hardLimit) || u.hardLimit < 0) problems.push('hardLimit is not a non-negative integer');
      if (problems.length === 0 && (u.softLimit as number) > (u.hardLimit as number))
        problems.push('softLimit is above hardLimit');
      if (problems.length === 0) return [];
      return [
        c.report({
          field: base,
          problem: `the ulimit is not valid: ${problems.join(', ')}.`,
          value: u,
          allowed: '{ "name": "<ulimit name>", "softLimit": <integer>, "hardLimit": <integer >= softLimit> }',
          fix: 'Give the ulimit a name (e.g. "nofile") and whole-number limits with softLimit <= hardLimit.',
        }),
      ];
    }),
);

const resourceRequirements = containerRule(
  'BATCH-JD-013',
  'error',
  'resourceRequirements entries have type GPU, VCPU or MEMORY (each at ' +
    'most once) and a positive numeric value (GPU a whole number).',
  (c, at) => {
    const seen = new Set<string>();
    return list(at.container.resourceRequirements).flatMap((r, i) => {
      const base = `${at.path}.resourceRequirements[${i}]`;
      const out: Finding[] = [];
      const t = isObject(r) ? r.type : undefined;
      const typeFindings = whenKnown(c.ctx, c.ref, `${base}.type`, t, (ty) => {
        if (typeof ty !== 'string' || !(RESOURCE_TYPES as readonly string[]).includes(ty)) {
          return [
            c.report({
              field: `${base}.type`,
              problem: 'the resource type is not one Batch knows.',
              value: ty,
              allowed: RESOURCE_TYPES.join(', '),
              fix: 'Use "VCPU", "MEMORY" (MiB) or "GPU" in upper case.',
            }),
          ];
        }
        if (seen.has(ty)) {
          return [
            c.report({
              field: `${base}.type`,
              problem: `${ty} is requested more than once.`,
              value: ty,
              allowed: 'each resource type at most once',
              fix: `Keep one ${ty} entry.`,
            }),
          ];
        }
        seen.add(ty);
        return [];
      });
      out.push(...typeFindings);
      const v = isObject(r) ? r.value : undefined;
      out.push(
        ...whenKnown(c.ctx, c.ref, `${base}.value`, v, (val) => {
          const n = typeof val === 'string' ? parseDecimal(val) : undefined;
          const isGpu = t === 'GPU';
          if (n !== undefined && n > 0 && (!isGpu || Number.isInteger(n))) return [];
          return [
            c.report({
              field: `${base}.value`,
              problem:
                `the ${typeof t === 'string' ? t : 'resource'} amount is not a positive ` +
                `${isGpu ? 'whole ' : ''}number written as a string.`,
              value: val,
              allowed: isGpu
                ? 'a string of a positive integer, e.g. "1"'
                : 'a string of a positive number, e.g. "2" or "2048" (Fargate vCPUs may be "0.25")',
              fix: 'Write the amount as a decimal string such as "1"; remove the entry instead of requesting zero.',
            }),
          ];
        }),
      );
      return out;
    });
  },
);

const devices = containerRule(
  'BATCH-JD-014',
  'error',
  'linuxParameters.devices have a hostPath, permissions within ' +
    'READ/WRITE/MKNOD, and EFA devices keep containerPath = hostPath with all three permissions.',
  (c, at) => {
    const lp = at.container.linuxParameters;
    if (typeof lp !== 'object' || lp === null) return [];
    return list(lp.devices).flatMap((d, i) => {
      const base = `${at.path}.linuxParameters.devices[${i}]`;
      const out: Finding[] = [];
      const hostPath = isObject(d) ? d.hostPath : undefined;
      out.push(
        ...whenKnown(c.ctx, c.ref, `${base}.hostPath`, hostPath, (h) =>
          typeof h === 'string' && h !== ''
            ? []
            : [
                c.report({
                  field: `${base}.hostPath`,
                  problem: 'the device has no host path.',
                  value: h,
                  allowed: 'the path of the device on the host, e.g. "/dev/fuse"',
                  fix: 'Set hostPath to the device to expose.',
                }),
              ],
        ),
      );
      const perms = isObject(d) && Array.isArray(d.permissions) ? (d.permissions as unknown[]) : undefined;
      const bad = (perms ?? []).filter((p) => typeof p !== 'string' || !DEVICE_PERMISSIONS.includes(p));
      if (bad.length > 0) {
        out.push(
          c.report({
            field: `${base}.permissions`,
            problem: 'the device permissions include values Batch does not know.',
            value: bad,
            allowed: DEVICE_PERMISSIONS.join(', '),
            fix: 'Use only "READ", "WRITE" and "MKNOD" (leave permissions out for all three).',
          }),
        );
      }
      if (typeof hostPath === 'string' && !isUnresolved(hostPath) && hostPath.startsWith(EFA_DEVICE_PREFIX)) {
        const containerPath = isObject(d) ? d.containerPath : undefined;
        if (containerPath !== undefined && !isUnresolved(containerPath) && containerPath !== hostPath) {
          out.push(
            c.report({
              field: `${base}.containerPath`,
              problem: 'an EFA device must appear in the container at its host path.',
              value: containerPath,
              allowed: `"${hostPath}" (or leave containerPath out)`,
              fix: 'Remove containerPath or set it equal to hostPath.',
            }),
          );
        }
        if (perms !== undefined && bad.length === 0 && !DEVICE_PERMISSIONS.every((p) => perms.includes(p))) {
          out.push(
            c.report({
              field: `${base}.permissions`,
              problem: 'an EFA device needs READ, WRITE and MKNOD permissions.',
              value: perms,
              allowed: 'READ, WRITE, MKNOD (or leave permissions out)',
              fix: 'Remove permissions or list all three.',
            }),
          );
        }
      }
      return out;
    });
  },
);

/** Rules about the inside of a container. */
export const CONTAINER_RULES: readonly Rule[] = [
  reservedEnv,
  envPairs,
  mountPoints,
  absoluteContainerPath,
  volumeNames,
  ulimits,
  resourceRequirements,
  devices,
];
