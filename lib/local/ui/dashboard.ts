/**
 * The live dashboard of `batchkit local serve` (and `local run --dashboard`): `GET /` is the report
 * page told to poll `GET /_batchkit/run.json` (the executor's {@link RunData}, log tails of the job
 * open in the panel only). Read-only: cancel and terminate go through the Batch API routes, with the
 * API's own Host/Origin/Content-Type protections.
 */
import type { LocalExecutor } from '../executor';
import { renderPage, scriptSafeJson } from './report';

/** Path of the data the page polls. */
export const DASHBOARD_DATA_PATH = '/_batchkit/run.json';
/** How often the page polls. */
export const DASHBOARD_POLL_MS = 1000;

/** A page or data answer. */
export interface PageAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** Answers the dashboard's GET requests; undefined for any other path (left to the API). */
export type DashboardHandler = (method: string, url: string) => PageAnswer | undefined;

/** The dashboard over one executor; `actions: false` hides cancel/terminate (no API beside it). */
export function dashboard(
  executor: Pick<LocalExecutor, 'runData'>,
  title: string,
  options: { actions?: boolean } = {},
): DashboardHandler {
  return (method, rawUrl) => {
    const url = new URL(rawUrl, 'http://localhost');
    const page = url.pathname === '/' || url.pathname === '/index.html';
    const data = url.pathname === DASHBOARD_DATA_PATH;
    if (!page && !data) return undefined;
    if (method !== 'GET' && method !== 'HEAD') {
      return {
        status: 405,
        contentType: 'text/plain; charset=utf-8',
        body: `${method} is not allowed on ${url.pathname}: the dashboard is read-only.\n`,
      };
    }
    if (page) {
      return {
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: renderPage({
          title,
          live: { dataUrl: DASHBOARD_DATA_PATH, intervalMs: DASHBOARD_POLL_MS, actions: options.actions !== false },
        }),
      };
    }
    const tails = url.searchParams.get('tails');
    const run = executor.runData({ title, tails: (id) => id === tails });
    return { status: 200, contentType: 'application/json', body: scriptSafeJson(run) };
  };
}
