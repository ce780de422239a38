#!/usr/bin/env node
/**
 * The CDK app of `cdk.json`: instantiates the examples, no logic of its own.
 */
import { App, AspectPriority, Aspects } from 'aws-cdk-lib';
import { BatchkitNagChecks } from '../lib';
import { ArrayCompletionStack } from '../examples/array-completion/stack';
import { ArrayWorkflowStack } from '../examples/array-workflow/stack';
import { EfsLaunchTemplateStack } from '../examples/efs-launch-template/stack';
import { FargateEfsStack } from '../examples/fargate-efs/stack';
import { GettingStartedStack } from '../examples/getting-started/stack';
import { GpuStack } from '../examples/gpu/stack';
import { MultiNodeStack } from '../examples/multi-node/stack';
import { PlainAwsBatchStack } from '../examples/plain-aws-batch/stack';
import { PrintColorStack } from '../examples/print-color/stack';
import { SpotRetryStack } from '../examples/spot-retry/stack';

const app = new App();
new PlainAwsBatchStack(app, 'PlainAwsBatch');
new GettingStartedStack(app, 'GettingStarted');
new PrintColorStack(app, 'PrintColor');
new ArrayWorkflowStack(app, 'ArrayWorkflow');
new MultiNodeStack(app, 'MultiNode');
new GpuStack(app, 'Gpu');
new FargateEfsStack(app, 'FargateEfs');
new SpotRetryStack(app, 'SpotRetry');
new ArrayCompletionStack(app, 'ArrayCompletion');
new EfsLaunchTemplateStack(app, 'EfsLaunchTemplate');
// batchkit's nag rule pack over every example: `cdk synth` fails on an error finding.
Aspects.of(app).add(new BatchkitNagChecks(), { priority: AspectPriority.READONLY });
app.synth();
