/**
 * One self-contained HTML page: the browser bundle (built by scripts/build-ui.js), the run data
 * and the page configuration inline. The report opens from disk without any network request; the
 * dashboard is the same page told to poll the server that served it.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { BatchkitError } from '../../core/errors';
import type { RunData } from './run-data-types';

const BUNDLE = 'client-bundle.js';
let cached: string | undefined;

/** The browser bundle: beside this module in `dist/`, or in `dist/` of the package when run from source. */
export function clientBundle(): string {
  if (cached !== undefined) return cached;
  const candidates = [path.join(__dirname, BUNDLE), path.resolve(__dirname, '../../../dist/lib/local/ui', BUNDLE)];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new BatchkitError(
      'BATCHKIT-UI-001',
      'internal',
      `The report's browser bundle (${BUNDLE}) is missing; looked in ${candidates.join(', ')}.`,
      {
        fix: 'build the package (npm run build), which bundles lib/local/ui/client.',
      },
    );
  }
  cached = readFileSync(found, 'utf8');
  return cached;
}

/** JSON that can stand inside a `<script>` element (no `</script>`, no `<!--`). */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Options of {@link renderPage}. */
export interface PageOptions {
  /** The run, inline (report). */
  readonly data?: RunData;
  /** Poll this URL for the data every `intervalMs` (dashboard). */
  readonly live?: { readonly dataUrl: string; readonly intervalMs: number; readonly actions: boolean };
  /** Page title. */
  readonly title: string;
}

/** The page's HTML. */
export function renderPage(options: PageOptions): string {
  const config = options.live ? { live: options.live } : {};
  const data = options.data
    ? `<script id="run-data" type="application/json">${scriptSafeJson(options.data)}</script>\n`
    : '';
  // The bundle is ours and contains no "</script" (checked by the tests); the data is escaped above.
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
  content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:;
    connect-src 'self'">
<title>${escapeHtml(options.title)}</title>
</head>
<body>
<script id="batchkit-config" type="application/json">${scriptSafeJson(config)}</script>
${data}<script>${clientBundle()}</script>
</body>
</html>
`;
}
