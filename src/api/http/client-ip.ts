/**
 * Who the client is, for allowfrom and for the log. acme-dns believes any address anywhere in
 * `header_name` (so a client can prepend an allowed address and pass); here the header counts
 * only when the direct peer is a trusted proxy, and then the client is the right-most address
 * that is not itself a trusted proxy (the one our own proxy chain appended).
 */
import { anyContains, parseCidr, parseClientIp, type Cidr, type IpAddress } from '../../core/cidr';
import { sanitizeAllowFrom } from '../../core/validation';

/** How to find the client address; built once from the config. */
export interface ClientIpPolicy {
  readonly useHeader: boolean;
  /** Lower-case header name. */
  readonly headerName: string;
  readonly trustedProxies: readonly Cidr[];
}

/** The client as the API sees it: the text (for the log) and the parsed address, if it parses. */
export interface ClientAddress {
  readonly text: string;
  readonly ip: IpAddress | undefined;
  /** Where the address came from. */
  readonly source: 'peer' | 'header';
}

/** Trusted proxies from the config: CIDRs, and bare addresses as single hosts. Invalid ones are skipped. */
export function parseTrustedProxies(entries: readonly string[]): Cidr[] {
  const out: Cidr[] = [];
  for (const raw of entries) {
    const entry = sanitizeAllowFrom(raw.trim());
    const cidr = parseCidr(entry);
    if (cidr) {
      out.push(cidr);
      continue;
    }
    const ip = parseClientIp(entry);
    if (ip) out.push({ network: ip, prefix: ip.kind() === 'ipv4' ? 32 : 128, text: entry });
  }
  return out;
}

/** The policy for an API config slice. */
export function clientIpPolicy(config: {
  readonly useHeader: boolean;
  readonly headerName: string;
  readonly trustedProxies: readonly string[];
}): ClientIpPolicy {
  return {
    useHeader: config.useHeader && config.headerName.trim() !== '',
    headerName: config.headerName.trim().toLowerCase(),
    trustedProxies: parseTrustedProxies(config.trustedProxies),
  };
}

/**
 * An entry of a forwarding header: a bare address, or with a port (`1.2.3.4:5678`,
 * `[2001:db8::1]:443`) or brackets (`[2001:db8::1]`), which some proxies write.
 */
export function parseForwardedEntry(entry: string): IpAddress | undefined {
  const direct = parseClientIp(entry);
  if (direct) return direct;
  const bracketed = /^\[([^\]]+)\](?::[0-9]{1,5})?$/.exec(entry);
  if (bracketed?.[1] !== undefined) return parseClientIp(bracketed[1]);
  const v4port = /^([0-9.]+):[0-9]{1,5}$/.exec(entry);
  if (v4port?.[1] !== undefined) return parseClientIp(v4port[1]);
  return undefined;
}

/**
 * Resolves the client: the peer, unless the header is in use, present and the peer is a trusted
 * proxy; then the right-most header entry that is not a trusted proxy (the left-most when all
 * are). An entry that does not parse stops the walk and is the client (it matches no allowfrom).
 */
export function resolveClient(
  peer: string | undefined,
  headerValue: string | readonly string[] | undefined,
  policy: ClientIpPolicy,
): ClientAddress {
  const peerText = peer ?? '';
  const fromPeer: ClientAddress = { text: peerText, ip: parseClientIp(peerText), source: 'peer' };
  if (!policy.useHeader || headerValue === undefined || fromPeer.ip === undefined) return fromPeer;
  if (!anyContains(policy.trustedProxies, fromPeer.ip)) return fromPeer;
  const joined = typeof headerValue === 'string' ? headerValue : headerValue.join(',');
  const entries = joined
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0) return fromPeer;
  for (let i = entries.length - 1; i >= 0; i--) {
    const text = entries[i] as string;
    const ip = parseForwardedEntry(text);
    if (ip === undefined || !anyContains(policy.trustedProxies, ip) || i === 0) {
      return { text, ip, source: 'header' };
    }
  }
  return fromPeer;
}
