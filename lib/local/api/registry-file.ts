/**
 * Keeps the API's resources across restarts of `batchkit local serve`, as AWS keeps them: job
 * definitions registered, and queues, compute environments and scheduling policies created or
 * changed through the API are written to `<store>/api-resources.json` after every change and
 * merged over the app's resources at the next start (the app's own resources come back too).
 */
import { describeJsonError } from '../../core/assembly/parse';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'fs';
import * as path from 'path';
import { BatchkitError } from '../../core/errors';
import { STORE_FILE_MODE, privateFile } from '../store/private-files';
import type { BatchModel } from '../../core/model/batch-model';
import type { ComputeEnvironmentDetail, JobQueueDetail, SchedulingPolicyDetail } from './api-types';
import type { JobDefinition } from '../../core/model/job-definition';
import type { ResourceRegistry } from './registry';

/** File name in the store directory. */
export const REGISTRY_FILE = 'api-resources.json';

/** What the file holds. */
export interface RegistrySnapshot {
  /** Format version. */
  readonly version: 1;
  /** Every job definition revision. */
  readonly jobDefinitions: JobDefinition[];
  /** Compute environments (not being deleted). */
  readonly computeEnvironments: ComputeEnvironmentDetail[];
  /** Job queues (not being deleted). */
  readonly jobQueues: JobQueueDetail[];
  /** Scheduling policies. */
  readonly schedulingPolicies: SchedulingPolicyDetail[];
}

/** The registry's resources now. */
export function snapshotOf(registry: ResourceRegistry): RegistrySnapshot {
  const alive = <T extends { status?: string }>(xs: T[]) => xs.filter((x) => x.status !== 'DELETING');
  return {
    version: 1,
    jobDefinitions: registry.jobDefinitions.all(),
    computeEnvironments: alive(registry.liveCes().map((e) => e.detail)),
    jobQueues: alive(registry.liveQueues().map((e) => e.detail)),
    schedulingPolicies: [...registry.policies.values()],
  };
}

/** Writes the snapshot atomically (temporary file, then rename), readable by the user only (0600). */
export function saveSnapshot(dir: string, snapshot: RegistrySnapshot): void {
  const file = path.join(dir, REGISTRY_FILE);
  privateFile(`${file}.tmp`);
  writeFileSync(`${file}.tmp`, JSON.stringify(snapshot), { mode: STORE_FILE_MODE });
  renameSync(`${file}.tmp`, file);
}

/** The app's model with the saved resources merged over it (saved ones win by name). */
export function withSavedResources(dir: string, model: BatchModel): BatchModel {
  const file = path.join(dir, REGISTRY_FILE);
  if (!existsSync(file)) return model;
  privateFile(file);
  let saved: RegistrySnapshot;
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
    saved = JSON.parse(text) as RegistrySnapshot;
  } catch (e) {
    // Never the JSON.parse message itself: it quotes the file's content.
    const why =
      e instanceof SyntaxError
        ? `not valid JSON ${describeJsonError(text, e.message)}`
        : `not readable (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
    throw new BatchkitError('BATCHKIT-API-003', 'input', `${file} is ${why}.`, {
      fix: `delete ${file} to start from the app's resources only.`,
    });
  }
  if (saved.version !== 1) {
    throw new BatchkitError(
      'BATCHKIT-API-003',
      'input',
      `${file} has format version ${String(saved.version)}; this batchkit reads version 1.`,
      {
        fix: `delete ${file} to start from the app's resources only.`,
      },
    );
  }
  const revisionKey = (d: JobDefinition) => `${d.jobDefinitionName}:${d.revision ?? 1}`;
  const savedRevisions = new Set(saved.jobDefinitions.map(revisionKey));
  const merge = <T>(app: T[], mine: T[], name: (x: T) => string): T[] => {
    const names = new Set(mine.map(name));
    return [...app.filter((x) => !names.has(name(x))), ...mine];
  };
  return {
    ...model,
    jobDefinitions: [
      ...model.jobDefinitions.filter((d) => !savedRevisions.has(revisionKey(d))),
      ...saved.jobDefinitions,
    ],
    computeEnvironments: merge(model.computeEnvironments, saved.computeEnvironments, (c) => c.computeEnvironmentName),
    jobQueues: merge(model.jobQueues, saved.jobQueues, (q) => q.jobQueueName),
    schedulingPolicies: merge(model.schedulingPolicies, saved.schedulingPolicies, (p) => p.name),
  };
}
