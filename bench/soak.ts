/**
 * `npm run soak [-- <runs> <seed>]`: the crash-consistency soak of `batchkit local serve` on the real
 * Docker engine (bench/crash-soak.ts), 20 stop/start cycles by default. Prints its figures and the
 * broken invariants; exits 1 when one broke.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { runCrashSoak } from './crash-soak';

async function main(): Promise<number> {
  const runs = Number(process.argv[2] ?? 20);
  const seed = Number(process.argv[3] ?? 20261206);
  const workDir = mkdtempSync(path.join(tmpdir(), 'batchkit-soak-'));
  const t0 = Date.now();
  try {
    const r = await runCrashSoak({
      runs,
      seed,
      cli: path.join(__dirname, '..', 'bin', 'batchkit.js'),
      workDir,
      log: (l) => process.stderr.write(`${l}\n`),
    });
    const rows: Array<[string, string | number]> = [
      ['stop/start cycles (seed)', `${r.runs} (${seed})`],
      ['SIGKILL / SIGTERM', `${r.sigkills} / ${r.sigterms}`],
      ['jobs acknowledged (200)', r.acknowledged],
      ['SubmitJob cut off by a stop (no answer)', r.unanswered],
      ['containers started', r.containersStarted],
      [
        'at restart: re-attached / finished while stopped / gone',
        `${r.reattached} / ${r.finishedWhileStopped} / ${r.vanished}`,
      ],
      ['longest SIGTERM → exit (ms)', r.maxSigtermExitMs],
      ['last start → every job final (ms)', r.settleMs],
      ['total time (s)', Math.round((Date.now() - t0) / 1000)],
      ['broken invariants', r.violations.length],
    ];
    process.stdout.write(`| figure | value |\n|---|---|\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`);
    for (const v of r.violations) process.stdout.write(`VIOLATION ${v}\n`);
    return r.violations.length === 0 ? 0 : 1;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  },
);
