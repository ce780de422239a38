/**
 * SIGINT (Ctrl-C) and SIGTERM for the long-running local commands (`local run`, `local serve`): the
 * signal detaches. The command stops scheduling, leaves running job containers running with their
 * labels, flushes and closes the store and exits at once — the same state a SIGKILL leaves, so the
 * next `local run` or `local serve` on the store re-attaches them and records their true outcome.
 */

let received: NodeJS.Signals | undefined;

/** The stop signal this process received, if any (the CLI then exits as soon as the command returned). */
export function stopSignalReceived(): NodeJS.Signals | undefined {
  return received;
}

/** A wait for SIGINT or SIGTERM. */
export interface StopSignal {
  /** Resolves with the signal. */
  readonly signal: Promise<NodeJS.Signals>;
  /** Removes the handlers (a second signal then ends the process the default way). */
  dispose(): void;
}

/** Starts listening for SIGINT and SIGTERM. */
export function onStopSignal(): StopSignal {
  let resolve: (s: NodeJS.Signals) => void = () => undefined;
  const signal = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const handler = (s: NodeJS.Signals): void => {
    received = s;
    dispose();
    resolve(s);
  };
  const dispose = (): void => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return { signal, dispose };
}
