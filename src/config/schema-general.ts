/** `[general]` -> the DNS server's slice (DnsConfig): acme-dns's keys plus TTLs and TCP limits. */
import { z } from 'zod';
import { accept, duration, expected, flag, fromEnv, int, oneOf, parsedText, section, show, stringList } from './fields';
import { parseDomain, parseListen, type Parsed } from './values';
import { workersKey } from './workers';

/** acme-dns's `protocol` values (miekg/dns network names; reference §3.1). */
export const PROTOCOLS = ['both', 'both4', 'both6', 'udp', 'udp4', 'udp6', 'tcp', 'tcp4', 'tcp6'] as const;

/** A TTL is an unsigned 31-bit number of seconds (RFC 2181 §8). */
const TTL_MAX = 2147483647;

/** acme-dns's empty `listen` means miekg's default, every interface on port 53. */
const DEFAULT_LISTEN = ':53';

/** `listen`: one address (acme-dns) or several (our answer to acme-dns #135). */
function listen() {
  const what = 'an address "host:port" or a list of them';
  const base = fromEnv('list', z.union([z.string(), z.array(z.string())], { error: expected(what) }));
  return base.transform((value, ctx): string[] => {
    const items = typeof value === 'string' ? [value.trim() === '' ? DEFAULT_LISTEN : value] : value;
    if (items.length === 0) {
      ctx.addIssue({ code: 'custom', input: value, message: `must be ${what} (got an empty list)` });
      return z.NEVER;
    }
    const out: string[] = [];
    for (const item of items) {
      const parsed = parseListen(item);
      if (parsed.ok && out.includes(parsed.value)) {
        return accept({ ok: false, reason: `${show(item)} is listed twice` }, item, ctx);
      }
      out.push(accept(parsed, item, ctx));
    }
    return out;
  });
}

const DOMAIN_HINT = ' (the zone to serve, e.g. "auth.example.org")';

/** acme-dns starts with an empty domain and serves nothing useful; we refuse to. */
function requiredDomain(value: string): Parsed<string> {
  const parsed = parseDomain(value);
  return parsed.ok && parsed.value === '' ? { ok: false, reason: `is required${DOMAIN_HINT}` } : parsed;
}

const keys = {
  listen: listen().default([DEFAULT_LISTEN]),
  protocol: oneOf(PROTOCOLS).default('both'),
  domain: parsedText(requiredDomain, 'a domain name', DOMAIN_HINT),
  nsname: parsedText(parseDomain, 'a domain name').default(''),
  nsadmin: parsedText(parseDomain, 'a domain name (the SOA mailbox, "@" written as ".")').default(''),
  // Zone-file lines; the DNS zone parser validates them (config stays independent of dns/).
  records: stringList().default([]),
  // acme-dns: only rs/cors debug output. Accepted and ignored.
  debug: flag().default(false),
  // 60 s, not acme-dns's 86400: long negative caching breaks retries (acme-dns #342; RFC 2308 §5).
  negative_ttl: duration(0, TTL_MAX).default(60),
  txt_ttl: duration(0, TTL_MAX).default(1),
  static_ttl: duration(0, TTL_MAX).default(3600),
  tcp_idle_timeout: duration(1, 86400).default(10),
  tcp_max_connections: int(1, 1_000_000).default(1024),
  // RFC 7766 §6.2.3 leaves these to the server. 32 per source: a CA or resolver needs a few; an
  // abuser needs 32 addresses (IPv4) or /64s to fill the default 1024 slots.
  tcp_max_connections_per_address: int(1, 1_000_000).default(32),
  // Knot's tcp-io-timeout is 500 ms; 2 s leaves room for one lost segment's retransmission.
  tcp_message_timeout: duration(1, 3600).default(2),
  // Long enough for any client's pipelined burst; a client reconnects for more (RFC 7766 §6.2.3).
  tcp_max_lifetime: duration(1, 86400).default(120),
  // Node has no SO_REUSEPORT for dgram/net before 22/23: the cluster module shares the sockets.
  workers: workersKey().default('auto'),
};

/** The `[general]` section's schema, producing the DNS slice. */
export const generalSection = section('general', keys)
  .transform((g) => ({
    /** `host:port` addresses (IPv6 bracketed); acme-dns takes one, we take several (its #135). */
    listen: g.listen,
    protocol: g.protocol,
    /** The zone, lower-case, without the trailing dot (`auth.example.org`). */
    domain: g.domain,
    /** SOA MNAME, lower-case, without the trailing dot. */
    nsname: g.nsname === '' ? g.domain : g.nsname,
    /** SOA RNAME (mailbox with `@` written as `.`), lower-case, without the trailing dot. */
    nsadmin: g.nsadmin === '' ? `hostmaster.${g.domain}` : g.nsadmin,
    /** Static zone-file lines, as acme-dns's `general.records`. */
    records: g.records,
    /** SOA MINIMUM and TTL of the SOA in negative answers (RFC 2308 §5), in seconds. */
    negativeTtl: g.negative_ttl,
    /** TTL of the accounts' TXT answers, in seconds (acme-dns: 1). */
    txtTtl: g.txt_ttl,
    /** TTL of SOA, NS and static records, in seconds (acme-dns: 3600). */
    staticTtl: g.static_ttl,
    /** An idle TCP connection is closed after this many milliseconds (RFC 7766 §6.2.3). */
    tcpIdleTimeoutMs: g.tcp_idle_timeout * 1000,
    /** Open TCP connections at most; when full, the source holding the most gives one up. */
    tcpMaxConnections: g.tcp_max_connections,
    /** Open TCP connections at most from one IPv4 address or one IPv6 /64; more are closed at once. */
    tcpMaxConnectionsPerAddress: g.tcp_max_connections_per_address,
    /** A DNS message must arrive whole this many milliseconds after its first byte (RFC 7766 §6.2.3). */
    tcpMessageTimeoutMs: g.tcp_message_timeout * 1000,
    /** A TCP connection stops reading this many milliseconds after it opened. */
    tcpMaxLifetimeMs: g.tcp_max_lifetime * 1000,
    /** Processes serving DNS: a count, or 'auto' (one per CPU); resolveWorkerCount gives the number. */
    workers: g.workers,
  }));
