/**
 * A dashboard-only server for `batchkit local run --dashboard`: the pages of {@link dashboard} on a
 * free loopback port, for as long as the run lasts. Read-only (a run has no Batch API to cancel
 * through), loopback only, and it answers only requests whose Host names it and that carry no
 * foreign Origin, so another web page or a rebinding DNS name cannot read it.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalExecutor } from '../executor';
import { dashboard } from './dashboard';

/** A running dashboard server. */
export interface DashboardServer {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** Stops it. */
  close(): Promise<void>;
}

/** Whether a request names this server (Host) and comes from no other site (Origin). */
export function sameSite(req: Pick<IncomingMessage, 'headers'>, port: number): boolean {
  const host = (req.headers.host ?? '').toLowerCase();
  const names = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!names.includes(host)) return false;
  const origin = req.headers.origin;
  return origin === undefined || names.some((n) => origin.toLowerCase() === `http://${n}`);
}

/** Starts the server on 127.0.0.1 and a free port. */
export async function startDashboardServer(executor: Pick<LocalExecutor, 'runData'>, title: string): Promise<DashboardServer> {
  const pages = dashboard(executor, title, { actions: false });
  let port = 0;
  const server = createServer((req, res) => {
    req.resume();
    const answer = sameSite(req, port) ? pages(req.method ?? 'GET', req.url ?? '/') : { status: 403, contentType: 'text/plain; charset=utf-8', body: 'Forbidden: this dashboard answers only http://127.0.0.1 or localhost on its own port.\n' };
    const a = answer ?? { status: 404, contentType: 'text/plain; charset=utf-8', body: 'Not found.\n' };
    res.writeHead(a.status, { 'Content-Type': a.contentType, 'Content-Length': Buffer.byteLength(a.body), 'Cache-Control': 'no-store', 'X-Frame-Options': 'DENY', 'X-Content-Type-Options': 'nosniff' });
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
