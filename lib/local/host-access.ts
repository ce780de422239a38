/**
 * What a job container may reach on the developer's machine. AWS lets EC2 jobs mount host paths,
 * pass host devices and run privileged; on a laptop the "host" is the developer's own files, so
 * the local executor allows, by default, host volumes (`volumes[].host.sourcePath`) only inside
 *
 * - the project directory: the directory batchkit runs in (`process.cwd()`), and
 * - the OS temporary directory (`os.tmpdir()`),
 *
 * plus the paths given with `--allow-host-path PATH` (repeatable). Paths are compared after `..`
 * and symbolic links are resolved. `/` and the Docker socket count as outside unless a
 * `--allow-host-path` names them (or a directory above the socket) explicitly. Host devices
 * (`linuxParameters.devices`) need `--allow-devices`. `privileged: true` and a mounted Docker
 * socket are allowed but warned about once per job definition.
 *
 * A missing host path inside the allowed set is created (`mkdir -p`) before the container starts,
 * as the Docker daemon does for ECS host volumes.
 */
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BatchkitError } from '../core/errors';
import { definitionContainers } from '../core/model/resources';
import type { JobDefinition } from '../core/model/job-definition';
import {
  PrepareError,
  type ContainerRuntime,
  type ContainerSpec,
  type FoundContainer,
  type PreparedContainer,
} from './runtime/container-runtime';

/** Error code of a job definition that reaches outside the allowed host paths or uses devices without opt-in. */
export const HOST_ACCESS_ERROR = 'BATCHKIT-LOCAL-601';

/** The Docker socket's usual paths (`/var/run` is a link to `/run` on most systems). */
const DOCKER_SOCKETS = ['/var/run/docker.sock', '/run/docker.sock'];

/** Options of {@link HostAccess}. */
export interface HostAccessOptions {
  /** More host paths job containers may mount (`--allow-host-path`). @default - none */
  readonly allowHostPaths?: readonly string[];
  /** The project directory, allowed by default. @default - the current working directory */
  readonly projectDir?: string;
  /** Let job definitions pass host devices (`--allow-devices`). @default false */
  readonly allowDevices?: boolean;
}

/** An allowed host path and why it is allowed. */
export interface AllowedHostPath {
  /** Resolved absolute path (symbolic links followed). */
  readonly path: string;
  /** `project directory`, `temporary directory` or `--allow-host-path`. */
  readonly source: 'project directory' | 'temporary directory' | '--allow-host-path';
}

/** The host access policy of an executor: one place that checks definitions and prepares mounts. */
export class HostAccess {
  /** Allowed paths, defaults first. */
  readonly allowed: readonly AllowedHostPath[];
  private readonly allowDevices: boolean;

  constructor(options: HostAccessOptions = {}) {
    const defaults: AllowedHostPath[] = [
      { path: resolveHostPath(options.projectDir ?? process.cwd()), source: 'project directory' as const },
      { path: resolveHostPath(tmpdir()), source: 'temporary directory' as const },
    ].filter((a) => a.path !== path.parse(a.path).root); // `/` is never allowed by default
    const explicit = (options.allowHostPaths ?? []).map((p) => ({
      path: resolveHostPath(p),
      source: '--allow-host-path' as const,
    }));
    this.allowed = [...defaults, ...explicit];
    this.allowDevices = options.allowDevices === true;
  }

  /**
   * Checks every container of a job definition. Throws a BatchkitError ({@link HOST_ACCESS_ERROR},
   * kind `input`) for a host volume outside the allowed paths or a device without opt-in; returns
   * warnings (privileged, the Docker socket) for the caller to print.
   */
  check(
    jd: Pick<JobDefinition, 'jobDefinitionName' | 'containerProperties' | 'nodeProperties'> & { revision?: number },
  ): string[] {
    const name =
      `job definition "${jd.jobDefinitionName}"` + `${jd.revision !== undefined ? ` (revision ${jd.revision})` : ''}`;
    const warnings: string[] = [];
    for (const { container, path: at } of definitionContainers(jd as JobDefinition)) {
      (container.volumes ?? []).forEach((v, i) => {
        const source = v?.host?.sourcePath;
        if (typeof source !== 'string' || source === '') return;
        const where = `${at}.volumes[${i}] ("${v.name ?? ''}")`;
        const refusal = this.refusal(source);
        if (refusal) {
          throw new BatchkitError(HOST_ACCESS_ERROR, 'input', `${name} ${where} mounts host path ${source}${refusal}`, {
            fix:
              `mount a directory inside ${this.describeAllowed()}, or allow this one ` +
              `explicitly with --allow-host-path ${source} (in code: hostAccess.allowHostPaths).`,
          });
        }
        if (isDockerSocket(resolveHostPath(source))) {
          warnings.push(
            `${name} ${where} mounts the Docker socket ${source}: its containers ` +
              `can start containers as root on this machine.`,
          );
        }
      });
      const devices = container.linuxParameters?.devices ?? [];
      if (devices.length > 0 && !this.allowDevices) {
        throw new BatchkitError(
          HOST_ACCESS_ERROR,
          'input',
          `${name} ${at}.linuxParameters.devices passes host device(s) ` +
            `${devices.map((d) => d.hostPath).join(', ')} to its containers; on ` +
            `this machine that reaches the developer's own hardware, so the local ` +
            `executor needs an explicit opt-in.`,
          {
            fix:
              'pass --allow-devices (in code: hostAccess.allowDevices: true), or ' +
              'remove the devices for local runs.',
          },
        );
      }
      if (container.privileged === true) {
        warnings.push(
          `${name} ${at}.privileged is true: its containers run with every ` +
            `capability and all host devices of this machine.`,
        );
      }
    }
    return warnings;
  }

  /**
   * Before a container starts: re-checks a host path (the file system may have changed since the
   * definition was checked) and creates it (`mkdir -p`) when missing, as the Docker daemon does for
   * ECS host volumes. Throws a BatchkitError when the path is outside the allowed set.
   */
  prepareMount(hostPath: string): void {
    const refusal = this.refusal(hostPath);
    if (refusal) {
      throw new BatchkitError(HOST_ACCESS_ERROR, 'input', `host path ${hostPath}${refusal}`, {
        fix: `allow it with --allow-host-path ${hostPath}.`,
      });
    }
    if (!existsSync(hostPath)) mkdirSync(hostPath, { recursive: true });
  }

  /** Why `source` may not be mounted (a sentence ending), or undefined. */
  private refusal(source: string): string | undefined {
    if (!path.isAbsolute(source)) {
      return ', which is not an absolute path; host volumes name a path on the host from its root (e.g. /data).';
    }
    const resolved = resolveHostPath(source);
    const via = resolved !== path.resolve(source) ? ` (${resolved} once symbolic links are followed)` : '';
    const covering = this.allowed.filter((a) => isWithin(resolved, a.path));
    if (covering.length === 0) {
      return (
        `${via}, outside the host paths job containers may use: ` +
        `${this.describeAllowed()}. Rule: on this machine a host volume reaches ` +
        `your own files, so only these paths are allowed.`
      );
    }
    if (isDockerSocket(resolved) && !covering.some((a) => a.source === '--allow-host-path')) {
      return (
        `${via}, the Docker socket. Rule: the Docker socket lets a container ` +
        `control the engine as root, so it must be allowed explicitly.`
      );
    }
    return undefined;
  }

  private describeAllowed(): string {
    return this.allowed.map((a) => `${a.path} (${a.source})`).join(', ');
  }
}

/** `p` made absolute with `..` removed and symbolic links followed as far as the path exists. */
export function resolveHostPath(p: string): string {
  const absolute = path.resolve(p);
  const missing: string[] = [];
  let existing = absolute;
  for (;;) {
    try {
      return path.join(realpathSync(existing), ...missing.reverse());
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return absolute;
      missing.push(path.basename(existing));
      existing = parent;
    }
  }
}

function isWithin(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : `${dir}${path.sep}`);
}

function isDockerSocket(resolved: string): boolean {
  return DOCKER_SOCKETS.some((s) => resolved === s || resolved === resolveHostPath(s));
}

/**
 * A {@link ContainerRuntime} that runs {@link HostAccess.prepareMount} on every host path of a
 * container before the inner runtime creates it: a path outside the allowed set, or one that cannot
 * be created, fails the attempt with `CannotCreateContainerError: ...`.
 */
export class HostMountRuntime implements ContainerRuntime {
  constructor(
    private readonly inner: ContainerRuntime,
    private readonly access: HostAccess,
  ) {}

  ping(): Promise<void> {
    return this.inner.ping();
  }

  prepare(spec: ContainerSpec): Promise<PreparedContainer> {
    for (const m of spec.mounts ?? []) {
      if (m.hostPath === undefined || m.hostPath === '') continue;
      try {
        this.access.prepareMount(m.hostPath);
      } catch (e) {
        return Promise.reject(
          new PrepareError({ kind: 'create-failed', message: e instanceof Error ? e.message : String(e) }),
        );
      }
    }
    return this.inner.prepare(spec);
  }

  list(runId?: string): Promise<FoundContainer[]> {
    return this.inner.list(runId);
  }

  removeVolume(name: string): Promise<void> {
    return this.inner.removeVolume?.(name) ?? Promise.resolve();
  }
}
