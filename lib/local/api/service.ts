/**
 * `batchkit local serve` as a library call: the resource registry, the local executor (sharing the
 * registry's resources), the {@link LocalBatchApi} and its HTTP server, started together and closed
 * together. Job containers get host networking and `AWS_ENDPOINT_URL_BATCH` pointing at the server.
 * Resources created or changed through the API are kept in the store directory across restarts.
 */
import { mkdirSync } from 'fs';
import * as path from 'path';
import type { BatchModel } from '../../core/model/batch-model';
import { LocalExecutor, type LocalExecutorOptions } from '../executor';
import type { ContainerRuntime } from '../runtime/container-runtime';
import { LocalBatchApi } from './batch-api';
import { CallbackRuntime } from './callback-runtime';
import { ResourceRegistry } from './registry';
import { saveSnapshot, snapshotOf, withSavedResources } from './registry-file';
import { dashboard } from '../ui/dashboard';
import { startBatchApiServer, type BatchApiServer, type BatchApiServerOptions } from './server';

/** Options of {@link startLocalBatchService}. */
export interface LocalBatchServiceOptions {
  /** Resources to pre-register (from the cloud assembly, or `emptyBatchModel()`). */
  readonly model: BatchModel;
  /** Container engine. */
  readonly runtime: ContainerRuntime;
  /** Job store directory; `':memory:'` keeps nothing. @default '.batchkit' */
  readonly storeDir?: string;
  /** Address. @default '127.0.0.1' */
  readonly host?: string;
  /** Port. @default 0 (a free port) */
  readonly port?: number;
  /** Allow a non-loopback host. @default false */
  readonly allowNonLoopback?: boolean;
  /** Let job containers call the API back (host network + endpoint variables). @default true */
  readonly callbacks?: boolean;
  /** Milliseconds CREATING/UPDATING/DELETING last. @default 100 */
  readonly settleMs?: number;
  /** Other executor options (time scale, host caps, secrets, event sinks, clock). @default - the executor's defaults */
  readonly executor?: Omit<LocalExecutorOptions, 'model' | 'runtime' | 'storeDir'>;
  /** Request log callback. @default - none */
  readonly onRequest?: BatchApiServerOptions['onRequest'];
  /** Serve the live dashboard at `/` (lib/local/ui/dashboard.ts). @default true */
  readonly dashboard?: boolean;
}

/** A running local Batch service. */
export interface LocalBatchService {
  /** The server (url, port). */
  readonly server: BatchApiServer;
  /** The typed API (the same object the server calls). */
  readonly api: LocalBatchApi;
  /** The executor. */
  readonly executor: LocalExecutor;
  /** The registry. */
  readonly registry: ResourceRegistry;
  /** Stops the server, then the executor (running containers are left for the next start to re-attach). */
  close(): Promise<void>;
}

/** Starts registry, executor and server. */
export async function startLocalBatchService(options: LocalBatchServiceOptions): Promise<LocalBatchService> {
  const persistDir = options.storeDir === ':memory:' ? undefined : path.resolve(options.storeDir ?? '.batchkit');
  if (persistDir) mkdirSync(persistDir, { recursive: true });
  const model = persistDir ? withSavedResources(persistDir, options.model) : options.model;
  // CREATING/UPDATING/DELETING settle on the executor's clock, so a test's manual clock decides them too.
  const clock = options.executor?.clock;
  const registry = new ResourceRegistry({ model, settleMs: options.settleMs, now: clock ? () => clock.now() : undefined });
  if (persistDir) registry.onChange(() => saveSnapshot(persistDir, snapshotOf(registry)));
  const callbacks = options.callbacks === false ? undefined : new CallbackRuntime(options.runtime, registry.env.region);
  const executor = await LocalExecutor.open({
    ...(options.executor ?? {}),
    model: registry.live,
    runtime: callbacks ?? options.runtime,
    storeDir: options.storeDir,
  });
  const api = new LocalBatchApi({ registry, jobs: executor });
  let server: BatchApiServer;
  try {
    server = await startBatchApiServer({
      api,
      host: options.host,
      port: options.port,
      allowNonLoopback: options.allowNonLoopback,
      onRequest: options.onRequest,
      pages: options.dashboard === false ? undefined : dashboard(executor, `batchkit local serve — ${options.storeDir ?? '.batchkit'}`),
    });
  } catch (e) {
    await executor.close();
    throw e;
  }
  callbacks?.setEndpoint(loopbackUrl(server));
  return {
    server,
    api,
    executor,
    registry,
    close: async () => {
      await server.close();
      await executor.close();
    },
  };
}

/** The URL containers on the host network use: loopback even when the server binds every address. */
function loopbackUrl(server: BatchApiServer): string {
  const host = server.host === '0.0.0.0' || server.host === '::' ? '127.0.0.1' : server.host.includes(':') ? `[${server.host}]` : server.host;
  return `http://${host}:${server.port}`;
}
