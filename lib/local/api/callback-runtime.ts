/**
 * Lets job containers call the local Batch API back (a job that submits child jobs): a
 * {@link ContainerRuntime} decorator that gives every container the variables the AWS SDKs and CLI
 * read — `AWS_ENDPOINT_URL_BATCH` and `AWS_ENDPOINT_URL_LOGS` (the local server serves both), `AWS_REGION`,
 * `AWS_DEFAULT_REGION` and dummy `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (the local server
 * accepts any signature). Variables the job sets itself win. The network mode stays the one the
 * executor chose (`networkModeFor` in attempt-runner.ts): EC2 jobs share the host's network and reach the server;
 * Fargate jobs keep a namespace of their own with no network, as the README promises, so they cannot.
 */
import type { ContainerRuntime, ContainerSpec, FoundContainer, PreparedContainer } from '../runtime/container-runtime';

/** Dummy credentials handed to job containers. */
export const CALLBACK_CREDENTIALS = { accessKeyId: 'batchkit-local', secretAccessKey: 'batchkit-local' } as const;

/** A runtime whose containers can reach the local Batch API. */
export class CallbackRuntime implements ContainerRuntime {
  private endpoint?: string;
  private ready: Promise<void>;
  private markReady: () => void = () => undefined;

  /**
   * @param inner the real runtime
   * @param region region given to containers
   */
  constructor(
    private readonly inner: ContainerRuntime,
    private readonly region: string,
  ) {
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
    });
  }

  /** Sets the URL containers call (`http://127.0.0.1:<port>`); containers prepared before wait for it. */
  setEndpoint(url: string): void {
    this.endpoint = url;
    this.markReady();
  }

  /** The variables added to each container. */
  variables(): Record<string, string> {
    return {
      ...(this.endpoint ? { AWS_ENDPOINT_URL_BATCH: this.endpoint, AWS_ENDPOINT_URL_LOGS: this.endpoint } : {}),
      AWS_REGION: this.region,
      AWS_DEFAULT_REGION: this.region,
      AWS_ACCESS_KEY_ID: CALLBACK_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CALLBACK_CREDENTIALS.secretAccessKey,
    };
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  async prepare(spec: ContainerSpec): Promise<PreparedContainer> {
    await this.ready;
    return this.inner.prepare({ ...spec, environment: { ...this.variables(), ...spec.environment } });
  }

  list(runId?: string): Promise<FoundContainer[]> {
    return this.inner.list(runId);
  }

  removeVolume(name: string): Promise<void> {
    return this.inner.removeVolume?.(name) ?? Promise.resolve();
  }
}
