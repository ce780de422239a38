/**
 * The provisioning commands: `plan`, `apply`, `destroy`, `submit`, `doctor`. Nothing on this path
 * loads aws-cdk-lib; the AWS SDK is loaded, with its Node.js support warning kept out of the output.
 */
import type { Command } from 'commander';
import { registerApply } from './apply';
import { registerDestroy } from './destroy';
import { registerDoctor } from './doctor';
import { registerPlan } from './plan';
import { registerSubmit } from './submit';

/** Adds the provisioning commands to the program. */
export function registerProvision(program: Command, setExit: (code: number) => void): void {
  registerPlan(program, setExit);
  registerApply(program, setExit);
  registerDestroy(program, setExit);
  registerSubmit(program, setExit);
  registerDoctor(program, setExit);
}
