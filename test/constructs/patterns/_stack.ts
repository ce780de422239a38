/** A fresh app and stack for each pattern test (env-agnostic, batchkit's nag pack on). */
import { App, Stack } from 'aws-cdk-lib';
import { addBatchkitNag } from '../nag/aws-solutions';

export function newStack(id = 'Pattern'): Stack {
  const app = new App();
  const stack = new Stack(app, id);
  addBatchkitNag(stack);
  return stack;
}
