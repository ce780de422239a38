/**
 * BATCHKIT-NAG-001 (IMDSv2) and BATCHKIT-NAG-002 (encrypted EBS) over a launch template used by a
 * Batch compute environment. Fields are CloudFormation property paths (launch templates have no
 * Batch API shape).
 */
import type { LaunchTemplateModel } from '../model/batch-model';
import { isUnresolved } from '../model/unresolved';
import { BatchkitNagRule, type NagHit } from './nag-codes';

/** Checks one launch template. A value known only at deployment is not reported. */
export function nagLaunchTemplate(lt: Pick<LaunchTemplateModel, 'httpTokens' | 'blockDevices'>): NagHit[] {
  const hits: NagHit[] = [];
  const tokens = lt.httpTokens;
  if (tokens !== 'required' && (tokens === undefined || !isUnresolved(tokens))) {
    hits.push({
      rule: BatchkitNagRule.IMDSV2_REQUIRED,
      field: 'LaunchTemplateData.MetadataOptions.HttpTokens',
      problem:
        tokens === undefined
          ? 'is not set, so instances accept IMDSv1 unless the AMI requires IMDSv2.'
          : 'allows IMDSv1 requests, which let an SSRF bug in a job read the instance role credentials.',
      value: tokens === undefined ? '(not set)' : tokens,
      fix:
        "set MetadataOptions { HttpTokens: 'required', HttpPutResponseHopLimit: 2 } " +
        "(batchkit's BatchLaunchTemplate does so by default).",
    });
  }
  (lt.blockDevices ?? []).forEach((device, i) => {
    if (!device.ebs) return; // instance store or NoDevice: nothing to encrypt
    const encrypted = device.encrypted;
    if (encrypted === true || (typeof encrypted === 'string' && isUnresolved(encrypted))) return;
    hits.push({
      rule: BatchkitNagRule.EBS_ENCRYPTED,
      field: `LaunchTemplateData.BlockDeviceMappings[${i}].Ebs.Encrypted`,
      problem: `volume ${device.deviceName ?? `#${i}`} is not encrypted${
        device.fromSnapshot ? ' (a volume from an unencrypted snapshot stays unencrypted)' : ''
      }.`,
      value: encrypted === undefined ? '(not set)' : String(encrypted),
      fix: 'set Ebs.Encrypted: true (optionally with KmsKeyId); with BatchLaunchTemplate, remove encrypted: false.',
    });
  });
  return hits;
}
