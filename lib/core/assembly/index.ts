import type { BatchModel, DeploymentEnvironment } from '../model/batch-model';
import { BatchkitError } from '../errors';

/** Options of {@link loadBatchModel}. */
export interface LoadOptions {
  /** Only these stacks (artifact ids or stack names). @default - every stack */
  readonly stacks?: readonly string[];
  /** Account/region/partition for environment-agnostic stacks. @default - DEFAULT_DEPLOYMENT_ENVIRONMENT */
  readonly environment?: Partial<DeploymentEnvironment>;
  /** Values for template parameters. @default - parameter defaults */
  readonly parameters?: Readonly<Record<string, string>>;
}

/** Loads a cloud assembly directory or a template file (being written). */
export function loadBatchModel(path: string, _options: LoadOptions = {}): BatchModel {
  throw new BatchkitError('BATCHKIT-ASSEMBLY-000', 'internal', `loader not yet written (${path})`);
}
