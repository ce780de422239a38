/**
 * Where the app around the jobs keeps what happened, next to the job store: JSON lines files in
 * `<store>/app/` (private: 0700 directory, 0600 files), appended synchronously so nothing recorded is
 * lost when the process is killed:
 * - `outbox.jsonl`: SNS publishes and SQS messages (rule targets, `sns:publish`/`sqs:sendMessage` tasks);
 * - `invocations.jsonl`: each Lambda invocation (attempt) with its result or error and its log;
 * - `executions.jsonl`: each Step Functions execution with its history.
 * With the store `':memory:'` the records are kept in memory only.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { InvocationRecord } from './lambda-runner';

/** A message recorded instead of being sent. */
export interface OutboxMessage {
  /** `sns` (a topic publish) or `sqs` (a queue message). */
  readonly kind: 'sns' | 'sqs';
  /** Topic ARN or queue URL. */
  readonly destination: string;
  /** Message id. */
  readonly messageId: string;
  /** The message body (text, as SNS/SQS carry it). */
  readonly message: string;
  /** SNS subject. */
  readonly subject?: string;
  /** Who sent it: `rule <name> target <id>`, `execution <name> state <state>`, `sns <topic>`. */
  readonly from: string;
  /** ISO time. */
  readonly time: string;
}

/** One event of an execution's history. */
export interface ExecutionHistoryEvent {
  /**
   * `ExecutionStarted`, `StateEntered`, `StateExited`, `StateFailed`, `StateRetried`, `StateCaught`,
   * `ExecutionSucceeded`, `ExecutionFailed`, ...
   */
  readonly type: string;
  /** Epoch ms. */
  readonly timestamp: number;
  /** State name (state events). */
  readonly state?: string;
  /** Error and cause (failures). */
  readonly error?: string;
  readonly cause?: string;
}

/** A finished (or failed to start) Step Functions execution. */
export interface ExecutionRecord {
  /** Execution ARN. */
  readonly executionArn: string;
  /** Execution name. */
  readonly name: string;
  /** State machine ARN. */
  readonly stateMachineArn: string;
  /** Who started it: `cli`, `rule <name> target <id>`. */
  readonly startedBy: string;
  /** SUCCEEDED, FAILED, TIMED_OUT or ABORTED. */
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  /** Epoch ms. */
  readonly startDate: number;
  /** Epoch ms. */
  readonly stopDate: number;
  /** Input. */
  readonly input: unknown;
  /** Output (SUCCEEDED). */
  readonly output?: unknown;
  /** Error and cause (FAILED). */
  readonly error?: string;
  readonly cause?: string;
  /** History. */
  readonly history: readonly ExecutionHistoryEvent[];
}

type Kind = 'outbox' | 'invocations' | 'executions';

/** The app's records, in files or in memory. */
export class AppStore {
  /** `<store>/app`, or undefined in memory. */
  readonly dir?: string;
  private readonly memory: Record<Kind, unknown[]> = { outbox: [], invocations: [], executions: [] };
  /** What this process recorded (the files also hold earlier runs'). */
  readonly recent: {
    readonly messages: OutboxMessage[];
    readonly invocations: InvocationRecord[];
    readonly executions: ExecutionRecord[];
  } = { messages: [], invocations: [], executions: [] };

  /** @param storeDir the job store directory, or `':memory:'` */
  constructor(storeDir: string) {
    if (storeDir !== ':memory:') {
      this.dir = path.join(storeDir, 'app');
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    }
  }

  /** Path of one of the files (undefined in memory). */
  file(kind: Kind): string | undefined {
    return this.dir ? path.join(this.dir, `${kind}.jsonl`) : undefined;
  }

  private append(kind: Kind, record: unknown): void {
    const f = this.file(kind);
    if (f) appendFileSync(f, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    else this.memory[kind].push(record);
  }

  private read<T>(kind: Kind): T[] {
    const f = this.file(kind);
    if (!f) return [...this.memory[kind]] as T[];
    if (!existsSync(f)) return [];
    return readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as T];
        } catch {
          return [];
        }
      });
  }

  /** Records an outbox message. */
  addMessage(m: OutboxMessage): void {
    this.recent.messages.push(m);
    this.append('outbox', m);
  }

  /** Records a Lambda invocation. */
  addInvocation(r: InvocationRecord): void {
    this.recent.invocations.push(r);
    this.append('invocations', r);
  }

  /** Records an execution. */
  addExecution(r: ExecutionRecord): void {
    this.recent.executions.push(r);
    this.append('executions', r);
  }

  /** Outbox messages, oldest first. */
  messages(): OutboxMessage[] {
    return this.read<OutboxMessage>('outbox');
  }

  /** Lambda invocations, oldest first (optionally of one function name). */
  invocations(functionName?: string): InvocationRecord[] {
    return this.read<InvocationRecord>('invocations').filter(
      (r) => functionName === undefined || r.functionName === functionName,
    );
  }

  /** Executions, oldest first. */
  executions(): ExecutionRecord[] {
    return this.read<ExecutionRecord>('executions');
  }
}
