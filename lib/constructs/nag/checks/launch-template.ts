/**
 * BATCHKIT-NAG-001 (IMDSv2) and BATCHKIT-NAG-002 (encrypted EBS) over the resolved
 * `LaunchTemplateData` of a launch template used by a Batch compute environment.
 */
import { BatchkitNagRule } from '../nag-rule';
import { type NagHit, isKnown, isObj, isTrue, pick, pickList, pickObj } from './hit';

/** Checks one resolved `LaunchTemplateData`. */
export function checkBatchLaunchTemplate(data: unknown): NagHit[] {
  const hits: NagHit[] = [];
  const metadata = pickObj(data, 'metadataOptions');
  const tokens = pick(metadata, 'httpTokens');
  if (tokens !== 'required' && (tokens === undefined || isKnown(tokens))) {
    hits.push({
      rule: BatchkitNagRule.IMDSV2_REQUIRED,
      field: 'LaunchTemplateData.MetadataOptions.HttpTokens',
      problem:
        tokens === undefined
          ? 'is not set, so instances accept IMDSv1 unless the AMI requires IMDSv2.'
          : 'allows IMDSv1 requests, which let an SSRF bug in a job read the instance role credentials.',
      value: tokens === undefined ? '(not set)' : String(tokens),
      fix: "set MetadataOptions { HttpTokens: 'required', HttpPutResponseHopLimit: 2 } (batchkit's BatchLaunchTemplate does so by default).",
    });
  }
  pickList(data, 'blockDeviceMappings').forEach((mapping, i) => {
    const ebs = pickObj(mapping, 'ebs');
    if (!isObj(mapping) || !ebs) return; // instance store or NoDevice: nothing to encrypt
    const encrypted = pick(ebs, 'encrypted');
    if (isTrue(encrypted) || (encrypted !== undefined && !isKnown(encrypted))) return;
    const device = pick(mapping, 'deviceName');
    const snapshot = pick(ebs, 'snapshotId');
    hits.push({
      rule: BatchkitNagRule.EBS_ENCRYPTED,
      field: `LaunchTemplateData.BlockDeviceMappings[${i}].Ebs.Encrypted`,
      problem: `volume ${typeof device === 'string' ? device : `#${i}`} is not encrypted${
        snapshot !== undefined ? ' (a volume from an unencrypted snapshot stays unencrypted)' : ''
      }.`,
      value: encrypted === undefined ? '(not set)' : String(encrypted),
      fix: 'set Ebs.Encrypted: true (optionally with KmsKeyId); with BatchLaunchTemplate, remove encrypted: false.',
    });
  });
  return hits;
}

/**
 * The logical ids of launch templates that one resolved `ComputeResources` refers to (in
 * `LaunchTemplate` and in `LaunchTemplate.Overrides`), through `Ref` or `Fn::GetAtt`.
 */
export function referencedLaunchTemplateIds(computeResources: unknown): string[] {
  const specs: unknown[] = [];
  const lt = pickObj(computeResources, 'launchTemplate');
  if (lt) {
    specs.push(lt);
    specs.push(...pickList(lt, 'overrides'));
  }
  const ids = new Set<string>();
  for (const spec of specs) {
    for (const key of ['launchTemplateId', 'launchTemplateName']) {
      const id = referencedLogicalId(pick(spec, key));
      if (id) ids.add(id);
    }
  }
  return [...ids];
}

function referencedLogicalId(v: unknown): string | undefined {
  if (!isObj(v)) return undefined;
  if (typeof v.Ref === 'string') return v.Ref;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}
