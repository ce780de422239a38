/**
 * `BATCH-JD-035`: EFS volume settings Batch rejects at registration. Transit encryption is required
 * with an access point and with IAM authorization, and a root directory other than `/` cannot be
 * combined with an access point (the access point's path is the root).
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_EFSVolumeConfiguration.html
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_EFSAuthorizationConfig.html
 */
import type { Finding } from './finding';
import { containerRule, isObject } from './job-definition-common';
import type { Rule } from './rule';

const efsSettings = containerRule(
  'BATCH-JD-035',
  'error',
  'EFS volumes use transit encryption with an access point or IAM authorization, ' +
    'and no rootDirectory other than "/" with an access point.',
  (c, at) => {
    const volumes = Array.isArray(at.container.volumes) ? at.container.volumes : [];
    return volumes.flatMap((v, i): Finding[] => {
      const efs = isObject(v) ? v.efsVolumeConfiguration : undefined;
      if (!isObject(efs)) return [];
      const field = `${at.path}.volumes[${i}].efsVolumeConfiguration`;
      const auth = isObject(efs.authorizationConfig) ? efs.authorizationConfig : {};
      const accessPoint = auth.accessPointId !== undefined;
      const iam = auth.iam === 'ENABLED';
      const out: Finding[] = [];
      if ((accessPoint || iam) && efs.transitEncryption !== 'ENABLED') {
        const needs = accessPoint ? 'an access point' : 'IAM authorization';
        out.push(
          c.report({
            field: `${field}.transitEncryption`,
            problem:
              `volume "${String(v.name)}" uses ${needs} without transit encryption; ` +
              'Batch requires transit encryption for EFS access points and IAM authorization.',
            value: efs.transitEncryption ?? 'DISABLED (default)',
            allowed: 'ENABLED',
            fix:
              'set transitEncryption to ENABLED ' +
              "(batchkit's JobVolume.efs does unless enableTransitEncryption is false).",
          }),
        );
      }
      const root = efs.rootDirectory;
      if (accessPoint && root !== undefined && root !== '/') {
        out.push(
          c.report({
            field: `${field}.rootDirectory`,
            problem:
              `volume "${String(v.name)}" sets a root directory with an access point; ` +
              "the access point's path is the root.",
            value: root,
            allowed: 'no rootDirectory, or "/", with an access point',
            fix: 'omit rootDirectory (or set "/") and configure the path on the access point.',
          }),
        );
      }
      return out;
    });
  },
);

/** EFS volume rules. */
export const EFS_RULES: readonly Rule[] = [efsSettings];
