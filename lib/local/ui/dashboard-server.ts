/**
 * A dashboard-only server for `batchkit local run --dashboard`: the pages of {@link dashboard} on a
 * free loopback port, for as long as the run lasts. Read-only (a run has no Batch API to cancel
 * through), loopback only, and guarded like the API (`api/request-guard.ts`): a Host that is not
 * loopback with this port, or another site's Origin, is refused, so no web page or rebinding DNS
 * name can read it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalExecutor } from '../executor';
import { refusalOf } from '../api/request-guard';
import { dashboard } from './dashboard';

/** A running dashboard server. */
export interface DashboardServer {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** Stops it. */
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 and a free port. */
export async function startDashboardServer(
  executor: Pick<LocalExecutor, 'runData'>,
  title: string,
): Promise<DashboardServer> {
  const pages = dashboard(executor, title, { actions: false });
  let port = 0;
  const server = createServer((req, res) => {
    req.resume();
    // The API's own guard: a loopback Host with this port, no other site's Origin.
    const refusal = refusalOf(req.method ?? 'GET', req.headers, { port });
    const answer = refusal
      ? { status: refusal.status, contentType: 'text/plain; charset=utf-8', body: `${refusal.message}\n` }
      : pages(req.method ?? 'GET', req.url ?? '/');
    const a = answer ?? { status: 404, contentType: 'text/plain; charset=utf-8', body: 'Not found.\n' };
    res.writeHead(a.status, {
      'Content-Type': a.contentType,
      'Content-Length': Buffer.byteLength(a.body),
      'Cache-Control': 'no-store',
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : a.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
