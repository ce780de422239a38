/**
 * Waiting for Batch's asynchronous changes: compute environments and queues move through
 * CREATING/UPDATING to VALID (or INVALID, with AWS's reason), and DELETING to gone.
 */
import { BatchkitError } from '../../core/errors';
import type { BatchApi } from '../clients/interfaces';
import { UNKNOWN_APP_VALUE, UNKNOWN_SDK_VALUE } from '../clients/map-util';
import { CFN_PROPERTY_ERROR } from '../plan/cfn-props';
import { realSleep } from '../clients/retry';

/** How waiting is paced. */
export interface WaitOptions {
  /**
   * Milliseconds between Describe calls.
   * @default 5000
   */
  readonly pollMs?: number;
  /**
   * Give up after this many milliseconds.
   * @default 1800000 (30 minutes)
   */
  readonly timeoutMs?: number;
  /**
   * Sleeps.
   * @default - setTimeout
   */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Progress messages.
   * @default - none
   */
  readonly onProgress?: (message: string) => void;
}

/** Error codes of the provisioner. */
export const PROVISION_ERRORS = {
  blocked: 'BATCHKIT-PROVISION-001',
  invalid: 'BATCHKIT-PROVISION-002',
  timeout: 'BATCHKIT-PROVISION-003',
  failed: 'BATCHKIT-PROVISION-004',
  notOwned: 'BATCHKIT-PROVISION-005',
  submit: 'BATCHKIT-PROVISION-006',
  /** A value AWS returned that batchkit does not know, in a field the model requires (see `clients/map-util.ts`). */
  unknownAwsValue: UNKNOWN_SDK_VALUE,
  /** A value of the app the SDK has no member for. */
  unknownAppValue: UNKNOWN_APP_VALUE,
  /** A CloudFormation property of the wrong type (see `plan/cfn-props.ts`). */
  cfnProperty: CFN_PROPERTY_ERROR,
} as const;

type Kind = 'compute environment' | 'job queue';
type Target = 'VALID' | 'GONE';

interface StatusView {
  status?: string;
  statusReason?: string;
  state?: string;
}

async function describe(batch: BatchApi, kind: Kind, name: string): Promise<StatusView | undefined> {
  if (kind === 'compute environment') {
    const r = await batch.describeComputeEnvironments({ computeEnvironments: [name] });
    return r.computeEnvironments?.find((c) => c.computeEnvironmentName === name || c.computeEnvironmentArn === name);
  }
  const r = await batch.describeJobQueues({ jobQueues: [name] });
  return r.jobQueues?.find((q) => q.jobQueueName === name || q.jobQueueArn === name);
}

/**
 * Waits until the resource is VALID (throws with AWS's status reason when it turns INVALID) or,
 * with `GONE`, until Describe no longer returns it (or returns it DELETED).
 */
export async function waitFor(
  batch: BatchApi,
  kind: Kind,
  name: string,
  target: Target,
  options: WaitOptions = {},
): Promise<void> {
  const pollMs = options.pollMs ?? 5000;
  const timeoutMs = options.timeoutMs ?? 1_800_000;
  const sleep = options.sleep ?? realSleep;
  let waited = 0;
  let last: string | undefined;
  for (;;) {
    const view = await describe(batch, kind, name);
    const status = view?.status;
    if (target === 'GONE' && (!view || status === 'DELETED')) return;
    if (target === 'VALID') {
      if (!view) {
        throw new BatchkitError(
          PROVISION_ERRORS.invalid,
          'environment',
          `The ${kind} "${name}" disappeared while batchkit waited for it to become VALID.`,
          {
            fix: 'Check whether something else deleted it, then run `batchkit apply` again.',
          },
        );
      }
      if (status === 'VALID') return;
      if (status === 'INVALID') {
        throw new BatchkitError(
          PROVISION_ERRORS.invalid,
          'environment',
          `The ${kind} "${name}" is INVALID: ${view.statusReason ?? 'AWS gave no reason'}.`,
          {
            fix:
              `Correct what the reason names (roles, subnets, security groups, ` +
              `instance types), then run \`batchkit apply\` again; \`batchkit doctor ` +
              `--live\` checks the usual causes.`,
          },
        );
      }
    }
    if (status !== last) {
      options.onProgress?.(
        `${kind} ${name}: ${status ?? 'absent'}${view?.statusReason ? ` (${view.statusReason})` : ''}`,
      );
      last = status;
    }
    if (waited >= timeoutMs) {
      throw new BatchkitError(
        PROVISION_ERRORS.timeout,
        'environment',
        `The ${kind} "${name}" did not become ${target === 'GONE' ? 'deleted' : 'VALID'} within ` +
          `${Math.round(timeoutMs / 1000)} s (last status ${status ?? 'absent'}).`,
        {
          fix: 'Look at the resource in the AWS console, then run the command again; it continues where it stopped.',
        },
      );
    }
    await sleep(pollMs);
    waited += pollMs;
  }
}
