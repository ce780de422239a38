/** The options of `LocalExecutor.open` and the shapes of its answers. */
import type { BatchModel, DeploymentEnvironment } from '../core/model/batch-model';
import type { Clock } from './clock';
import type { EventSink } from './events/sink';
import type { HostAccessOptions } from './host-access';
import type { ContainerRuntime } from './runtime/container-runtime';
import type { JobStore } from './store/job-store';

/** The log stream of one attempt (`LocalExecutor.logStreams`). */
export interface JobLogStream {
  /** `<jobDefinitionName>/default/<taskId>`. */
  readonly logStreamName: string;
  /** Job id (single job, array child or node). */
  readonly jobId: string;
  /** Attempt number from 1. */
  readonly attempt: number;
  /** The job's job definition ARN. */
  readonly jobDefinition: string;
  /** When the attempt started (epoch ms). */
  readonly startedAt: number;
}

/** Options of `LocalExecutor.open`. */
export interface LocalExecutorOptions {
  /** Resources to register (from `loadBatchModel` or `emptyBatchModel()`). */
  model: BatchModel;
  /** The container engine. */
  runtime: ContainerRuntime;
  /**
   * Directory of the job database. `':memory:'` keeps everything in memory. @default '.batchkit' in the current
   * directory
   */
  storeDir?: string;
  /**
   * The job store to use instead of opening `storeDir` (an embedding application's own, or a
   * wrapper in tests). The executor closes it on `LocalExecutor.close`.
   * @default - a SQLite store in `storeDir` (a memory store for `':memory:'`)
   */
  store?: JobStore;
  /** Local-only: 60 makes a 60 s timeout fire after 1 s of wall time. @default 1 */
  timeScale?: number;
  /** Clock for unit tests. @default - a system clock with `timeScale` */
  clock?: Clock;
  /** Host cap on vCPUs applied to every compute environment. @default - the number of CPU cores of this host */
  maxVcpus?: number;
  /** Host cap on memory (MiB) applied to every compute environment. @default - this host's total memory */
  maxMemoryMiB?: number;
  /** GPUs this host can give to jobs. @default 0 */
  maxGpus?: number;
  /**
   * Secret values by `valueFrom` (ARN or parameter name). @default - no secrets; a job that needs one fails its
   * attempt
   */
  secrets?: Record<string, string>;
  /** Event destinations (JSON lines file, webhook, handler module). @default - none besides `onEvent` listeners */
  eventSinks?: EventSink[];
  /** Run id written on every container's labels. @default - random */
  runId?: string;
  /** Account/region/partition for ARNs. @default - the model's environment */
  env?: Partial<DeploymentEnvironment>;
  /** Called when an event sink fails to deliver. @default - the failure is ignored */
  onSinkError?: (sink: EventSink, error: unknown) => void;
  /**
   * What job containers may reach on this machine: host paths beyond the project directory (the
   * current directory) and the OS temporary directory, and host devices. Definitions reaching
   * further are refused at submission (and at registration through the API) with BATCHKIT-LOCAL-601.
   * @default - project directory and temporary directory only; no devices
   */
  hostAccess?: HostAccessOptions;
  /**
   * Receives warnings (a privileged definition, a mounted Docker socket), once per definition revision. @default
   * - ignored
   */
  onWarning?: (message: string) => void;
  /**
   * Open the store without working on it: no container is re-attached or reaped and nothing is
   * scheduled, so another process (a `batchkit local run`) may own its jobs meanwhile. What the
   * store commands (`batchkit local describe|list|logs|cancel|terminate`) use; `LocalExecutor.follow`
   * re-attaches one job on request. @default false
   */
  passive?: boolean;
}
