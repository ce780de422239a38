/**
 * The app around the jobs for the `batchkit local` commands: its rules and targets attached to the
 * executor (on by default when the assembly has rules; `--no-rules` turns them off), function output
 * for `--follow`, and the run summary (rules fired, what each target did, the Lambda invocations,
 * executions and outbox messages of this run).
 */
import { existsSync } from 'fs';
import * as path from 'path';
import { loadAppModel } from '../../core/assembly';
import type { AppModel } from '../../core/model/app';
import type { DeploymentEnvironment } from '../../core/model/batch-model';
import { LocalApp, type AppExecutor } from '../../local/app/local-app';
import type { CommonOptions } from './session';
import { DEFAULT_APP, DEFAULT_STORE } from '../defaults';

/** Options of {@link attachApp}. */
export interface AppSessionOptions extends CommonOptions {
  /** `--no-rules` sets this to false. */
  rules?: boolean;
  /** `--time-scale`. */
  timeScale?: string;
}

/** The app of `--app` (empty when there is no assembly). */
export function loadApp(opts: CommonOptions): AppModel {
  const app = opts.app ?? (existsSync(DEFAULT_APP) ? DEFAULT_APP : undefined);
  if (app === undefined || !existsSync(app))
    return { rules: [], functions: [], stateMachines: [], topics: [], queues: [], notes: [] };
  return loadAppModel(app, { stacks: opts.stack });
}

/**
 * Attaches the app's rules to `executor`, or returns undefined when `--no-rules` was given or the
 * app has no rule. Says once where functions run.
 */
export function attachApp(
  opts: AppSessionOptions,
  executor: AppExecutor,
  env: DeploymentEnvironment,
  log: (line: string) => void,
  follow?: (line: string) => void,
): LocalApp | undefined {
  const app = loadApp(opts);
  return opts.rules !== false && app.rules.length > 0 ? createApp(opts, app, executor, env, log, follow) : undefined;
}

/** The app on `executor` whether or not it has rules (what `start-execution` needs); rules on unless `--no-rules`. */
export function createApp(
  opts: AppSessionOptions,
  app: AppModel,
  executor: AppExecutor,
  env: DeploymentEnvironment,
  log: (line: string) => void,
  follow?: (line: string) => void,
): LocalApp {
  const rulesOn = opts.rules !== false && app.rules.length > 0;
  const local = new LocalApp({
    app,
    executor,
    storeDir: path.resolve(opts.store ?? DEFAULT_STORE),
    env,
    timeScale: opts.timeScale !== undefined ? Number(opts.timeScale) : undefined,
    rules: rulesOn,
    onActivity: (line) => log(line),
    onFunctionLog: follow ? (l) => follow(`${l.functionName} | ${l.message}`) : undefined,
  });
  for (const note of app.notes) log(`app: ${note}`);
  const active = local.activeRules();
  if (active.length > 0) {
    log(`rules on (--no-rules turns them off): ${active.map((r) => r.name).join(', ')}`);
  }
  if (app.functions.length > 0) {
    log(`Lambda functions run on this host's node ${process.version} / python3 (no Lambda runtime image is used)`);
  }
  return local;
}

/**
 * Waits until the app and the executor are both done: rule deliveries, invocations and executions
 * have ended, and no job (a Batch target's or an execution's included) can make progress.
 */
export async function settle(app: LocalApp, executor: { waitForIdle(): Promise<void> }): Promise<void> {
  do {
    await app.waitForIdle();
    await executor.waitForIdle();
  } while (app.busy);
}

/**
 * The run summary: rules fired and what their targets did, then the invocations, executions and messages of this
 * run.
 */
export function appSummary(app: LocalApp): string[] {
  const out: string[] = [];
  const fired = app.summary();
  const active = app.activeRules();
  if (active.length > 0) out.push(fired.length === 0 ? 'rules fired: none' : 'rules fired:');
  for (const r of fired) {
    out.push(`  ${r.rule} (${r.logicalId}): matched ${r.matched} event(s)`);
    for (const a of r.actions) out.push(`    target ${a.targetId}: ${a.outcome}`);
  }
  const recent = app.store.recent;
  for (const i of recent.invocations) {
    out.push(
      `  Lambda ${i.functionName} (${i.trigger}, attempt ${i.attempt}): ${i.status}` +
        `${i.error ? ` ${i.error.errorType}: ${i.error.errorMessage}` : ` ${JSON.stringify(i.result)}`}`,
    );
  }
  for (const e of recent.executions) out.push(`  execution ${e.name} of ${e.stateMachineArn}: ${e.status}`);
  for (const m of recent.messages)
    out.push(
      `  outbox ${m.kind} ${m.destination}: ` + `${m.message.length > 200 ? `${m.message.slice(0, 200)}…` : m.message}`,
    );
  if (app.store.dir && recent.messages.length + recent.invocations.length + recent.executions.length > 0)
    out.push(`  (records in ${app.store.dir})`);
  return out;
}
