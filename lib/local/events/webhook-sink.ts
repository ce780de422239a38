/** POSTs every event as JSON to a webhook on this machine (loopback only). */
import type { JobStateChangeEvent } from '../../core/model/events';
import { BatchkitError } from '../../core/errors';
import type { EventSink } from './sink';

/** True for `localhost`, 127.0.0.0/8 and `::1`. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Delivers events with HTTP POST; a non-2xx answer or a network error rejects. */
export class WebhookSink implements EventSink {
  readonly name: string;
  private readonly url: URL;

  /** Throws a BatchkitError (input) when the URL is not http(s) on a loopback address. */
  constructor(
    url: string,
    private readonly timeoutMs = 5000,
  ) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new BatchkitError('BATCHKIT-LOCAL-501', 'input', `--webhook: "${url}" is not a URL.`, { fix: 'use e.g. http://127.0.0.1:9000/events.' });
    }
    if (!/^https?:$/.test(parsed.protocol) || !isLoopbackHost(parsed.hostname)) {
      throw new BatchkitError('BATCHKIT-LOCAL-501', 'input', `--webhook: "${url}" is not an http(s) URL on this machine. Allowed: localhost, 127.0.0.0/8 or [::1].`, {
        fix: 'run the receiver locally (e.g. http://127.0.0.1:9000/events); batchkit never sends events off this machine.',
      });
    }
    this.url = parsed;
    this.name = `webhook:${parsed.href}`;
  }

  async deliver(event: JobStateChangeEvent): Promise<void> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) throw new Error(`webhook ${this.url.href} answered ${res.status} ${res.statusText}`);
  }
}
