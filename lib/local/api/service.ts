/**
 * `batchkit local serve` as a library call: per region (see `regions.ts`) the resource registry,
 * the local executor (sharing the registry's resources), the {@link LocalBatchApi} and the CloudWatch
 * Logs subset; one HTTP server for all regions; started together and closed together. Job containers
 * get `AWS_ENDPOINT_URL_BATCH` and `AWS_ENDPOINT_URL_LOGS` pointing at the server (EC2 jobs, on the
 * host network, reach it; Fargate jobs have no network).
 * Resources created or changed through the API are kept in the store directory across restarts.
 */
import type { BatchModel } from '../../core/model/batch-model';
import type { LocalExecutor, LocalExecutorOptions } from '../executor';
import type { ContainerRuntime } from '../runtime/container-runtime';
import type { LocalBatchApi } from './batch-api';
import type { LocalLogsApi } from './logs';
import { RegionSet, splitByRegion, type RegionalService } from './regions';
import type { ResourceRegistry } from './registry';
import { dashboard } from '../ui/dashboard';
import { startBatchApiServer, type BatchApiServer, type BatchApiServerOptions } from './server';

/** Options of {@link startLocalBatchService}. */
export interface LocalBatchServiceOptions {
  /**
   * Resources to pre-register (from the cloud assembly, or `emptyBatchModel()`); `model.environment.region`
   * is the region of unsigned requests and of resources whose stack has no region of its own.
   */
  readonly model: BatchModel;
  /**
   * The concrete region of each stack (artifact id) whose resources belong to another region. @default - every
   * resource in `region`
   */
  readonly stackRegions?: ReadonlyMap<string, string>;
  /** Region of unsigned requests and of resources of stacks not in `stackRegions`. @default - the model's region */
  readonly region?: string;
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
  /**
   * Give job containers the endpoint variables to call the API back (EC2 jobs, on the host network, can; Fargate
   * jobs have no network). @default true
   */
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
  /** The typed API of the model's region (the object the server calls for it). */
  readonly api: LocalBatchApi;
  /** The CloudWatch Logs subset of the model's region. */
  readonly logs: LocalLogsApi;
  /** The executor of the model's region. */
  readonly executor: LocalExecutor;
  /** The registry of the model's region. */
  readonly registry: ResourceRegistry;
  /** The services of any region (opened on first use, as a signed request for it would). */
  region(name: string): Promise<RegionalService>;
  /** Regions open now. */
  regions(): string[];
  /** Stops the server, then every executor (running containers are left for the next start to re-attach). */
  close(): Promise<void>;
}

/** Starts the regions of the model (and those kept in the store), their executors and the server. */
export async function startLocalBatchService(options: LocalBatchServiceOptions): Promise<LocalBatchService> {
  const primaryRegion = options.region ?? options.model.environment.region;
  const regions = new RegionSet(
    {
      runtime: options.runtime,
      storeDir: options.storeDir ?? '.batchkit',
      callbacks: options.callbacks !== false,
      settleMs: options.settleMs,
      executor: options.executor,
    },
    primaryRegion,
    options.model.environment,
  );
  let server: BatchApiServer;
  let primary: RegionalService;
  try {
    const split = splitByRegion(options.model, options.stackRegions ?? new Map(), primaryRegion);
    primary = await regions.add(split.get(primaryRegion) ?? options.model);
    for (const [region, m] of split) if (region !== primaryRegion) await regions.add(m);
    for (const region of regions.savedRegions()) await regions.get(region);
    server = await startBatchApiServer({
      api: primary.api,
      logs: primary.logs,
      apisFor: (region) => regions.get(region),
      host: options.host,
      port: options.port,
      allowNonLoopback: options.allowNonLoopback,
      onRequest: options.onRequest,
      pages:
        options.dashboard === false
          ? undefined
          : dashboard(primary.executor, `batchkit local serve — ${options.storeDir ?? '.batchkit'}`),
    });
  } catch (e) {
    await regions.close();
    throw e;
  }
  regions.setEndpoint(loopbackUrl(server));
  return {
    server,
    api: primary.api,
    logs: primary.logs,
    executor: primary.executor,
    registry: primary.registry,
    region: (name) => regions.get(name),
    regions: () => regions.names(),
    close: async () => {
      await server.close();
      await regions.close();
    },
  };
}

/** The URL containers on the host network use: loopback even when the server binds every address. */
function loopbackUrl(server: BatchApiServer): string {
  const host =
    server.host === '0.0.0.0' || server.host === '::'
      ? '127.0.0.1'
      : server.host.includes(':')
        ? `[${server.host}]`
        : server.host;
  return `http://${host}:${server.port}`;
}
