/**
 * `batchkit local report`: one self-contained HTML file of the runs in a store — timeline, dependency
 * graph, capacity over time and a job panel (lib/local/ui). It reads the store only: no Docker engine
 * is needed, and it can run beside a `batchkit local run` on the same store.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import { BatchkitError } from '../../core/errors';
import { Topology } from '../../local/scheduler/capacity';
import { buildRunData, poolInfos, selectRecords } from '../../local/ui/run-data';
import { EXIT } from '../exit';
import { loadModel } from './session';
import { DEFAULT_STORE } from '../defaults';

interface ReportOptions {
  store: string;
  app?: string;
  stack?: string[];
  since?: string;
  out: string;
  json?: boolean;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: an ISO time, or a duration back from `now` (`90s`, `30m`, `2h`, `1d`). */
export function parseSince(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const rel = /^(\d+(?:\.\d+)?)([smhd])$/.exec(value.trim());
  if (rel) return now - Number(rel[1]) * UNITS[rel[2]!]!;
  const at = Date.parse(value);
  if (/^\d{4}-\d{2}-\d{2}/.test(value) && Number.isFinite(at)) return at;
  throw new BatchkitError('BATCHKIT-CLI-LOCAL-030', 'input', `--since "${value}" is neither a time nor a duration.`, {
    fix: 'pass an ISO 8601 time (2026-12-06T10:00:00Z) or a duration back from now: 90s, 30m, 2h, 1d.',
  });
}

/** Adds `local report`. */
export function registerReport(local: Command, setExit: (code: number) => void): void {
  local
    .command('report')
    .description(
      'Write one self-contained HTML report (timeline, dependency graph, capacity, jobs) of the runs in a store',
    )
    .argument('[jobId...]', 'jobs to report, with their children and nodes (default: every job)')
    .requiredOption('--out <file>', 'the HTML file to write')
    .option('--store <dir>', 'job store directory', DEFAULT_STORE)
    .option('--app <path>', 'cloud assembly or template, for compute environment caps (default: cdk.out when present)')
    .option('--since <time>', 'jobs created at or after this ISO time or this long ago (90s, 30m, 2h, 1d)')
    .option('--json', 'print what was written as JSON on stdout')
    .action(async (jobIds: string[], opts: ReportOptions) => {
      // The store (better-sqlite3) and the page load here, in the one command of this file.
      const [{ DATABASE_FILE, SqliteJobStore }, { renderPage }] = await Promise.all([
        import('../../local/store/sqlite-store'),
        import('../../local/ui/report'),
      ]);
      const now = Date.now();
      const since = parseSince(opts.since, now);
      const dir = path.resolve(opts.store);
      if (!existsSync(path.join(dir, DATABASE_FILE))) {
        throw new BatchkitError(
          'BATCHKIT-CLI-LOCAL-031',
          'not-found',
          `there is no job store in ${dir} (no ${DATABASE_FILE}).`,
          {
            fix:
              'pass --store <dir> of the run (the directory given to "batchkit local ' +
              'run|serve --store", default .batchkit).',
          },
        );
      }
      const model = loadModel(opts, false);
      const topology = new Topology(model.jobQueues, model.computeEnvironments, {
        vcpus: cpus().length,
        memoryMiB: Math.floor(totalmem() / (1024 * 1024)),
        gpus: 0,
      });
      const store = new SqliteJobStore(dir);
      let html: string;
      let jobs: number;
      try {
        const records = selectRecords(store.loadAll(), { jobIds, since });
        if (records.length === 0) {
          throw new BatchkitError(
            'BATCHKIT-CLI-LOCAL-032',
            'not-found',
            `no job of the store in ${dir} matches${jobIds.length ? ` ${jobIds.join(', ')}` : ''}` +
              `${opts.since ? ` since ${opts.since}` : ''}.`,
            {
              fix: 'list the stored jobs with "batchkit local list", and pass their ids or a wider --since.',
            },
          );
        }
        jobs = records.length;
        const data = buildRunData({
          records,
          pools: poolInfos(topology),
          title: `batchkit run report — ${opts.store}`,
          now,
          logs: (jobId, attempt) => store.logEntries(jobId, attempt),
        });
        html = renderPage({ data, title: data.title });
      } finally {
        store.close();
      }
      writeFileSync(opts.out, html);
      const bytes = Buffer.byteLength(html);
      if (opts.json) process.stdout.write(`${JSON.stringify({ out: path.resolve(opts.out), jobs, bytes })}\n`);
      process.stderr.write(`batchkit: wrote ${opts.out} (${jobs} job record(s), ${(bytes / 1024).toFixed(0)} KiB)\n`);
      setExit(EXIT.ok);
    });
}
