/**
 * EKS `secret` volumes on the local executor. A Kubernetes secret is given to batchkit like the other secrets
 * (`--secrets`, `LocalBatch` `secrets`): one entry per key, `eks-secret/<secretName>/<key>`. Each attempt that
 * mounts the secret gets a directory of its own with one read-only file per key (Kubernetes' default mode 0644;
 * the directory holding them all is private to the user), mounted read-only, removed when the attempt ends.
 */
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

/** The prefix of a Kubernetes secret's keys among the secrets given to batchkit. */
export const EKS_SECRET_PREFIX = 'eks-secret/';

/** A Kubernetes key name: letters, digits, `-`, `_`, `.` (not `.` or `..`). */
export function isKubernetesKey(key: string): boolean {
  return /^[-._a-zA-Z0-9]+$/.test(key) && key !== '.' && key !== '..';
}

/** A `secret` volume mounted in one container of an attempt. */
export interface SecretVolumeMount {
  /** `secret.secretName`. */
  readonly secretName: string;
  /** `secret.optional`: a missing secret mounts an empty directory instead of failing the container. */
  readonly optional: boolean;
  /** Path in the container. */
  readonly containerPath: string;
  /** The attempt's directory for this volume (see {@link secretVolumeDir}). */
  readonly hostDir: string;
}

/** The parent of every attempt's secret directories: private to the user running batchkit. */
function secretsRoot(): string {
  const root = path.join(tmpdir(), `batchkit-secret-volumes-${process.getuid?.() ?? 'user'}`);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  chmodSync(root, 0o700);
  return root;
}

/** The directory of one secret volume of one attempt. */
export function secretVolumeDir(jobId: string, attempt: number, volume: string): string {
  const safe = (s: string) => s.replace(/[^-_a-zA-Z0-9.]/g, '_');
  return path.join(secretsRoot(), `${safe(jobId)}-${attempt}-${safe(volume)}`);
}

/** The secret is not among those given to batchkit (and the volume is not optional). */
export class MissingSecretVolumeError extends Error {
  constructor(readonly secretName: string) {
    super(
      `CreateContainerConfigError: secret "${secretName}" not found: batchkit was given no key ` +
        `"${EKS_SECRET_PREFIX}${secretName}/<key>"; pass it with --secrets as ` +
        `{"${EKS_SECRET_PREFIX}${secretName}": {"<key>": "<value>"}} or mark the volume optional`,
    );
    this.name = 'MissingSecretVolumeError';
  }
}

/** The keys and values of one Kubernetes secret among the secrets given to batchkit. */
export function secretKeys(secrets: Readonly<Record<string, string>>, secretName: string): [string, string][] {
  const prefix = `${EKS_SECRET_PREFIX}${secretName}/`;
  return Object.entries(secrets)
    .filter(([k]) => k.startsWith(prefix))
    .map(([k, v]): [string, string] => [k.slice(prefix.length), v])
    .filter(([k]) => isKubernetesKey(k));
}

/**
 * Writes the files of the attempt's secret volumes and returns their mounts. Throws
 * {@link MissingSecretVolumeError} for a missing secret that is not optional.
 */
export function writeSecretVolumes(
  volumes: readonly SecretVolumeMount[],
  secrets: Readonly<Record<string, string>>,
): { hostPath: string; containerPath: string; readOnly: true }[] {
  return volumes.map((v) => {
    const keys = secretKeys(secrets, v.secretName);
    if (keys.length === 0 && !v.optional) throw new MissingSecretVolumeError(v.secretName);
    // Written once per attempt: the containers of a pod that mount the secret share the directory (one of them may
    // already run with it mounted, or run on after a restart of batchkit).
    if (!existsSync(v.hostDir)) {
      mkdirSync(v.hostDir, { mode: 0o755 });
      for (const [key, value] of keys) writeFileSync(path.join(v.hostDir, key), value, { mode: 0o444 });
    }
    return { hostPath: v.hostDir, containerPath: v.containerPath, readOnly: true };
  });
}

/** Removes an attempt's secret directories. */
export function removeSecretVolumes(dirs: readonly string[]): void {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}

/**
 * True for the entry of a whole Kubernetes secret in a `--secrets` file (`eks-secret/<secretName>`, its value an
 * object of keys), which stands for one entry per key:
 * `{"eks-secret/db": {"password": "x"}}` → `eks-secret/db/password`.
 */
export function isEksSecretEntry(name: string): boolean {
  return name.startsWith(EKS_SECRET_PREFIX) && !name.slice(EKS_SECRET_PREFIX.length).includes('/');
}
