/** Collects loader notes, once per (stack, resource, field, message). */
import type { LoaderNote } from '../model/batch-model';
import type { SourceLocation } from '../model/common';

/** A de-duplicating list of {@link LoaderNote}s shared by every stack of one load. */
export class NoteSink {
  /** The notes, in the order first seen. */
  public readonly notes: LoaderNote[] = [];
  private readonly seen = new Set<string>();

  /** Adds a note unless the same one is already there. */
  public add(source: SourceLocation, message: string, field?: string, kind?: LoaderNote['kind']): void {
    const key = JSON.stringify([source.stack, source.logicalId, field, message]);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.notes.push({
      source,
      ...(field === undefined ? {} : { field }),
      message,
      ...(kind === undefined ? {} : { kind }),
    });
  }
}
