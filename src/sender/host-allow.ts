/**
 * Which hosts HTTP callbacks may reach. The setting lists `loopback` (127.0.0.0/8 and ::1),
 * host names and IP addresses; a name is checked as written and every address it resolves to
 * must be allowed too, so a handler cannot be used to probe the network.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopback(address: string): boolean {
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  return a === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(a);
}

/** True when `address` (an IP) is allowed by `allow`. */
export function addressAllowed(address: string, allow: string[]): boolean {
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  return (allow.includes('loopback') && isLoopback(a)) || allow.includes(a);
}

/**
 * Why `hostname` may not be reached as written (an IP outside the list, or a name the list does
 * not hold), or undefined; what a name resolves to is checked at delivery.
 */
export function hostNameRefusal(hostname: string, allow: string[]): string | undefined {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    return addressAllowed(host, allow) ? undefined : `host ${host} is not allowed`;
  }
  const named = allow.includes(host) || (allow.includes('loopback') && host === 'localhost');
  return named ? undefined : `host ${host} is not allowed`;
}

/** Resolves a host name to every address it has (node's `dns.lookup` with `all`). */
export type HostResolver = (host: string) => Promise<{ address: string }[]>;

const systemResolver: HostResolver = (host) => lookup(host, { all: true });

/**
 * Why `hostname` may not be reached, or undefined when it may. A failed name lookup throws:
 * it says nothing about the host being allowed, so the caller retries.
 */
export async function hostRefusal(
  hostname: string,
  allow: string[],
  resolve: HostResolver = systemResolver,
): Promise<string | undefined> {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const refusal = hostNameRefusal(host, allow);
  if (refusal || isIP(host)) {
    return refusal;
  }
  const addresses = await resolve(host);
  const bad = addresses.find((a) => !addressAllowed(a.address, allow) && !allow.includes(host));
  return bad ? `host ${host} resolves to ${bad.address}, which is not allowed` : undefined;
}
