/** What the scheduler needs from the executor. */
import type { DeploymentEnvironment } from '../../core/model/batch-model';
import type { LoadedJobDefinition } from '../../core/model/job-definition';
import type { Clock } from '../clock';
import type { ContainerRuntime } from '../runtime/container-runtime';
import type { JobStore } from '../store/job-store';
import type { LogBook } from './attempt-logs';
import type { Topology } from './capacity';
import type { JobRecord } from './job-record';
import type { TransitionRecord } from './states';

/** What the scheduler needs. */
export interface SchedulerOptions {
  /** Queues and environments. */
  readonly topology: Topology;
  /** Registered job definitions. */
  readonly definitions: readonly LoadedJobDefinition[];
  /** Engine. */
  readonly runtime: ContainerRuntime;
  /** Clock. */
  readonly clock: Clock;
  /** Store. */
  readonly store: JobStore;
  /** Run id. */
  readonly runId: string;
  /** ARN environment. */
  readonly env: DeploymentEnvironment;
  /** Secret values. */
  readonly secrets: Readonly<Record<string, string>>;
  /** New job ids. */
  readonly newId: () => string;
  /** Called after every status change after submission (events). */
  readonly onTransition: (record: JobRecord, change: TransitionRecord) => void;
  /** Called when a RUNNABLE job becomes blocked, or its blocked reason changes (events). */
  readonly onBlocked: (record: JobRecord, at: number) => void;
  /** Where attempts' log lines go (store and listeners). */
  readonly logs: LogBook;
}
