/**
 * The two small programs a local Lambda invocation runs in its child process (written once into the
 * store's `app/` directory): they load the function's handler from its code directory, build a
 * Lambda-shaped context, call the handler with the event, and write `{"result": ...}` or
 * `{"errorType", "errorMessage", "stackTrace"}` to the result file. The function's own stdout and
 * stderr are its log. The parent process applies the timeout (it kills the child).
 *
 * Both read: BATCHKIT_LAMBDA_TASK_ROOT (code directory), BATCHKIT_LAMBDA_HANDLER (`file.function`,
 * the file may have a directory part), BATCHKIT_LAMBDA_EVENT_FILE, BATCHKIT_LAMBDA_RESULT_FILE,
 * BATCHKIT_LAMBDA_DEADLINE (epoch ms), BATCHKIT_LAMBDA_REQUEST_ID, BATCHKIT_LAMBDA_ARN, and Lambda's
 * own AWS_LAMBDA_FUNCTION_NAME / _VERSION / _MEMORY_SIZE / AWS_LAMBDA_LOG_GROUP_NAME / _STREAM_NAME.
 */

/** Node.js bootstrap (CommonJS; loads CommonJS or ES module handlers). */
export const NODE_BOOTSTRAP = String.raw`'use strict';
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');
const env = process.env;
const resultFile = env.BATCHKIT_LAMBDA_RESULT_FILE;
let written = false;
function write(obj) {
  if (written) return;
  written = true;
  fs.writeFileSync(resultFile, JSON.stringify(obj === undefined ? null : obj));
}
function fail(err) {
  const e = err instanceof Error ? err : new Error(String(err));
  const stackTrace = String(e.stack || '').split('\n').slice(1).map((l) => l.trim());
  write({ errorType: e.name || 'Error', errorMessage: e.message, stackTrace });
}
async function main() {
  const root = env.BATCHKIT_LAMBDA_TASK_ROOT;
  const spec = env.BATCHKIT_LAMBDA_HANDLER || '';
  const dot = spec.lastIndexOf('.');
  if (dot <= 0) {
    throw Object.assign(new Error('Bad handler ' + spec + ': expected file.function'), {
      name: 'Runtime.MalformedHandlerName',
    });
  }
  const base = path.resolve(root, spec.slice(0, dot));
  const name = spec.slice(dot + 1);
  const file = ['.js', '.mjs', '.cjs'].map((x) => base + x).find((f) => fs.existsSync(f));
  if (!file) {
    throw Object.assign(new Error('Cannot find module ' + spec.slice(0, dot) + ' in ' + root), {
      name: 'Runtime.ImportModuleError',
    });
  }
  const mod = await import(pathToFileURL(file).href);
  const handler = mod[name] || (mod.default && mod.default[name]);
  if (typeof handler !== 'function') {
    throw Object.assign(new Error(spec + ' is undefined or not exported'), { name: 'Runtime.HandlerNotFound' });
  }
  const event = JSON.parse(fs.readFileSync(env.BATCHKIT_LAMBDA_EVENT_FILE, 'utf8'));
  const deadline = Number(env.BATCHKIT_LAMBDA_DEADLINE);
  const context = {
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: env.BATCHKIT_LAMBDA_ARN,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: env.BATCHKIT_LAMBDA_REQUEST_ID,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  const result = await new Promise((resolve, reject) => {
    context.succeed = resolve;
    context.fail = reject;
    context.done = (err, value) => (err ? reject(err) : resolve(value));
    const callback = (err, value) => (err ? reject(err) : resolve(value));
    try {
      const r = handler(event, context, callback);
      if (r && typeof r.then === 'function') r.then(resolve, reject);
      else if (handler.length < 3) resolve(r);
    } catch (e) {
      reject(e);
    }
  });
  write({ result: result === undefined ? null : result });
}
main().then(() => process.exit(0), (e) => { fail(e); process.exit(0); });
`;

/** Python bootstrap. */
export const PYTHON_BOOTSTRAP = String.raw`import importlib, json, os, sys, time, traceback
env = os.environ
def write(obj):
    with open(env['BATCHKIT_LAMBDA_RESULT_FILE'], 'w') as f:
        json.dump(obj, f)
class Context:
    def __init__(self):
        self.function_name = env.get('AWS_LAMBDA_FUNCTION_NAME')
        self.function_version = env.get('AWS_LAMBDA_FUNCTION_VERSION')
        self.invoked_function_arn = env.get('BATCHKIT_LAMBDA_ARN')
        self.memory_limit_in_mb = env.get('AWS_LAMBDA_FUNCTION_MEMORY_SIZE')
        self.aws_request_id = env.get('BATCHKIT_LAMBDA_REQUEST_ID')
        self.log_group_name = env.get('AWS_LAMBDA_LOG_GROUP_NAME')
        self.log_stream_name = env.get('AWS_LAMBDA_LOG_STREAM_NAME')
        self._deadline = int(env.get('BATCHKIT_LAMBDA_DEADLINE', '0'))
    def get_remaining_time_in_millis(self):
        return max(0, self._deadline - int(time.time() * 1000))
def main():
    root = env['BATCHKIT_LAMBDA_TASK_ROOT']
    spec = env.get('BATCHKIT_LAMBDA_HANDLER', '')
    mod_path, _, name = spec.rpartition('.')
    if not mod_path:
        raise ValueError('Bad handler ' + spec + ': expected module.function')
    sys.path.insert(0, root)
    mod = importlib.import_module(mod_path.replace('/', '.'))
    handler = getattr(mod, name)
    with open(env['BATCHKIT_LAMBDA_EVENT_FILE']) as f:
        event = json.load(f)
    return handler(event, Context())
try:
    write({'result': main()})
except Exception as e:
    write({'errorType': type(e).__name__, 'errorMessage': str(e), 'stackTrace': traceback.format_exc().splitlines()})
sys.stdout.flush()
`;
