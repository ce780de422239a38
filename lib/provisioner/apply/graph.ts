/**
 * Runs steps in dependency order with bounded parallelism. The first failure stops new steps from
 * starting; steps already running finish; the rest are reported as not done.
 */

/** One step. */
export interface GraphStep {
  /** Unique id. */
  readonly id: string;
  /** Ids of steps that must finish first (ids not in the graph are ignored). */
  readonly dependsOn: readonly string[];
  /** The work. */
  readonly run: () => Promise<void>;
}

/** What happened. */
export interface GraphResult {
  /** Finished steps, in completion order. */
  readonly done: string[];
  /** Failed steps with their error. */
  readonly failed: Array<{ readonly id: string; readonly error: unknown }>;
  /** Steps never started. */
  readonly notDone: string[];
}

/** Runs the steps; at most `concurrency` at a time. */
export async function runGraph(steps: readonly GraphStep[], concurrency: number): Promise<GraphResult> {
  const ids = new Set(steps.map((s) => s.id));
  const done: string[] = [];
  const failed: Array<{ id: string; error: unknown }> = [];
  const started = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const limit = Math.max(1, concurrency);
  for (;;) {
    if (failed.length === 0) {
      for (const s of steps) {
        if (running.size >= limit) break;
        if (started.has(s.id)) continue;
        if (!s.dependsOn.every((d) => !ids.has(d) || done.includes(d))) continue;
        started.add(s.id);
        const p = s
          .run()
          .then(() => {
            done.push(s.id);
          })
          .catch((error: unknown) => {
            failed.push({ id: s.id, error });
          })
          .finally(() => {
            running.delete(s.id);
          });
        running.set(s.id, p);
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  return { done, failed, notDone: steps.filter((s) => !started.has(s.id)).map((s) => s.id) };
}
