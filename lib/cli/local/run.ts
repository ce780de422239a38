/**
 * `batchkit local run`: submit one job (flags) or several (`--file`) the way SubmitJob would, show
 * their progress on stderr, wait, print the outcome on stdout, and exit 0 when every job SUCCEEDED,
 * 1 when one FAILED or can never start (printing why), 2 on bad input, 130/143 when SIGINT/SIGTERM
 * stopped the wait (the jobs' containers keep running: see stop-signal.ts).
 */
import { readFileSync } from 'fs';
import type { Command } from 'commander';
import { BatchkitError } from '../../core/errors';
import type { JobDetail } from '../../core/model/job';
import { EXIT } from '../exit';
import { renderSummaryTable, WaitNotice } from './waiting';
import { dependencyOrder, parseJobsFile, toSubmitRequest, type LocalJobSpec } from './job-spec';
import { ProgressReporter } from './progress';
import { addSubmitOptions, SUBMIT_FLAG_KEYS, specFromSubmitFlags, type SubmitFlags } from '../submit-options';
import { HostAccess } from '../../local/host-access';
import { findJobDefinition } from './lookup';
import { addHostAccessOptions, hostAccessOptions, loadModel, openSession, type SessionOptions } from './session';
import { nestedOption, parameterOverridesOption } from '../loader-options';
import { followLogs, joinReasons, renderOutcome, waitForOutcome } from './run-wait';
import { appSummary, attachApp, settle } from './app-session';
import { onStopSignal } from './stop-signal';
import { repeatable, stackOption } from '../options';
import { DEFAULT_APP, DEFAULT_STORE } from '../defaults';

/** Flags of `batchkit local run`. */
interface RunOptions extends SessionOptions, SubmitFlags {
  follow?: boolean;
  file?: string;
  dashboard?: boolean;
  /** `--no-rules` sets it to false. */
  rules?: boolean;
}

/** Adds `run` to the `local` command. */
export function registerRun(local: Command, setExit: (code: number) => void): void {
  const command = addSubmitOptions(
    local
      .command('run')
      .description('Submit a job (or the jobs of --file) to the local executor, show progress and wait for the outcome')
      .argument('[command...]', 'command override, after -- (e.g. -- sh -c "echo hi")')
      .option('--app <path>', 'cloud assembly directory or template file', DEFAULT_APP)
      .addOption(stackOption())
      .addOption(parameterOverridesOption())
      .addOption(nestedOption()),
    {
      queue: 'job queue: name, ARN, logical id or construct path/id',
      jobDefinition: 'job definition: name, name:revision, ARN, logical id or construct path/id',
    },
  )
    .option('--follow', "print each job's log lines on stdout as they are written, until the jobs end")
    .option('--file <jobs.json>', 'submit the jobs of a file, with dependencies by name')
    .option('--secrets <file.json>', 'secret values by valueFrom (never printed)')
    .addOption(repeatable('--on-event <module>', 'JavaScript module whose handler(event, context) receives each event'))
    .addOption(repeatable('--webhook <url>', 'http URL on loopback that receives each event as a POST'))
    .option('--events <file.jsonl>', 'append each event as a JSON line to this file')
    .option('--time-scale <n>', 'local only: run timers n times faster (60 makes a 60 s timeout fire after 1 s)')
    .option('--max-vcpus <n>', 'cap on vCPUs of every compute environment (default: this host)')
    .option('--max-memory <MiB>', 'cap on memory of every compute environment (default: this host)')
    .option('--store <dir>', 'job store directory', DEFAULT_STORE)
    .option('--json', 'print the jobs as DescribeJobs JSON on stdout')
    .option('--dashboard', 'serve a live dashboard of the run on 127.0.0.1 while it runs, and print its URL')
    .option(
      '--no-rules',
      "do not run the app's EventBridge rules and their targets (on by " + 'default when the assembly has rules)',
    );
  addHostAccessOptions(command).action(async (commandArgs: string[], opts: RunOptions) => {
    setExit(await runLocal(commandArgs, opts));
  });
}

/** The specs a run submits, from `--file` or from the flags. */
export function specsFromOptions(commandArgs: readonly string[], opts: RunOptions): LocalJobSpec[] {
  if (opts.file !== undefined) {
    const mixed = SUBMIT_FLAG_KEYS.filter((k) => opts[k] !== undefined);
    if (mixed.length > 0 || commandArgs.length > 0) {
      throw new BatchkitError(
        'BATCHKIT-CLI-LOCAL-009',
        'input',
        `--file cannot be combined with the flags of a single job (` +
          `${mixed.map((k) => `--${kebab(k)}`).join(', ') || 'a command after --'}).`,
        {
          fix: 'put those settings on the jobs of the file, or drop --file.',
        },
      );
    }
    let text: string;
    try {
      text = readFileSync(opts.file, 'utf8');
    } catch {
      throw new BatchkitError('BATCHKIT-CLI-LOCAL-004', 'input', `--file ${opts.file} cannot be read.`, {
        fix: 'check the path.',
      });
    }
    return dependencyOrder(parseJobsFile(opts.file, text), opts.file);
  }
  return [
    specFromSubmitFlags(commandArgs, opts, {
      command: 'batchkit local run',
      code: 'BATCHKIT-CLI-LOCAL-009',
      alternative: ' (or --file)',
      missingFix: 'pass --job-queue <name> --job-definition <name>, or --file jobs.json.',
      minTimeoutSeconds: 1,
    }),
  ];
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Runs the command; returns the exit code. */
export async function runLocal(commandArgs: readonly string[], opts: RunOptions): Promise<number> {
  const specs = specsFromOptions(commandArgs, opts);
  const err = process.stderr;
  const model = loadModel(opts, true);
  // Every queue and definition (host paths and devices included) is checked before anything is
  // submitted or Docker is asked.
  const hostAccess = new HostAccess(hostAccessOptions(opts));
  for (const spec of specs) {
    toSubmitRequest(model, spec, new Map());
    hostAccess.check(findJobDefinition(model, spec.jobDefinition));
  }
  const session = await openSession(opts, model, (line) => err.write(`${line}\n`));
  const { executor } = session;
  const app = attachApp(
    opts,
    executor,
    model.environment,
    (line) => err.write(`${line}\n`),
    opts.follow ? (line) => process.stdout.write(`${line}\n`) : undefined,
  );
  const stop = onStopSignal();
  const dashboard = opts.dashboard ? await import('../../local/ui/dashboard-server') : undefined;
  const board = await dashboard?.startDashboardServer(executor, `batchkit local run — ${opts.store ?? DEFAULT_STORE}`);
  if (board) err.write(`dashboard: ${board.url}\n`);
  try {
    const submitted: Array<{ name: string; jobId: string }> = [];
    // After 5 s without a progress line, say what the run waits for (again every 10 s of quiet).
    const notice = new WaitNotice(executor, submitted, (l) => err.write(`${l}\n`), Date.now);
    const progressOut = { isTTY: err.isTTY, write: (text: string) => (notice.activity(), err.write(text)) };
    const reporter = new ProgressReporter(progressOut);
    const ticker = setInterval(() => notice.tick(), 1000);
    ticker.unref();
    const ids = new Map<string, string>();
    const unsubscribe = executor.onEvent((event) => reporter.onEvent(event));
    const stopLogs = opts.follow ? followLogs(executor, process.stdout) : () => undefined;
    try {
      for (const spec of specs) {
        const res = executor.submitJob(toSubmitRequest(session.model, spec, ids));
        ids.set(spec.name, res.jobId);
        reporter.track(res.jobId, spec.name);
        submitted.push({ name: spec.name, jobId: res.jobId });
        reporter.line(`submitted ${spec.name}: ${res.jobId}`);
      }
      const outcome = await Promise.race([waitForOutcome(executor, submitted, reporter), stop.signal]);
      if (typeof outcome === 'string') {
        const open = executor
          .describeJobs(submitted.map((s) => s.jobId))
          .filter((d) => d.status !== 'SUCCEEDED' && d.status !== 'FAILED');
        err.write(
          `batchkit: ${outcome}: stopping; ${open.length} job(s) not finished keep running in their containers; ` +
            `the next \`batchkit local run\` or \`batchkit local serve\` on this ` +
            `--store re-attaches them and records their outcome\n`,
        );
        return outcome === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
      }
      if (app) {
        // Rule deliveries, Lambda invocations (with their retries) and executions started by targets.
        await settle(app, executor);
        for (const line of appSummary(app)) err.write(`${line}\n`);
      }
      const details: JobDetail[] = executor.describeJobs(submitted.map((s) => s.jobId));
      process.stdout.write(
        opts.json
          ? `${JSON.stringify({ jobs: details }, null, 2)}\n`
          : process.stdout.isTTY
            ? renderSummaryTable(details, outcome.blocked, Date.now())
            : renderOutcome(details, outcome.blocked),
      );
      for (const [jobId, reasons] of outcome.blocked) {
        err.write(`${jobId} is RUNNABLE and cannot start: ${joinReasons(reasons)}\n`);
      }
      // The progress lines already said FAILED with the reason for the jobs whose change they saw.
      for (const d of details.filter(
        (x) => x.status === 'FAILED' && !reporter.reportedFailed(x.jobId, x.statusReason),
      )) {
        err.write(`${d.jobName} (${d.jobId}) FAILED: ${d.statusReason ?? 'no reason given'}\n`);
      }
      return details.every((d) => d.status === 'SUCCEEDED') ? EXIT.ok : EXIT.failed;
    } finally {
      clearInterval(ticker);
      unsubscribe();
      stopLogs();
    }
  } finally {
    app?.close();
    stop.dispose();
    await board?.close();
    await executor.close();
  }
}
