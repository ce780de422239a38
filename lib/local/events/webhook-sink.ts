/**
 * POSTs every event as JSON to a webhook on this machine (loopback only), in event order.
 * Redirects are not followed (a redirect could send the event off this machine): a 3xx answer is a
 * failed delivery.
 */
import type { BatchJobEvent } from '../../core/model/events';
import { BatchkitError } from '../../core/errors';
import { isLoopback } from '../net/loopback';
import type { EventSink } from './sink';

/** Error code of a webhook URL that is not a URL or not on loopback. */
export const WEBHOOK_ERROR = 'BATCHKIT-LOCAL-501';

/** The hosts a webhook may be on, as messages name them. */
const LOOPBACK_HOSTS = '127.0.0.0/8, localhost or [::1]';

/** True for `localhost`, 127.0.0.0/8, `::1` and IPv4-mapped loopback (`[::ffff:127.0.0.1]`). */
export function isLoopbackHost(hostname: string): boolean {
  return isLoopback(hostname);
}

/** Delivers events with HTTP POST; a non-2xx answer or a network error rejects. */
export class WebhookSink implements EventSink {
  readonly name: string;
  private readonly url: URL;

  /**
   * @param url an http(s) URL on loopback
   * @param timeoutMs how long one POST may take @default 5000
   * Throws a BatchkitError (input, {@link WEBHOOK_ERROR}) when the URL is not http(s) on a loopback address.
   */
  constructor(
    url: string,
    private readonly timeoutMs = 5000,
  ) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new BatchkitError(WEBHOOK_ERROR, 'input', `--webhook "${url}" is not a URL.`, {
        fix: 'pass e.g. --webhook http://127.0.0.1:9000/events',
      });
    }
    if (!/^https?:$/.test(parsed.protocol) || !isLoopbackHost(parsed.hostname)) {
      throw new BatchkitError(
        WEBHOOK_ERROR,
        'input',
        `--webhook "${url}" must be an http:// URL on this machine (host ` +
          `${LOOPBACK_HOSTS}; https:// works too), not ${parsed.protocol}//${parsed.hostname}.`,
        {
          fix:
            'run the receiver locally and pass e.g. --webhook ' +
            'http://127.0.0.1:9000/events; batchkit never sends events off this machine.',
        },
      );
    }
    this.url = parsed;
    this.name = `webhook:${parsed.href}`;
  }

  async deliver(event: BatchJobEvent): Promise<void> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(this.timeoutMs),
      redirect: 'manual',
    });
    await res.arrayBuffer().catch(() => undefined);
    if (res.status >= 300 && res.status < 400) {
      throw new Error(
        `webhook ${this.url.href} answered ${res.status} (a redirect` +
          `${res.headers.get('location') ? ` to ${res.headers.get('location')}` : ''}); ` +
          `batchkit does not follow redirects, so events never leave this ` +
          `machine. Fix: point --webhook at the final URL.`,
      );
    }
    if (!res.ok) throw new Error(`webhook ${this.url.href} answered ${res.status} ${res.statusText}`);
  }
}
