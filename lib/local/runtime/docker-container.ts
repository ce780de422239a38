/**
 * A started (or exited) Docker container: wait for its exit, signal it, read its logs, remove it.
 */
import type Dockerode from 'dockerode';
import { BatchkitError, isBatchkitError } from '../../core/errors';
import type { ContainerExit, LogFollow, RunningContainer } from './container-runtime';
import { engineMessage, isUnreachable, statusCode } from './docker-errors';
import type { EngineWatch } from './engine-watch';
import { LogDemuxer, demuxLogs, formatLogs, type LogEntry } from './log-demux';

/** A started container on a Docker engine. */
export class DockerRunningContainer implements RunningContainer {
  private exit?: Promise<ContainerExit>;

  constructor(
    private readonly container: Dockerode.Container,
    private readonly address: string,
    private readonly watch: EngineWatch,
    private readonly startError?: string,
  ) {}

  /** Engine id. */
  get id(): string {
    return this.container.id;
  }

  /**
   * Resolves with the exit code and `OOMKilled` from the engine's record once the container stopped.
   * Rejects with BATCHKIT-DOCKER-002 (kind `environment`) when the engine goes away meanwhile.
   */
  wait(): Promise<ContainerExit> {
    if (!this.exit) this.exit = this.waitForExit();
    return this.exit;
  }

  private async waitForExit(): Promise<ContainerExit> {
    try {
      if (this.startError === undefined) {
        await this.watch.guard(
          (abortSignal) => this.container.wait({ condition: 'not-running', abortSignal }),
          (cause) => engineLost(this.address, this.id, cause),
        );
      }
      // The wait response can be early on some engines: the inspected state is the truth.
      const info = await this.container.inspect();
      const state = info.State as { ExitCode?: number; OOMKilled?: boolean; Error?: string };
      const error = this.startError ?? (state.Error ? state.Error : undefined);
      return {
        exitCode: state.ExitCode ?? (error !== undefined ? 128 : 0),
        oomKilled: state.OOMKilled === true,
        ...(error !== undefined ? { error } : {}),
      };
    } catch (e) {
      if (isBatchkitError(e)) throw e;
      if (statusCode(e) === 404) {
        return {
          exitCode: 137,
          oomKilled: false,
          error: `container ${this.id.slice(0, 12)} was removed before it exited`,
        };
      }
      throw engineLost(this.address, this.id, e);
    }
  }

  /** Sends a signal; a container that already stopped or is gone is left alone. */
  async kill(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    try {
      await this.container.kill({ signal });
    } catch (e) {
      const code = statusCode(e);
      if (code === 404 || code === 409 || code === 304) return;
      if (isUnreachable(e)) throw engineLost(this.address, this.id, e);
      throw e;
    }
  }

  /** Its stdout and stderr, one `<timestamp> <stream> <line>` per line (the last `tail` ones when given). */
  async logs(tail?: number): Promise<string> {
    return formatLogs(await this.logEntries(tail));
  }

  /** Its stdout and stderr as entries, in the engine's order (the last `tail` ones when given). */
  async logEntries(tail?: number): Promise<LogEntry[]> {
    try {
      const raw: unknown = await this.container.logs({
        stdout: true,
        stderr: true,
        timestamps: true,
        follow: false,
        ...(tail !== undefined ? { tail } : {}),
      });
      const buffer = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw ?? ''), 'utf8');
      return demuxLogs(buffer);
    } catch (e) {
      if (statusCode(e) === 404) return [];
      if (isUnreachable(e)) throw engineLost(this.address, this.id, e);
      throw e;
    }
  }

  /**
   * Follows stdout and stderr (`GET /containers/{id}/logs?follow=1&timestamps=1`, demuxed): the one
   * request replaces the read at exit, from the first line, so nothing is lost when the container
   * stops before the stream opens. A container already gone ends the stream with no lines.
   */
  followLogs(onLines: (lines: readonly LogEntry[]) => void): LogFollow {
    const abort = new AbortController();
    const demuxer = new LogDemuxer();
    const deliver = (lines: LogEntry[]): void => {
      if (lines.length > 0 && !abort.signal.aborted) onLines(lines);
    };
    const done = this.container
      .logs({ stdout: true, stderr: true, timestamps: true, follow: true, abortSignal: abort.signal })
      .then(
        (stream) =>
          new Promise<void>((resolve, reject) => {
            stream.on('data', (chunk: Buffer | string) =>
              deliver(demuxer.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, 'utf8'))),
            );
            let ended = false;
            stream.on('end', () => {
              ended = true;
              deliver(demuxer.end());
              resolve();
            });
            // Closed before its end: the connection broke, the lines may be incomplete.
            stream.on('close', () =>
              ended || abort.signal.aborted
                ? resolve()
                : reject(engineLost(this.address, this.id, new Error('log stream closed before its end'))),
            );
            stream.on('error', (e: unknown) =>
              abort.signal.aborted ? resolve() : reject(isUnreachable(e) ? engineLost(this.address, this.id, e) : e),
            );
          }),
        (e: unknown) => {
          if (abort.signal.aborted || statusCode(e) === 404) return;
          throw isUnreachable(e) ? engineLost(this.address, this.id, e) : e;
        },
      );
    return { done, stop: () => abort.abort() };
  }

  /** Removes it with its anonymous volumes; a container already gone is fine. */
  async remove(): Promise<void> {
    try {
      await this.container.remove({ force: true, v: true });
    } catch (e) {
      const code = statusCode(e);
      if (code === 404 || code === 409) return;
      if (isUnreachable(e)) throw engineLost(this.address, this.id, e);
      throw e;
    }
  }
}

/**
 * A container the engine refused to start (`exec: "x": executable file not found`, a bad mount):
 * its `wait()` resolves at once with the engine's text as `error`, in the form AWS reports it
 * (`CannotStartContainerError: Error response from daemon: ...`).
 */
export function startFailed(
  container: Dockerode.Container,
  address: string,
  watch: EngineWatch,
  engineText: string,
): DockerRunningContainer {
  return new DockerRunningContainer(container, address, watch, `CannotStartContainerError: ${engineText}`);
}

/** The error for an engine lost while a container runs (BATCHKIT-DOCKER-002). */
export function engineLost(address: string, containerId: string, cause: unknown): BatchkitError {
  return new BatchkitError(
    'BATCHKIT-DOCKER-002',
    'environment',
    `Docker engine at ${address} went away while container ` +
      `${containerId.slice(0, 12)} was running: ${engineMessage(cause)}.`,
    { fix: 'restart the engine (scripts/dev-setup.sh); the attempt is recorded as failed.', cause },
  );
}
