/**
 * SubmitJob checks of container overrides against the job definition: resource amounts, and the Fargate vCPU/memory
 * combinations (`BATCH-SJ-*`, called from `submit-job.ts`).
 */
import type { ContainerOverrides } from '../model/job';
import type { JobDefinition } from '../model/job-definition';
import { RESOURCE_TYPES } from '../model/job-definition';
import type { Finding } from './finding';
import {
  describeFargateMemoryOptions,
  FARGATE_VCPU_VALUES,
  fargateMemoryOptions,
  isFargateDefinition,
} from './fargate';
import { isObject } from './job-definition-common';
import { resourceSource } from './job-definition-resources';
import { parseDecimal } from './names';
import { whenKnown } from './rule';
import type { SubmitJobCheckContext } from './submit-job';

/** Checks the resource amounts of one set of container overrides. */
export function resourceOverrideFindings(c: SubmitJobCheckContext, o: ContainerOverrides, path: string): Finding[] {
  const out: Finding[] = [];
  const positive = (field: string, value: unknown, min: number, what: string): Finding[] =>
    whenKnown(c, c.ref, field, value, (v) =>
      typeof v === 'number' && Number.isFinite(v) && v >= min && (what !== 'memory' || Number.isInteger(v))
        ? []
        : [
            c.report({
              field,
              problem: `the ${what} override is not a positive amount${what === 'memory' ? ' of at least 4 MiB' : ''}.`,
              value: v,
              allowed: what === 'memory' ? 'an integer >= 4 (MiB)' : 'a number > 0',
              fix: `Override ${what} with a positive amount, or leave it out to keep the job definition's.`,
            }),
          ],
    );
  if (o.vcpus !== undefined) out.push(...positive(`${path}.vcpus`, o.vcpus, Number.MIN_VALUE, 'vcpus'));
  if (o.memory !== undefined) out.push(...positive(`${path}.memory`, o.memory, 4, 'memory'));
  (Array.isArray(o.resourceRequirements) ? o.resourceRequirements : []).forEach((r, i) => {
    const field = `${path}.resourceRequirements[${i}]`;
    const type = isObject(r) ? r.type : undefined;
    if (typeof type !== 'string' || !(RESOURCE_TYPES as readonly string[]).includes(type)) {
      out.push(
        c.report({
          field: `${field}.type`,
          problem: 'the resource type is not one Batch knows.',
          value: type,
          allowed: RESOURCE_TYPES.join(', '),
          fix: 'Use "VCPU", "MEMORY" (MiB) or "GPU".',
        }),
      );
      return;
    }
    out.push(
      ...whenKnown(c, c.ref, `${field}.value`, isObject(r) ? r.value : undefined, (v) => {
        const n = typeof v === 'string' ? parseDecimal(v) : undefined;
        const ok =
          n !== undefined && n > 0 && (type === 'VCPU' || Number.isInteger(n)) && (type !== 'MEMORY' || n >= 4);
        if (ok) return [];
        return [
          c.report({
            field: `${field}.value`,
            problem:
              `the ${type} override is not a positive ${type === 'VCPU' ? '' : 'whole '}number` +
              `${type === 'MEMORY' ? ' of at least 4 MiB' : ''}.`,
            value: v,
            allowed:
              type === 'VCPU'
                ? 'a string of a number > 0, e.g. "2"'
                : type === 'MEMORY'
                  ? 'a string of an integer >= 4, e.g. "2048"'
                  : 'a string of an integer > 0, e.g. "1"',
            fix: `Write the ${type} amount as a decimal string, or leave the entry out to keep the job definition's.`,
          }),
        ];
      }),
    );
  });
  return out;
}

/** An amount as overrides state it: resourceRequirements first, then the deprecated field. */
function overrideAmount(
  o: ContainerOverrides | undefined,
  type: 'VCPU' | 'MEMORY',
): { raw: unknown; field: string } | undefined {
  const reqs = Array.isArray(o?.resourceRequirements) ? o.resourceRequirements : [];
  const i = reqs.findIndex((r) => r?.type === type);
  if (i >= 0) return { raw: reqs[i].value, field: `containerOverrides.resourceRequirements[${i}].value` };
  const key = type === 'VCPU' ? 'vcpus' : 'memory';
  return o?.[key] !== undefined ? { raw: o[key], field: `containerOverrides.${key}` } : undefined;
}

/** The vCPU/memory a Fargate job runs with after overrides must be in the Fargate table. */
export function fargateOverrideFindings(c: SubmitJobCheckContext, d: JobDefinition): Finding[] {
  if (!isFargateDefinition(d) || !isObject(d.containerProperties)) return [];
  const o = c.request.containerOverrides;
  const vOverride = overrideAmount(o, 'VCPU');
  const mOverride = overrideAmount(o, 'MEMORY');
  if (!vOverride && !mOverride) return []; // the definition alone is checked by BATCH-JD-024
  const vDef = resourceSource(d.containerProperties, 'VCPU');
  const mDef = resourceSource(d.containerProperties, 'MEMORY');
  const v = vOverride ?? (vDef && { raw: vDef.raw, field: `jobDefinition containerProperties.${vDef.field}` });
  const m = mOverride ?? (mDef && { raw: mDef.raw, field: `jobDefinition containerProperties.${mDef.field}` });
  if (!v || !m) return [];
  return whenKnown(c, c.ref, v.field, v.raw, () =>
    whenKnown(c, c.ref, m.field, m.raw, () => {
      const toNumber = (raw: unknown): number | undefined =>
        typeof raw === 'number' ? raw : typeof raw === 'string' ? parseDecimal(raw) : undefined;
      const vcpus = toNumber(v.raw);
      const mem = toNumber(m.raw);
      if (vcpus === undefined || mem === undefined) return []; // reported by BATCH-SJ-009
      if (fargateMemoryOptions(vcpus).includes(mem)) return [];
      return [
        c.report({
          field: mOverride ? mOverride.field : v.field,
          problem:
            `the job definition "${d.jobDefinitionName}" runs on Fargate, which ` +
            `does not run ${vcpus} vCPU with ${mem} MiB of memory.`,
          value: { vcpus, memoryMiB: mem },
          allowed: fargateMemoryOptions(vcpus).length
            ? `with ${vcpus} vCPU: ${describeFargateMemoryOptions(vcpus)}`
            : `vCPU one of ${FARGATE_VCPU_VALUES.join(', ')}`,
          fix: 'Override VCPU and MEMORY together with a pair from the Fargate table.',
        }),
      ];
    }),
  );
}
