/**
 * `batchkit local`: run AWS Batch jobs of a cloud assembly on this machine's Docker engine.
 * Nothing on this import path loads aws-cdk-lib (the command must start fast).
 */
import type { Command } from 'commander';
import { registerCancel } from './cancel';
import { registerDescribe } from './describe';
import { registerExecutions } from './executions';
import { registerInvocations } from './invocations';
import { registerList } from './list';
import { registerLogs } from './logs';
import { registerOutbox } from './outbox';
import { registerReport } from './report';
import { registerRun } from './run';
import { registerServe } from './serve';
import { registerStartExecution } from './start-execution';
import { registerTerminate } from './terminate';

/** Adds `local` and its subcommands to the program. */
export function registerLocal(program: Command, setExit: (code: number) => void): void {
  const local = program
    .command('local')
    .description('Run AWS Batch jobs of a cloud assembly locally on Docker, with AWS Batch semantics');
  registerRun(local, setExit);
  registerDescribe(local, setExit);
  registerList(local, setExit);
  registerLogs(local, setExit);
  registerCancel(local, setExit);
  registerTerminate(local, setExit);
  registerServe(local, setExit);
  registerStartExecution(local, setExit);
  registerInvocations(local, setExit);
  registerExecutions(local, setExit);
  registerOutbox(local, setExit);
  registerReport(local, setExit);
}
