/**
 * `batchFindings(stack)`: the rules of `batchkit validate`, run on the synthesized stack (or app)
 * as the CLI runs them on `cdk.out`, with each finding's construct path filled in from the
 * construct tree (Jest runs synthesize without `aws:cdk:path` metadata).
 */
import type { IConstruct } from 'constructs';
import { loadBatchModel } from '../core/assembly';
import { describeResource, type Finding } from '../core/rules/finding';
import { validateModel } from '../core/rules';
import { synthesize } from './synth';

/** Options of {@link batchFindings}. */
export interface BatchFindingsOptions {
  /** Rule codes to leave out (as `batchkit validate --exclude`). @default - none */
  readonly exclude?: readonly string[];
}

/** What the rules say about a stack or app. */
export interface BatchFindings {
  /** Every finding, in rule order. */
  readonly all: Finding[];
  /** Findings of severity `error` (what makes `batchkit validate` exit 1). */
  readonly errors: Finding[];
  /** Findings of severity `warning`. */
  readonly warnings: Finding[];
  /** Findings of severity `info` (checks skipped for values known only at deployment). */
  readonly infos: Finding[];
}

/**
 * Synthesizes `stackOrApp` and runs every rule of `batchkit validate` on its Batch resources
 * (written with batchkit, `aws-cdk-lib/aws-batch` or L1s). Each finding's `resource.source.constructPath`
 * and message name the construct path. batchkit's own constructs already fail synthesis on an error.
 */
export function batchFindings(stackOrApp: IConstruct, options: BatchFindingsOptions = {}): BatchFindings {
  const { directory, stacks } = synthesize(stackOrApp);
  const model = loadBatchModel(directory, { stacks });
  const paths = constructPaths(stackOrApp);
  const all = validateModel(model, { exclude: options.exclude ? [...options.exclude] : undefined }).map((f) =>
    withPath(f, paths),
  );
  return {
    all,
    errors: all.filter((f) => f.severity === 'error'),
    warnings: all.filter((f) => f.severity === 'warning'),
    infos: all.filter((f) => f.severity === 'info'),
  };
}

/** `artifactId/logicalId` → construct path of every CloudFormation resource under `scope`'s root. */
function constructPaths(scope: IConstruct): Map<string, string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cdk = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const out = new Map<string, string>();
  for (const c of scope.node.root.node.findAll()) {
    if (!cdk.CfnResource.isCfnResource(c)) continue;
    const stack = cdk.Stack.of(c);
    out.set(`${stack.artifactId}/${String(stack.resolve(c.logicalId))}`, c.node.path);
  }
  return out;
}

function withPath(f: Finding, paths: ReadonlyMap<string, string>): Finding {
  const source = f.resource.source;
  if (!source?.stack || !source.logicalId || source.constructPath) return f;
  const constructPath = paths.get(`${source.stack}/${source.logicalId}`);
  if (!constructPath) return f;
  const resource = { ...f.resource, source: { ...source, constructPath } };
  const before = describeResource(f.resource);
  const message = f.message.startsWith(before)
    ? describeResource(resource) + f.message.slice(before.length)
    : `${f.message} (at ${constructPath})`;
  return { ...f, resource, message };
}
