/**
 * The one polyfill the Step Functions interpreter needs on Node.js 20: `Promise.withResolvers`
 * (ES2024, Node.js ≥ 22). aws-local-stepfunctions 3.0.0 calls it in every Task state. Installed only
 * when missing, before the interpreter is loaded (step-functions.ts); a no-op on Node.js 22+.
 */

interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

/** Installs `Promise.withResolvers` when the runtime lacks it. */
export function installShims(): void {
  const P = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> };
  if (typeof P.withResolvers === 'function') return;
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function withResolvers<T>(): Resolvers<T> {
      let resolve!: Resolvers<T>['resolve'];
      let reject!: Resolvers<T>['reject'];
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
