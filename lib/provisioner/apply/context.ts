/**
 * What apply steps share: clients, the real name/ARN of each resource as it becomes known, waiting
 * and progress.
 */
import { BatchkitError } from '../../core/errors';
import type { ProvisionerClients } from '../clients/interfaces';
import { attributeOf, refKeyOf } from '../plan/refs';
import type { DockerCliOptions } from './docker-cli';
import type { WaitOptions } from './waiters';

/** Real identity of a resource. */
export interface Resolved {
  /** Real name. */
  readonly name: string;
  /** Real ARN. */
  readonly arn?: string;
  /** Attributes read with `ref(<key>).<attribute>` tokens (a launch template's `LatestVersionNumber`). */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** Shared by the steps of one apply. */
export interface ApplyContext {
  /** Clients. */
  readonly clients: ProvisionerClients;
  /** Key → real identity; filled from the plan and by each create. */
  readonly resolved: Map<string, Resolved>;
  /** Waiting. */
  readonly wait: WaitOptions;
  /** Milliseconds to let a new IAM role propagate before Batch uses it. */
  readonly iamSettleMs: number;
  /**
   * How the docker CLI is run for image assets.
   * @default - `docker` on PATH, this process's environment
   */
  readonly docker?: DockerCliOptions;
  /** Progress. */
  log(message: string): void;
}

/**
 * Replaces each `ref(<key>)` in `value` by the real ARN (or name, with `prefer: 'name'`), and each
 * `ref(<key>).<attribute>` by the attribute's real value.
 */
export function materialize<T>(ctx: ApplyContext, value: T, prefer: 'arn' | 'name' = 'arn'): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const attr = attributeOf(v);
      if (attr) {
        const known = ctx.resolved.get(attr.key)?.attributes?.[attr.attribute];
        if (known === undefined) {
          throw new BatchkitError(
            'BATCHKIT-PROVISION-004',
            'internal',
            `${attr.attribute} of ${attr.key} is referenced but is not known: the ` +
              `resource has not been created or read yet.`,
            {
              fix: 'Run `batchkit apply` again; if it repeats, report it with the plan (`batchkit plan --json`).',
            },
          );
        }
        return known;
      }
      const key = refKeyOf(v);
      if (!key) return v;
      const r = ctx.resolved.get(key);
      if (!r) {
        throw new BatchkitError(
          'BATCHKIT-PROVISION-004',
          'internal',
          `${key} is referenced but has not been created yet.`,
          {
            fix: 'Run `batchkit apply` again; if it repeats, report it with the plan (`batchkit plan --json`).',
          },
        );
      }
      return prefer === 'name' ? r.name : (r.arn ?? r.name);
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  // A narrowing the compiler cannot see: the walk replaces strings by strings and rebuilds arrays
  // and objects with the same indexes and keys, so the result has the shape of `value`.
  return walk(value) as T;
}
