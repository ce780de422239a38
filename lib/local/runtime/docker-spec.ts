/**
 * Maps a {@link ContainerSpec} to the Docker Engine's `POST /containers/create` body.
 * Pure: no engine calls, so every mapping rule is unit-tested without Docker.
 * @see https://docs.docker.com/reference/api/engine/version/v1.41/#tag/Container/operation/ContainerCreate
 */
import type { ContainerCreateOptions, HostConfig } from 'dockerode';
import { LABELS, type ContainerSpec } from './container-runtime';

const MIB = 1024 * 1024;

/** What the engine's host offers, used to keep limits inside what the engine accepts. */
export interface EngineHost {
  /** CPUs the engine sees (`docker info` NCPU). */
  readonly cpus: number;
  /** GPUs on the host (NVIDIA device nodes). */
  readonly gpus: number;
}

/** Docker's `CgroupPermissions` string (`rwm`) from Batch's `READ`/`WRITE`/`MKNOD` list or a `rwm` string. */
export function cgroupPermissions(permissions: string | undefined): string {
  if (permissions === undefined || permissions.trim() === '') return 'rwm';
  const trimmed = permissions.trim();
  if (/^[rwm]+$/.test(trimmed)) return trimmed;
  const letters: Record<string, string> = { READ: 'r', WRITE: 'w', MKNOD: 'm' };
  let out = '';
  for (const token of trimmed.split(/[\s,|]+/)) {
    const letter = letters[token.toUpperCase()];
    if (letter === undefined) {
      throw new Error(
        `device permission "${token}" is not one of READ, WRITE, MKNOD (linuxParameters.devices[].permissions).`,
      );
    }
    if (!out.includes(letter)) out += letter;
  }
  return 'rwm'
    .split('')
    .filter((l) => out.includes(l))
    .join('');
}

/**
 * The labels every batchkit container carries: managed flag, run id, job id and attempt, plus the
 * spec's own labels (which cannot override the batchkit ones).
 */
export function containerLabels(spec: ContainerSpec): Record<string, string> {
  return {
    ...(spec.labels ?? {}),
    [LABELS.managed]: 'true',
    [LABELS.runId]: spec.runId,
    [LABELS.jobId]: spec.jobId,
    [LABELS.attempt]: String(spec.attempt),
    ...(spec.member !== undefined ? { [LABELS.member]: spec.member } : {}),
  };
}

/**
 * A container name that is unique, readable in `docker ps` and valid for the engine
 * (`[a-zA-Z0-9][a-zA-Z0-9_.-]+`): `batchkit-<job id>-<attempt>-<run id prefix>`.
 */
export function containerName(spec: ContainerSpec): string {
  const safe = (s: string) => s.replace(/[^a-zA-Z0-9_.-]/g, '_');
  const member = spec.member !== undefined ? `-${safe(spec.member)}` : '';
  return `batchkit-${safe(spec.jobId)}-a${spec.attempt}${member}-${safe(spec.runId).slice(0, 12)}`;
}

/** The create body for `spec`. `image` is the local reference to run (already resolved). */
export function toCreateOptions(spec: ContainerSpec, image: string, host: EngineHost): ContainerCreateOptions {
  const memory = Math.round(spec.memoryMiB * MIB);
  const maxSwap = spec.maxSwapMiB;
  const hostConfig: HostConfig = {
    NetworkMode: spec.network ?? 'none',
    // ECS semantics: shares proportional to vCPUs (soft), plus a hard quota so a local run
    // cannot take more CPU than the job reserved. The engine refuses quotas above its CPU count.
    CpuShares: Math.max(2, Math.round(spec.vcpus * 1024)),
    NanoCpus: Math.round(Math.min(spec.vcpus, host.cpus) * 1e9),
    Memory: memory,
    // Batch: no swap unless maxSwap is set; then the total is memory + maxSwap.
    MemorySwap: maxSwap !== undefined && maxSwap > 0 ? memory + Math.round(maxSwap * MIB) : memory,
    ReadonlyRootfs: spec.readonlyRootFilesystem === true,
    Privileged: spec.privileged === true,
  };
  if (spec.swappiness !== undefined) hostConfig.MemorySwappiness = spec.swappiness;
  if (spec.ulimits && spec.ulimits.length > 0) {
    hostConfig.Ulimits = spec.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard }));
  }
  if (spec.devices && spec.devices.length > 0) {
    hostConfig.Devices = spec.devices.map((d) => ({
      PathOnHost: d.hostPath,
      PathInContainer: d.containerPath ?? d.hostPath,
      CgroupPermissions: cgroupPermissions(d.permissions),
    }));
  }
  if (spec.tmpfs && Object.keys(spec.tmpfs).length > 0) hostConfig.Tmpfs = { ...spec.tmpfs };
  if (spec.sharedMemoryMiB !== undefined && spec.sharedMemoryMiB > 0) {
    hostConfig.ShmSize = Math.round(spec.sharedMemoryMiB * MIB);
  }
  if (spec.init === true) hostConfig.Init = true;
  if (spec.mounts && spec.mounts.length > 0) {
    hostConfig.Mounts = spec.mounts.map((m) => {
      const readOnly = m.readOnly === true;
      if (m.hostPath !== undefined && m.hostPath !== '') {
        return { Type: 'bind' as const, Source: m.hostPath, Target: m.containerPath, ReadOnly: readOnly };
      }
      if (m.volumeName !== undefined) {
        const labels = { [LABELS.managed]: 'true', [LABELS.jobId]: spec.jobId };
        const VolumeOptions = { NoCopy: false, Labels: labels, DriverConfig: { Name: 'local', Options: {} } };
        const Target = m.containerPath;
        return { Type: 'volume' as const, Source: m.volumeName, Target, ReadOnly: readOnly, VolumeOptions };
      }
      return { Type: 'volume' as const, Source: '', Target: m.containerPath, ReadOnly: readOnly };
    });
  }
  const gpus = spec.gpus ?? 0;
  if (gpus > 0) {
    hostConfig.DeviceRequests = [{ Driver: 'nvidia', Count: gpus, Capabilities: [['gpu']] }];
  }
  const options: ContainerCreateOptions = {
    name: containerName(spec),
    Image: image,
    Env: Object.entries(spec.environment).map(([k, v]) => `${k}=${v}`),
    Labels: containerLabels(spec),
    Tty: false,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    OpenStdin: false,
    HostConfig: hostConfig,
  };
  if (spec.command && spec.command.length > 0) options.Cmd = [...spec.command];
  if (spec.entrypoint && spec.entrypoint.length > 0) options.Entrypoint = [...spec.entrypoint];
  if (spec.user !== undefined && spec.user !== '') options.User = spec.user;
  return options;
}

/**
 * Why a spec cannot run on this host, or undefined when it can. Today only GPUs: a job that
 * reserves GPUs on a host without any is refused with a reason instead of an obscure engine error.
 */
export function hostRefusal(spec: ContainerSpec, host: EngineHost): string | undefined {
  const gpus = spec.gpus ?? 0;
  if (gpus > host.gpus) {
    return (
      `the job reserves ${gpus} GPU(s) but this Docker host has ${host.gpus}` +
      ' (no NVIDIA device found); batchkit local can only run GPU jobs on a ' +
      'host with NVIDIA GPUs and the NVIDIA container toolkit.'
    );
  }
  return undefined;
}
