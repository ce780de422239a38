/** `batchkit local describe`: jobs of the store, as DescribeJobs shows them. */
import type { Command } from 'commander';
import type { JobDetail } from '../../core/model/job';
import { EXIT } from '../exit';
import { formatCounts } from './progress';
import type { CommonOptions } from './session';
import { notFound, storeCommandOptions, withExecutor } from './store-command';

/** A human view of one job. */
export function renderDetail(d: JobDetail): string {
  const lines = [
    `${d.jobName} (${d.jobId})`,
    `  status:          ${d.status}${d.statusReason ? ` (${d.statusReason})` : ''}`,
  ];
  lines.push(`  queue:           ${d.jobQueue}`, `  job definition:  ${d.jobDefinition}`);
  for (const [label, at] of [
    ['created', d.createdAt],
    ['started', d.startedAt],
    ['stopped', d.stoppedAt],
  ] as const) {
    if (at !== undefined) lines.push(`  ${`${label}:`.padEnd(16)} ${new Date(at).toISOString()}`);
  }
  if (d.arrayProperties?.size !== undefined) {
    lines.push(
      `  array:           ${d.arrayProperties.size} children  ${formatCounts(d.arrayProperties.statusSummary ?? {})}`,
    );
  }
  if (d.arrayProperties?.index !== undefined) lines.push(`  array index:     ${d.arrayProperties.index}`);
  if (d.nodeDetails?.nodeIndex !== undefined) {
    lines.push(`  node:            ${d.nodeDetails.nodeIndex}${d.nodeDetails.isMainNode ? ' (main)' : ''}`);
  }
  for (const [i, a] of (d.attempts ?? []).entries()) {
    const exit = a.container?.exitCode !== undefined ? ` exit ${a.container.exitCode}` : '';
    const reason = a.container?.reason ? ` ${a.container.reason};` : '';
    lines.push(`  attempt ${i + 1}:${exit}${reason} ${a.statusReason ?? ''}`.trimEnd());
    if (a.container?.logStreamName) lines.push(`    log stream: ${a.container.logStreamName}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Adds `describe` to the `local` command. */
export function registerDescribe(local: Command, setExit: (code: number) => void): void {
  storeCommandOptions(local.command('describe').description('Describe jobs of the store, as DescribeJobs does'))
    .argument('<jobId...>', 'job ids (children: id:index, nodes: id#node)')
    .action(async (jobIds: string[], opts: CommonOptions) => {
      const details = await withExecutor(opts, (e) => e.describeJobs(jobIds));
      const missing = jobIds.filter((id) => !details.some((d) => d.jobId === id));
      if (details.length === 0) throw notFound(missing);
      process.stdout.write(
        opts.json ? `${JSON.stringify({ jobs: details }, null, 2)}\n` : details.map(renderDetail).join('\n'),
      );
      if (missing.length > 0) process.stderr.write(`batchkit: no job ${missing.join(', ')} in the store\n`);
      setExit(missing.length > 0 ? EXIT.input : EXIT.ok);
    });
}
