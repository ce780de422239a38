/**
 * {@link ContainerRuntime} on a Docker Engine through dockerode (API 1.41+, `DOCKER_HOST` or
 * `/var/run/docker.sock`). Containers are created from a {@link ContainerSpec} (see docker-spec.ts
 * for the mapping), labelled with run id, job id and attempt, and never attached to a network other
 * than `none` or `host`. Images are resolved first (CDK docker image assets are built locally).
 */
import { readdirSync } from 'fs';
import type Dockerode from 'dockerode';
import type { DockerImageAssetModel } from '../../core/model/batch-model';
import { ImageResolver } from '../images/image-resolver';
import {
  LABELS,
  PrepareError,
  type ContainerRuntime,
  type ContainerSpec,
  type FoundContainer,
  type PreparedContainer,
} from './container-runtime';
import { engineAddress, engineMessage, engineUnreachable, isUnreachable, statusCode } from './docker-errors';
import { EngineWatch } from './engine-watch';
import { hostRefusal, toCreateOptions, type EngineHost } from './docker-spec';
import { DockerRunningContainer, startFailed } from './docker-container';

/**
 * A dockerode client. dockerode is required here, when the first runtime is created, not when this
 * module is imported: at load time it requires gRPC (BuildKit sessions) and ssh2 (`ssh://` engines),
 * together about 130 ms, so only the commands that talk to the engine pay for it.
 */
function createDockerClient(socketPath: string | undefined): Dockerode {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const DockerodeClass = require('dockerode') as typeof Dockerode;
  return socketPath ? new DockerodeClass({ socketPath }) : new DockerodeClass();
}

/** Options of {@link DockerRuntime}. */
export interface DockerRuntimeOptions {
  /** Unix socket of the engine. @default - `DOCKER_HOST` when set, else `/var/run/docker.sock` */
  readonly socketPath?: string;
  /** A ready dockerode client (takes precedence over `socketPath`). @default - one built from `socketPath` */
  readonly docker?: Dockerode;
  /** CDK docker image assets of the app, built on first use. @default - none */
  readonly assets?: readonly DockerImageAssetModel[];
  /** Progress lines of image builds. @default - silent */
  readonly onProgress?: (line: string) => void;
  /** How long `ping()` waits for the engine. @default 5000 */
  readonly pingTimeoutMs?: number;
  /** Time between engine heartbeats while containers are waited on. @default 2000 */
  readonly heartbeatMs?: number;
}

/** What the engine's host can give to jobs. */
export interface HostResources {
  /** CPUs the engine sees. */
  readonly cpus: number;
  /** Memory the engine sees, in MiB. */
  readonly memoryMiB: number;
  /** NVIDIA GPUs on the host. */
  readonly gpus: number;
}

/** The Docker implementation of {@link ContainerRuntime}. */
export class DockerRuntime implements ContainerRuntime {
  /** The dockerode client. */
  public readonly docker: Dockerode;
  /** Image resolution (local images by name, docker image assets built). */
  public readonly images: ImageResolver;
  private readonly address: string;
  private readonly pingTimeoutMs: number;
  private readonly watch: EngineWatch;
  private host?: Promise<HostResources>;

  constructor(options: DockerRuntimeOptions = {}) {
    this.address = engineAddress(options.socketPath);
    this.docker = options.docker ?? createDockerClient(options.socketPath);
    this.images = new ImageResolver(this.docker, { assets: options.assets, onProgress: options.onProgress });
    this.pingTimeoutMs = options.pingTimeoutMs ?? 5000;
    this.watch = new EngineWatch(() => this.docker.ping(), isUnreachable, { intervalMs: options.heartbeatMs });
  }

  /** Throws a BatchkitError of kind `environment` (BATCHKIT-DOCKER-001) when the engine does not answer. */
  async ping(): Promise<void> {
    try {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${this.pingTimeoutMs} ms`)), this.pingTimeoutMs);
      });
      try {
        await Promise.race([this.docker.ping(), timeout]);
      } finally {
        clearTimeout(timer);
      }
    } catch (e) {
      throw engineUnreachable(this.address, e);
    }
  }

  /** CPUs and memory the engine reports, and the NVIDIA GPUs of this host. Cached after the first call. */
  hostResources(): Promise<HostResources> {
    if (!this.host) {
      this.host = this.docker.info().then(
        (info: { NCPU?: number; MemTotal?: number }) => ({
          cpus: info.NCPU ?? 1,
          memoryMiB: Math.floor((info.MemTotal ?? 0) / (1024 * 1024)),
          gpus: countNvidiaDevices(),
        }),
        (e: unknown) => {
          this.host = undefined;
          throw isUnreachable(e) ? engineUnreachable(this.address, e) : e;
        },
      );
    }
    return this.host;
  }

  /** Resolves the image and creates the container (not started). Rejects with a {@link PrepareError}. */
  async prepare(spec: ContainerSpec): Promise<PreparedContainer> {
    let host: EngineHost;
    try {
      host = await this.hostResources();
    } catch (e) {
      throw new PrepareError({ kind: 'engine-unavailable', message: engineMessage(e) });
    }
    const refusal = hostRefusal(spec, host);
    if (refusal !== undefined) throw new PrepareError({ kind: 'create-failed', message: refusal });
    const image = await this.images.resolve(spec.image);
    let options: Dockerode.ContainerCreateOptions;
    try {
      options = toCreateOptions(spec, image, host);
    } catch (e) {
      throw new PrepareError({ kind: 'create-failed', message: engineMessage(e) });
    }
    let container: Dockerode.Container;
    try {
      container = await this.create(options);
    } catch (e) {
      throw this.prepareFailure(spec, image, e);
    }
    return new DockerPreparedContainer(this.docker, container.id, this.address, this.watch);
  }

  /** Containers labelled `batchkit.managed=true` (of one run when `runId` is given). */
  async list(runId?: string): Promise<FoundContainer[]> {
    const label = [`${LABELS.managed}=true`];
    if (runId !== undefined) label.push(`${LABELS.runId}=${runId}`);
    let found: Dockerode.ContainerInfo[];
    try {
      found = await this.docker.listContainers({ all: true, filters: { label } });
    } catch (e) {
      throw isUnreachable(e) ? engineUnreachable(this.address, e) : e;
    }
    return found.map((c) => ({
      id: c.Id,
      labels: { ...(c.Labels ?? {}) },
      running: c.State === 'running',
      started: c.State !== 'created',
      attach: () => new DockerRunningContainer(this.docker.getContainer(c.Id), this.address, this.watch),
    }));
  }

  /** Removes a named volume of a multi-container job's attempt (a volume already gone is not an error). */
  async removeVolume(name: string): Promise<void> {
    try {
      await this.docker.getVolume(name).remove();
    } catch (e) {
      if (statusCode(e) !== 404) throw isUnreachable(e) ? engineUnreachable(this.address, e) : e;
    }
  }

  /** Force-removes batchkit containers (of one run when `runId` is given); returns how many. */
  async reap(runId?: string): Promise<number> {
    const found = await this.list(runId);
    await Promise.all(found.map((c) => c.attach().remove()));
    return found.length;
  }

  private async create(options: Dockerode.ContainerCreateOptions): Promise<Dockerode.Container> {
    try {
      return await this.docker.createContainer(options);
    } catch (e) {
      // A leftover container holds the name (a re-used run id): let the engine pick one.
      if (statusCode(e) === 409 && options.name !== undefined) {
        return this.docker.createContainer({ ...options, name: undefined });
      }
      throw e;
    }
  }

  private prepareFailure(spec: ContainerSpec, image: string, e: unknown): PrepareError {
    if (isUnreachable(e)) return new PrepareError({ kind: 'engine-unavailable', message: engineMessage(e) });
    const message = engineMessage(e);
    if (statusCode(e) === 404 && /no such image/i.test(message)) {
      const shown = image === spec.image ? image : `${spec.image} (${image})`;
      return new PrepareError({
        kind: 'image-not-found',
        message:
          `Error response from daemon: ${message}: image ${shown} is not on the local Docker engine ` +
          '(batchkit local does not pull from registries; pull, load or build it first)',
      });
    }
    return new PrepareError({ kind: 'create-failed', message: `Error response from daemon: ${message}` });
  }
}

/** A created container. */
class DockerPreparedContainer implements PreparedContainer {
  constructor(
    private readonly docker: Dockerode,
    public readonly id: string,
    private readonly address: string,
    private readonly watch: EngineWatch,
  ) {}

  async start(): Promise<DockerRunningContainer> {
    const container = this.docker.getContainer(this.id);
    try {
      await container.start();
    } catch (e) {
      if (isUnreachable(e)) throw engineUnreachable(this.address, e);
      if (statusCode(e) === 304) return new DockerRunningContainer(container, this.address, this.watch);
      return startFailed(container, this.address, this.watch, `Error response from daemon: ${engineMessage(e)}`);
    }
    return new DockerRunningContainer(container, this.address, this.watch);
  }

  async remove(): Promise<void> {
    await new DockerRunningContainer(this.docker.getContainer(this.id), this.address, this.watch).remove();
  }
}

/** NVIDIA GPU device nodes (`/dev/nvidia0`, ...) on this machine. */
function countNvidiaDevices(): number {
  try {
    return readdirSync('/dev').filter((n) => /^nvidia\d+$/.test(n)).length;
  } catch {
    return 0;
  }
}
