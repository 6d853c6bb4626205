/**
 * Open connections per client address on the API listener. The request limits
 * (accounts/limits.ts, accounts/auth-limits.ts) bound the work a flood causes, but every refused
 * request is still read, parsed and answered on the one event loop: 250 connections from one
 * address kept a valid update from another address waiting behind hundreds of refusals per loop
 * turn. Capping the connections an address holds bounds its share of each turn; connections over
 * the cap are closed at once, before a byte is read (cheaper than any reply). Trusted proxies are
 * exempt when their header is believed (`use_header`): all of their clients arrive on their
 * connections.
 */
import type { Server, Socket } from 'node:net';
import { anyContains, parseClientIp, type Cidr } from '../../core/cidr';
import { clientKey } from '../../accounts';

/** Counts connections per address and closes those over `max`; returns the open counts (for tests). */
export function capConnectionsPerAddress(
  server: Server,
  options: { readonly max: number; readonly exempt: readonly Cidr[]; readonly onRefused?: (address: string) => void },
): ReadonlyMap<string, number> {
  const open = new Map<string, number>();
  // Prepended: it must run before the HTTP server starts reading the socket.
  server.prependListener('connection', (socket: Socket) => {
    const text = (socket.remoteAddress ?? '').replace(/%.*$/, '');
    const ip = parseClientIp(text);
    if (ip !== undefined && anyContains(options.exempt, ip)) return;
    const key = clientKey({ text, ip });
    const count = open.get(key) ?? 0;
    if (count >= options.max) {
      options.onRefused?.(key);
      socket.on('error', () => undefined);
      socket.destroy();
      return;
    }
    open.set(key, count + 1);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left <= 0) open.delete(key);
      else open.set(key, left);
    });
  });
  return open;
}
