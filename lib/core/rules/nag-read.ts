/**
 * Readers the nag checks share with the loader and the CDK aspect: values of resolved properties
 * written in CloudFormation case (`HttpTokens`) or in the camelCase of CDK L1 props (`httpTokens`).
 */
import type { BlockDeviceModel, LaunchTemplateModel, PolicyStatementModel } from '../model/batch-model';
import { isUnresolved, unresolvedString } from '../model/unresolved';

/** A plain object. */
type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True for an intrinsic function object left in a value (`{ Ref }`, `{ "Fn::GetAtt": ... }`). */
export function isIntrinsic(v: unknown): boolean {
  return isObj(v) && Object.keys(v).some((k) => k === 'Ref' || k.startsWith('Fn::'));
}

/** True when the value is known before deployment: not a token, not an intrinsic function. */
export function isKnownValue(v: unknown): boolean {
  return v !== undefined && !isUnresolved(v) && !isIntrinsic(v);
}

/** A key in camelCase or PascalCase. */
export function pick(obj: unknown, camel: string): unknown {
  if (!isObj(obj)) return undefined;
  if (obj[camel] !== undefined) return obj[camel];
  return obj[camel.charAt(0).toUpperCase() + camel.slice(1)];
}

/** An object value, or undefined. */
function pickObj(obj: unknown, camel: string): Obj | undefined {
  const v = pick(obj, camel);
  return isObj(v) ? v : undefined;
}

/** A list value (a single value becomes a one-element list), or []. */
function pickList(obj: unknown, camel: string): unknown[] {
  const v = pick(obj, camel);
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** A string, a token string for an unknown value, or undefined. */
function stringOrToken(v: unknown, what: string): string | undefined {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return undefined;
  return isIntrinsic(v) ? unresolvedString(what) : String(v);
}

/** `true`/`"true"` → true, `false`/`"false"` → false, an unknown value → token string. */
function booleanOrToken(v: unknown, what: string): boolean | string | undefined {
  if (v === true || v === false) return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  if (v === undefined || v === null) return undefined;
  return isKnownValue(v) ? String(v) : unresolvedString(what);
}

/** What the nag checks read of `LaunchTemplateData`: IMDS tokens and block devices. */
export function launchTemplateSecurityOf(data: unknown): Pick<LaunchTemplateModel, 'httpTokens' | 'blockDevices'> {
  const tokens = stringOrToken(pick(pickObj(data, 'metadataOptions'), 'httpTokens'), 'MetadataOptions.HttpTokens');
  const mappings = pick(data, 'blockDeviceMappings');
  const devices = Array.isArray(mappings)
    ? mappings.filter(isObj).map((m): BlockDeviceModel => {
        const ebs = pickObj(m, 'ebs');
        const deviceName = pick(m, 'deviceName');
        const encrypted = booleanOrToken(pick(ebs, 'encrypted'), 'Ebs.Encrypted');
        const snapshot = pick(ebs, 'snapshotId');
        return {
          ...(typeof deviceName === 'string' ? { deviceName } : {}),
          ebs: ebs !== undefined,
          ...(encrypted !== undefined ? { encrypted } : {}),
          ...(snapshot !== undefined ? { fromSnapshot: true } : {}),
        };
      })
    : undefined;
  return { ...(tokens !== undefined ? { httpTokens: tokens } : {}), ...(devices ? { blockDevices: devices } : {}) };
}

/** The statements of a resolved IAM policy document: effect, string actions and resources. */
export function policyStatementsOf(document: unknown): PolicyStatementModel[] {
  return pickList(document, 'statement').map((s) => {
    const effect = pick(s, 'effect');
    return {
      ...(typeof effect === 'string' ? { effect } : {}),
      actions: pickList(s, 'action').filter((a): a is string => typeof a === 'string'),
      resources: pickList(s, 'resource').filter((r): r is string => typeof r === 'string'),
    };
  });
}

/** The launch template logical ids a resolved `ComputeResources` names through `Ref`/`Fn::GetAtt` (with overrides). */
export function referencedLaunchTemplateIds(computeResources: unknown): string[] {
  const lt = pickObj(computeResources, 'launchTemplate');
  if (!lt) return [];
  const ids = new Set<string>();
  for (const spec of [lt, ...pickList(lt, 'overrides')]) {
    for (const key of ['launchTemplateId', 'launchTemplateName']) {
      const v = pick(spec, key);
      if (!isObj(v)) continue;
      const getAtt = v['Fn::GetAtt'];
      if (typeof v.Ref === 'string') ids.add(v.Ref);
      else if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') ids.add(getAtt[0]);
    }
  }
  return [...ids];
}
