/**
 * Every region on one port. AWS Batch endpoints are regional, so a client signed for
 * `eu-central-1` must see that region's resources and ARNs. Each region served here has its own
 * resource registry, executor (and job store), Batch API and CloudWatch Logs API; the server picks
 * them by the region of each request's SigV4 credential scope. The assembly's resources are
 * registered in their stacks' regions; other regions are opened, empty, on their first request.
 * Regions opened once are kept in `<store>/regions/<region>` and reopened at start-up, so their
 * jobs run on and their resources come back.
 */
import { existsSync, readdirSync } from 'fs';
import * as path from 'path';
import { environmentOf } from '../../core/assembly/load';
import { emptyBatchModel, type BatchModel, type DeploymentEnvironment } from '../../core/model/batch-model';
import { LocalExecutor, type LocalExecutorOptions } from '../executor';
import type { ContainerRuntime } from '../runtime/container-runtime';
import { LocalBatchApi } from './batch-api';
import { privateDirectory } from '../store/private-files';
import { CallbackRuntime } from './callback-runtime';
import { clientError } from './errors';
import { awslogsGroupOf, LocalLogsApi } from './logs';
import { ResourceRegistry } from './registry';
import { saveSnapshot, snapshotOf, withSavedResources } from './registry-file';

/** The most regions one server opens (each has an executor and a store). */
export const MAX_REGIONS = 32;
/** AWS region names: `us-east-1`, `eu-central-2`, `cn-north-1`, `us-gov-west-1`, `ap-southeast-5`. */
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** One region's services. */
export interface RegionalService {
  /** Region name. */
  readonly region: string;
  /** Its resources. */
  readonly registry: ResourceRegistry;
  /** Its executor. */
  readonly executor: LocalExecutor;
  /** Its Batch API. */
  readonly api: LocalBatchApi;
  /** Its CloudWatch Logs API. */
  readonly logs: LocalLogsApi;
  /** Its job containers' runtime (endpoint variables), when callbacks are on. */
  readonly callbacks?: CallbackRuntime;
}

/** How to open a region (shared by all regions of a server). */
export interface RegionOptions {
  /** Container engine. */
  readonly runtime: ContainerRuntime;
  /** Job store directory of the first region; others use `<storeDir>/regions/<region>`; `':memory:'` keeps nothing. */
  readonly storeDir: string;
  /** Give job containers the endpoint variables. */
  readonly callbacks: boolean;
  /** Milliseconds transitional statuses last. */
  readonly settleMs?: number;
  /** Executor options. */
  readonly executor?: Omit<LocalExecutorOptions, 'model' | 'runtime' | 'storeDir'>;
}

/**
 * Splits an assembly's model by the region of each resource's stack (`stackRegions`: artifact id →
 * concrete region); resources of environment-agnostic stacks and of single templates go to
 * `defaultRegion` (the `--region` of environment-agnostic stacks). The first entry is that region.
 */
export function splitByRegion(
  model: BatchModel,
  stackRegions: ReadonlyMap<string, string>,
  defaultRegion = model.environment.region,
): Map<string, BatchModel> {
  const empty = { jobDefinitions: [], jobQueues: [], computeEnvironments: [], schedulingPolicies: [] };
  const out = new Map<string, BatchModel>([
    [defaultRegion, { ...model, environment: regionEnvironment(model.environment, defaultRegion), ...empty }],
  ]);
  const bucket = (stack: string | undefined): BatchModel => {
    const region = (stack !== undefined ? stackRegions.get(stack) : undefined) ?? defaultRegion;
    let m = out.get(region);
    if (!m) {
      m = {
        ...model,
        environment: regionEnvironment(model.environment, region),
        jobDefinitions: [],
        jobQueues: [],
        computeEnvironments: [],
        schedulingPolicies: [],
      };
      out.set(region, m);
    }
    return m;
  };
  for (const x of model.jobDefinitions) bucket(x.source?.stack).jobDefinitions.push(x);
  for (const x of model.jobQueues) bucket(x.source?.stack).jobQueues.push(x);
  for (const x of model.computeEnvironments) bucket(x.source?.stack).computeEnvironments.push(x);
  for (const x of model.schedulingPolicies) bucket(x.source?.stack).schedulingPolicies.push(x);
  return out;
}

/** The environment of another region of the same account (partition inferred from the name). */
export function regionEnvironment(base: DeploymentEnvironment, region: string): DeploymentEnvironment {
  const sameFamily = (r: string) => (r.startsWith('cn-') ? 'cn' : r.startsWith('us-gov-') ? 'gov' : 'aws');
  return environmentOf(
    { region },
    {
      environment: {
        account: base.account,
        ...(sameFamily(base.region) === sameFamily(region)
          ? { partition: base.partition, urlSuffix: base.urlSuffix }
          : {}),
      },
    },
  );
}

/** The regions of one server. */
export class RegionSet {
  private readonly open = new Map<string, Promise<RegionalService>>();
  private endpoint?: string;

  constructor(
    private readonly options: RegionOptions,
    /** The first region's name (unsigned requests go there). */
    readonly primary: string,
    private readonly baseEnv: DeploymentEnvironment,
  ) {}

  /** Opens a region with a model (at start-up). */
  add(model: BatchModel): Promise<RegionalService> {
    const region = model.environment.region;
    const opened = this.openRegion(region, model);
    this.open.set(region, opened);
    opened.catch(() => this.open.delete(region));
    return opened;
  }

  /** Regions kept in the store by an earlier run (opened again at start-up). */
  savedRegions(): string[] {
    if (this.options.storeDir === ':memory:') return [];
    const dir = path.join(path.resolve(this.options.storeDir), 'regions');
    return existsSync(dir) ? readdirSync(dir).filter((r) => REGION_NAME.test(r)) : [];
  }

  /** The services of a region, opened (empty) on first use; a ClientException for a name that is no region. */
  get(region: string): Promise<RegionalService> {
    const known = this.open.get(region);
    if (known) return known;
    if (!REGION_NAME.test(region)) {
      return Promise.reject(
        clientError(
          `The request is signed for region ${JSON.stringify(region)}, which is ` +
            `not an AWS region name (like us-east-1). Fix: configure the client with a real region.`,
        ),
      );
    }
    if (this.open.size >= MAX_REGIONS) {
      return Promise.reject(
        clientError(
          `This server already serves ${MAX_REGIONS} regions; region ${region} is ` +
            `not opened. Fix: use one of ${[...this.open.keys()].join(', ')}.`,
        ),
      );
    }
    return this.add(emptyBatchModel(regionEnvironment(this.baseEnv, region)));
  }

  /** Regions open now (settled or opening). */
  names(): string[] {
    return [...this.open.keys()];
  }

  /** Tells every region's containers (and regions opened later) where the server is. */
  setEndpoint(url: string): void {
    this.endpoint = url;
    for (const r of this.open.values())
      void r.then(
        (s) => s.callbacks?.setEndpoint(url),
        () => undefined,
      );
  }

  /** Closes every region's executor. */
  async close(): Promise<void> {
    const all = await Promise.allSettled([...this.open.values()]);
    for (const r of all) if (r.status === 'fulfilled') await r.value.executor.close();
  }

  private async openRegion(region: string, model: BatchModel): Promise<RegionalService> {
    const o = this.options;
    const storeDir =
      o.storeDir === ':memory:'
        ? o.storeDir
        : region === this.primary
          ? path.resolve(o.storeDir)
          : path.join(path.resolve(o.storeDir), 'regions', region);
    const persistDir = storeDir === ':memory:' ? undefined : storeDir;
    if (persistDir) privateDirectory(persistDir);
    const withSaved = persistDir ? withSavedResources(persistDir, model) : model;
    // CREATING/UPDATING/DELETING settle on the executor's clock, so a test's manual clock decides them too.
    const clock = o.executor?.clock;
    const registry = new ResourceRegistry({
      model: withSaved,
      settleMs: o.settleMs,
      now: clock ? () => clock.now() : undefined,
    });
    if (persistDir) registry.onChange(() => saveSnapshot(persistDir, snapshotOf(registry)));
    const callbacks = o.callbacks ? new CallbackRuntime(o.runtime, region) : undefined;
    if (callbacks && this.endpoint) callbacks.setEndpoint(this.endpoint);
    const executor = await LocalExecutor.open({
      ...(o.executor ?? {}),
      model: registry.live,
      runtime: callbacks ?? o.runtime,
      storeDir,
    });
    const api = new LocalBatchApi({ registry, jobs: executor });
    const logs = new LocalLogsApi({
      env: registry.env,
      source: executor,
      groupOf: (arn) => awslogsGroupOf(registry.jobDefinitions.resolve(arn)),
      declaredGroups: () => registry.jobDefinitions.all().flatMap((jd) => awslogsGroupOf(jd) ?? []),
    });
    return { region, registry, executor, api, logs, callbacks };
  }
}
