/** Writes every event as one JSON line (`.batchkit/events.jsonl` by default). */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BatchJobEvent } from '../../core/model/events';
import type { EventSink } from './sink';

/** File name of the events file inside the store directory (`.batchkit/events.jsonl`). */
export const EVENTS_FILE = 'events.jsonl';

/** Appends events to a JSON lines file, synchronously, so a killed process loses none it delivered. */
export class JsonlSink implements EventSink {
  readonly name: string;

  constructor(readonly path: string) {
    this.name = `jsonl:${path}`;
    mkdirSync(dirname(path), { recursive: true });
  }

  deliver(event: BatchJobEvent): void {
    appendFileSync(this.path, `${JSON.stringify(event)}\n`);
  }
}
