/**
 * Step Functions executions of the app's state machines on `aws-local-stepfunctions` (an ASL
 * interpreter from npm, pinned; loaded on first use, after shims.ts). Every Task state runs through a
 * local handler for its resource (sfn-integrations.ts), so the interpreter never calls AWS. Task
 * states without `TimeoutSeconds` get none (the interpreter's own default is 60 s; AWS has none).
 * Executions are recorded in the app store with their history.
 */
import { randomUUID } from 'node:crypto';
import { BatchkitError } from '../../core/errors';
import type { StateMachineModel } from '../../core/model/app';
import type { ExecutionHistoryEvent, ExecutionRecord } from './app-store';
import type { LocalApp } from './local-app';
import { integrationFor, SUPPORTED_INTEGRATIONS, type TaskHandler } from './sfn-integrations';
import { installShims } from './shims';

/** Error code: a state machine whose definition cannot run locally. */
export const SFN_ERRORS = { definition: 'BATCHKIT-LOCAL-APP-010', unsupported: 'BATCHKIT-LOCAL-APP-011' } as const;

/** A started execution. */
export interface StartedExecution {
  /** Execution name. */
  readonly name: string;
  /** Execution ARN. */
  readonly executionArn: string;
  /** Resolves with the record when the execution ends (it never rejects). */
  readonly done: Promise<ExecutionRecord>;
}

/** Longest Task timeout a Node.js timer can hold (~24.8 days): what "no timeout" becomes. */
const NO_TIMEOUT_SECONDS = 2_147_483;

type States = Record<string, Record<string, unknown>>;

/** Visits every state of a definition, branches and map iterators included. */
function eachState(def: Record<string, unknown>, visit: (name: string, state: Record<string, unknown>) => void): void {
  const states = (def.States ?? {}) as States;
  for (const [name, state] of Object.entries(states)) {
    visit(name, state);
    for (const b of (Array.isArray(state.Branches) ? state.Branches : []) as Array<Record<string, unknown>>)
      eachState(b, visit);
    for (const key of ['Iterator', 'ItemProcessor']) {
      const inner = state[key];
      if (inner && typeof inner === 'object') eachState(inner as Record<string, unknown>, visit);
    }
  }
}

interface Interpreter {
  StateMachine: new (
    definition: unknown,
    options?: { validationOptions?: { checkArn?: boolean; checkPaths?: boolean } },
  ) => {
    run(
      input: unknown,
      options?: {
        overrides?: { taskResourceLocalHandlers?: Record<string, (input: unknown) => Promise<unknown>> };
        context?: Record<string, unknown>;
      },
    ): { result: Promise<unknown>; eventLogs: AsyncIterable<InterpreterEvent>; abort(): void };
  };
}

interface InterpreterEvent {
  type: string;
  timestamp: number;
  state?: { name: string };
  Error?: string;
  Cause?: unknown;
}

let interpreter: Interpreter | undefined;

function loadInterpreter(): Interpreter {
  if (!interpreter) {
    installShims();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    interpreter = require('aws-local-stepfunctions') as Interpreter;
  }
  return interpreter;
}

/**
 * A state machine by name, ARN, logical id or construct path (with or without `/Resource`); throws
 * an input BatchkitError listing the app's state machines when none matches.
 */
export function findStateMachine(all: readonly StateMachineModel[], ref: string): StateMachineModel {
  const hit = all.find(
    (m) =>
      m.name === ref ||
      m.arn === ref ||
      m.logicalId === ref ||
      m.source.constructPath === ref ||
      m.source.constructPath === `${ref}/Resource`,
  );
  if (hit) return hit;
  throw new BatchkitError(
    'BATCHKIT-LOCAL-APP-012',
    'input',
    `--state-machine "${ref}": the app has no such state machine.`,
    {
      fix: all.length
        ? `use a name, logical id or construct path of: ` +
          `${all
            .map((m) => `${m.name} (${m.logicalId}${m.source.constructPath ? `, ${m.source.constructPath}` : ''})`)
            .join('; ')}.`
        : 'the app declares no AWS::StepFunctions::StateMachine.',
    },
  );
}

/** Runs executions of the app's state machines. */
export class StepFunctionsRunner {
  constructor(private readonly app: LocalApp) {}

  /** Finds a state machine of the app (see {@link findStateMachine}). */
  find(ref: string): StateMachineModel {
    return findStateMachine(this.app.app.stateMachines, ref);
  }

  /**
   * Checks that `machine` can run locally: a readable definition whose every Task resource is a
   * supported integration. Throws a BatchkitError naming the state and resource otherwise.
   */
  check(machine: StateMachineModel): Record<string, unknown> {
    if (!machine.definition) {
      throw new BatchkitError(
        SFN_ERRORS.definition,
        'input',
        `State machine ${machine.name} (${machine.logicalId}): ${machine.definitionProblem ?? 'no definition'}.`,
        {
          fix: 'give it an inline definition (DefinitionBody.fromChainable / fromString) or a definition file asset.',
        },
      );
    }
    const unsupported: string[] = [];
    eachState(machine.definition, (name, state) => {
      if (state.Type === 'Task' && !integrationFor(String(state.Resource ?? '')))
        unsupported.push(`state "${name}": ${String(state.Resource)}`);
    });
    if (unsupported.length > 0) {
      throw new BatchkitError(
        SFN_ERRORS.unsupported,
        'input',
        `State machine ${machine.name} (${machine.logicalId}) uses integrations ` +
          `batchkit does not run locally: ${unsupported.join('; ')}.`,
        {
          fix: `local executions support ${SUPPORTED_INTEGRATIONS.join(', ')}.`,
        },
      );
    }
    return machine.definition;
  }

  /**
   * Starts an execution. A definition that cannot run locally gives an execution that FAILED at once
   * (error `States.Runtime`, the cause naming the state and the resource). `onEvent` receives the
   * history events as they happen.
   */
  start(
    machine: StateMachineModel,
    input: unknown,
    startedBy: string,
    onEvent?: (e: ExecutionHistoryEvent) => void,
  ): StartedExecution {
    const name = randomUUID();
    const { partition, region, account } = this.app.env;
    const executionArn = `arn:${partition}:states:${region}:${account}:execution:${machine.name}:${name}`;
    const startDate = Date.now();
    const history: ExecutionHistoryEvent[] = [];
    const push = (e: ExecutionHistoryEvent) => {
      history.push(e);
      onEvent?.(e);
    };
    const finish = (
      rec: Omit<
        ExecutionRecord,
        'executionArn' | 'name' | 'stateMachineArn' | 'startedBy' | 'startDate' | 'stopDate' | 'input' | 'history'
      >,
    ): ExecutionRecord => {
      const full: ExecutionRecord = {
        executionArn,
        name,
        stateMachineArn: machine.arn,
        startedBy,
        startDate,
        stopDate: Date.now(),
        input,
        ...rec,
        history,
      };
      this.app.store.addExecution(full);
      this.app.activity(
        `execution ${name} of ${machine.name}: ${full.status}` +
          `${full.error ? ` (${full.error}: ${full.cause ?? ''})` : ''}`,
      );
      return full;
    };
    const run = async (): Promise<ExecutionRecord> => {
      let definition: Record<string, unknown>;
      try {
        definition = structuredClone(this.check(machine));
      } catch (e) {
        push({ type: 'ExecutionFailed', timestamp: Date.now(), error: 'States.Runtime', cause: (e as Error).message });
        return finish({ status: 'FAILED', error: 'States.Runtime', cause: (e as Error).message });
      }
      const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
      eachState(definition, (stateName, state) => {
        if (state.Type !== 'Task') return;
        if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined)
          state.TimeoutSeconds = NO_TIMEOUT_SECONDS;
        const handler = integrationFor(String(state.Resource)) as TaskHandler;
        handlers[stateName] = (taskInput) => handler(this.app, taskInput, { execution: name, state: stateName });
      });
      const { StateMachine } = loadInterpreter();
      const sm = new StateMachine(definition, { validationOptions: { checkArn: false } });
      const execution = sm.run(input, {
        overrides: { taskResourceLocalHandlers: handlers },
        context: { Execution: { Id: executionArn, Name: name }, StateMachine: { Id: machine.arn, Name: machine.name } },
      });
      const logging = (async () => {
        for await (const ev of execution.eventLogs) {
          push({
            type: ev.type,
            timestamp: ev.timestamp,
            ...(ev.state ? { state: ev.state.name } : {}),
            ...(ev.Error !== undefined ? { error: ev.Error } : {}),
            ...(ev.Cause !== undefined
              ? { cause: typeof ev.Cause === 'string' ? ev.Cause : JSON.stringify(ev.Cause) }
              : {}),
          });
          if (
            ev.type === 'ExecutionSucceeded' ||
            ev.type === 'ExecutionFailed' ||
            ev.type === 'ExecutionAborted' ||
            ev.type === 'ExecutionTimeout'
          )
            break;
        }
      })();
      try {
        const output = await execution.result;
        await logging;
        return finish({ status: 'SUCCEEDED', output });
      } catch (e) {
        await logging;
        const err = e as Error & { cause?: { name?: string; message?: string } };
        if (err.name === 'ExecutionTimeoutError')
          return finish({
            status: 'TIMED_OUT',
            error: 'States.Timeout',
            cause: 'the execution exceeded its TimeoutSeconds',
          });
        if (err.name === 'ExecutionAbortedError') return finish({ status: 'ABORTED' });
        return finish({
          status: 'FAILED',
          error: err.cause?.name ?? err.name,
          cause: err.cause?.message ?? err.message,
        });
      }
    };
    const done = this.app.track(run());
    return { name, executionArn, done };
  }
}
