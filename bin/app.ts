#!/usr/bin/env node
/**
 * The CDK app of `cdk.json`: instantiates the examples, no logic of its own.
 */
import { App } from 'aws-cdk-lib';
import { PlainAwsBatchStack } from '../examples/plain-aws-batch/stack';

const app = new App();
new PlainAwsBatchStack(app, 'PlainAwsBatch');
app.synth();
