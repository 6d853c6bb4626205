/**
 * Which sockets to open for `listen` x `protocol`, and the bind errors people can act on.
 * Pure: no sockets here. Hosts must be IP literals: we never resolve names (no system resolver).
 */
import net from 'node:net';
import type { DnsProtocol } from '../config/types';

/** One socket to bind. */
export interface Binding {
  readonly transport: 'udp' | 'tcp';
  readonly host: string;
  readonly port: number;
  readonly family: 4 | 6;
  /** IPv6 socket that must not accept IPv4 (the `*6` protocols). */
  readonly ipv6Only: boolean;
  /** On an empty host with a dual-stack socket: fall back to 0.0.0.0 if IPv6 is unavailable. */
  readonly fallbackToV4: boolean;
  /** The listen entry as configured, for messages. */
  readonly text: string;
}

/** Splits `host:port`, `[v6]:port` or `:port`; host '' means every interface. */
export function parseListenAddress(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  if (!m) throw new Error(`listen address "${text}" must be host:port, [ipv6]:port or :port`);
  const host = m[1] ?? m[2] ?? '';
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`listen address "${text}": port above 65535`);
  if (host !== '' && net.isIP(host) === 0) {
    throw new Error(`listen address "${text}": the host must be an IP address (names are not resolved)`);
  }
  return { host, port };
}

/** The sockets for every listen address and the protocol (acme-dns's `general.protocol`). */
export function planBindings(listen: readonly string[], protocol: DnsProtocol): Binding[] {
  const transports: Array<'udp' | 'tcp'> = protocol.startsWith('both')
    ? ['udp', 'tcp']
    : [protocol.startsWith('udp') ? 'udp' : 'tcp'];
  const forced = protocol.endsWith('4') ? 4 : protocol.endsWith('6') ? 6 : undefined;
  const out: Binding[] = [];
  for (const text of listen) {
    const { host, port } = parseListenAddress(text);
    const literal = host === '' ? undefined : net.isIP(host) === 4 ? 4 : 6;
    if (forced !== undefined && literal !== undefined && literal !== forced) {
      throw new Error(`listen address "${text}" is IPv${literal} but protocol "${protocol}" is IPv${forced} only`);
    }
    const family = forced ?? literal ?? 6;
    const bindHost = host !== '' ? host : family === 4 ? '0.0.0.0' : '::';
    for (const transport of transports) {
      out.push({
        transport,
        host: bindHost,
        port,
        family,
        ipv6Only: forced === 6,
        fallbackToV4: host === '' && forced === undefined,
        text,
      });
    }
  }
  return out;
}

/** The `code` of a Node system error (`EACCES`, ...), if it has one. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}

/** An Error whose message says why a bind failed and what to do about it; keeps the `code`. */
export function bindError(err: unknown, b: Binding): Error & { code: string | undefined } {
  const code = errorCode(err);
  const where = `${b.text} (${b.transport})`;
  const message =
    code === 'EACCES'
      ? `permission denied binding ${where} (port < 1024 needs root or CAP_NET_BIND_SERVICE)`
      : code === 'EADDRINUSE'
        ? `address already in use: ${where}`
        : code === 'EADDRNOTAVAIL'
          ? `address not available on this host: ${where}`
          : `cannot bind ${where}: ${err instanceof Error ? err.message : String(err)}`;
  return Object.assign(new Error(message, { cause: err }), { code });
}
