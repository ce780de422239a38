/**
 * The contract of a benchmark module: `bench/<name>.bench.ts` exports `run()`, which measures
 * batchkit against a baseline in the same process and returns rows and targets.
 */

/** One row of a benchmark's table. */
export type BenchRow = Record<string, string | number | boolean>;

/** A target a benchmark checks (e.g. "synth time ≤ 1.1× aws-cdk-lib"). */
export interface BenchTarget {
  /** What is required. */
  readonly description: string;
  /** Whether the run met it. */
  readonly pass: boolean;
  /** The measured figure, for the report. */
  readonly measured: string;
}

/** What a benchmark returns. */
export interface BenchResult {
  /** Title. */
  readonly title: string;
  /** Rows, all with the same keys. */
  readonly rows: BenchRow[];
  /** Targets and whether they were met. */
  readonly targets: BenchTarget[];
  /** Notes printed under the table. */
  readonly notes?: string[];
}

/**
 * A flat result row some modules return instead of a {@link BenchResult}: a named measurement
 * with its target and whether it was met (`target: 'info'` rows are figures, not targets).
 */
export interface FlatBenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target: string;
  readonly pass: boolean;
}

/** A benchmark module. */
export interface BenchModule {
  /** Runs the benchmark. */
  run(): BenchResult | FlatBenchRow[] | Promise<BenchResult | FlatBenchRow[]>;
}

/** Turns either result shape into a {@link BenchResult}. */
export function normalizeResult(title: string, result: BenchResult | FlatBenchRow[]): BenchResult {
  if (!Array.isArray(result)) return result;
  return {
    title,
    rows: result.map((r) => ({ measurement: r.name, value: r.value, unit: r.unit, target: r.target })),
    targets: result
      .filter((r) => r.target !== 'info')
      .map((r) => ({ description: `${r.name} ${r.target}`, pass: r.pass, measured: `${r.value} ${r.unit}` })),
  };
}

/** Renders rows as an aligned text table. */
export function formatTable(rows: readonly BenchRow[]): string {
  if (rows.length === 0) return '(no rows)';
  const keys = Object.keys(rows[0]);
  const cells = [keys, ...rows.map((r) => keys.map((k) => String(r[k] ?? '')))];
  const widths = keys.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
