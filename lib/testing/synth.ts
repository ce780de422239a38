/**
 * Synthesizing what a test hands over: a Stack (its stage is synthesized, only that stack is
 * loaded) or an App/Stage (every stack). aws-cdk-lib is loaded only here, when a construct is given.
 */
import type { IConstruct } from 'constructs';
import { BatchkitError } from '../core/errors';

/** The assembly directory and the stacks to load from it. */
export interface Synthesized {
  /** Cloud assembly directory. */
  readonly directory: string;
  /** Artifact ids to load; undefined: every stack. */
  readonly stacks?: string[];
}

/** Synthesizes the stage of `scope` (a Stack, App or Stage); throws BATCHKIT-TESTING-001 for anything else. */
export function synthesize(scope: IConstruct): Synthesized {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cdk = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  if (cdk.Stack.isStack(scope)) {
    const stage = cdk.Stage.of(scope);
    if (!stage) throw notStackOrApp(scope);
    return { directory: stage.synth().directory, stacks: [scope.artifactId] };
  }
  if (cdk.Stage.isStage(scope)) return { directory: scope.synth().directory };
  throw notStackOrApp(scope);
}

/** The stack a construct belongs to (for findings and snapshots); throws BATCHKIT-TESTING-001 when it has none. */
export function stackOf(scope: IConstruct): import('aws-cdk-lib').Stack {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cdk = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  if (cdk.Stack.isStack(scope)) return scope;
  throw notStackOrApp(scope);
}

function notStackOrApp(scope: IConstruct): BatchkitError {
  return new BatchkitError(
    'BATCHKIT-TESTING-001',
    'input',
    `"${scope?.node?.path ?? String(scope)}" is not a Stack, Stage or App of aws-cdk-lib.`,
    {
      fix: 'pass the Stack object (new MyStack(app, "Id")) or the App that contains it.',
    },
  );
}
