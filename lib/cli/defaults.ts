/**
 * Default values of the CLI's options, in one place: the option definitions, their help texts and
 * the README use these (test/cli/help.test.ts checks every command's help against them).
 */

/** `--app`: the cloud assembly `cdk synth` writes. */
export const DEFAULT_APP = 'cdk.out';

/** `--store` of the `local` commands. */
export const DEFAULT_STORE = '.batchkit';

/** `local serve --port`. */
export const DEFAULT_SERVE_PORT = 9070;

/** `local serve --host`: loopback only. */
export const DEFAULT_SERVE_HOST = '127.0.0.1';

/** `local serve --region`: environment-agnostic stacks and unsigned requests. */
export const DEFAULT_SERVE_REGION = 'us-east-1';

/** `--poll-seconds` of `apply`, `destroy` and `submit`. */
export const DEFAULT_POLL_SECONDS = 5;

/** `apply --concurrency`. */
export const DEFAULT_APPLY_CONCURRENCY = 4;

/** `apply --iam-settle-seconds`. */
export const DEFAULT_IAM_SETTLE_SECONDS = 10;

/** The URL of `batchkit local serve` with its default port, as help texts suggest it for `--endpoint-url`. */
export const LOCAL_SERVE_URL = `http://${DEFAULT_SERVE_HOST}:${DEFAULT_SERVE_PORT}`;
