/**
 * `npm run bench`: runs every `bench/*.bench.ts` module (compiled to `dist/bench/*.bench.js`),
 * prints each one's table and targets, and sets a non-zero exit code when a target is missed.
 * Timings are ratios against a baseline measured in the same run, never absolute thresholds.
 * `node dist/bench/run.js synth` runs only the modules whose file name starts with `synth`.
 */
import { readdirSync } from 'fs';
import * as path from 'path';
import { formatTable, normalizeResult, type BenchModule } from './bench';

async function main(): Promise<number> {
  const only = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((f) => /\.bench\.js$/.test(f))
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort();
  if (files.length === 0) {
    process.stderr.write(`no benchmark modules (*.bench.js) in ${__dirname}\n`);
    return 2;
  }
  let missed = 0;
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(__dirname, file)) as BenchModule;
    process.stderr.write(`running ${file} ...\n`);
    const result = normalizeResult(file.replace(/\.bench\.js$/, ''), await mod.run());
    process.stdout.write(`\n## ${result.title}\n\n${formatTable(result.rows)}\n\n`);
    for (const t of result.targets) {
      process.stdout.write(`${t.pass ? 'PASS' : 'MISS'}  ${t.description}: ${t.measured}\n`);
      if (!t.pass) missed++;
    }
    for (const n of result.notes ?? []) process.stdout.write(`note: ${n}\n`);
  }
  return missed === 0 ? 0 : 1;
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
