/**
 * HTTP callbacks: POST the event JSON to the callback's URL with its headers and timeout. A 2xx
 * answer is delivered; anything else (failed name lookup, refused connection, timeout, 5xx, 4xx)
 * is retried with backoff. A host outside the allow setting is refused for good and never
 * contacted.
 */
import { type Channel, retryOn } from './channel.ts';
import { type HostResolver, hostRefusal } from './host-allow.ts';

/**
 * The HTTP channel; `allow` is the host allow list of the configuration, `resolve` the name
 * lookup (the system's unless a test gives one).
 */
export function createHttpChannel(allow: string[], resolve?: HostResolver): Channel {
  return {
    async send(d) {
      if (d.callback.type !== 'http') {
        return { kind: 'refused', reason: 'not an http callback' };
      }
      const url = new URL(d.callback.url);
      let refusal: string | undefined;
      try {
        refusal = await hostRefusal(url.hostname, allow, resolve);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        return { kind: 'retry', reason: `name lookup of ${url.hostname} failed: ${reason}` };
      }
      if (refusal) {
        return { kind: 'refused', reason: refusal };
      }
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { ...d.callback.headers, 'Content-Type': 'application/json' },
          body: d.payload,
          redirect: 'manual',
          signal: AbortSignal.timeout(d.callback.timeout_ms),
        });
        await res.body?.cancel();
        return res.ok ? { kind: 'sent' } : { kind: 'retry', reason: `HTTP ${res.status}` };
      } catch (err) {
        return retryOn(err);
      }
    },
  };
}
