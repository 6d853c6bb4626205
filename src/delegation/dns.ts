/**
 * The questions check-delegation asks, through node:dns's Resolver (c-ares): never the system's
 * getaddrinfo, and never a DNS library of ours, so the check sees what any other client sees.
 */
import { Resolver } from 'node:dns/promises';

/** The DNS questions the check needs; each rejects with a node:dns error (code ENODATA, ENOTFOUND, ...). */
export interface DelegationDns {
  /** The resolvers asked, for the report. */
  readonly resolvers: readonly string[];
  /** The CNAME target of `name` through the resolver (without the final dot). */
  cname(name: string): Promise<string[]>;
  /** The NS names of `zone` through the resolver. */
  ns(zone: string): Promise<string[]>;
  /** The A and AAAA addresses of `name` through the resolver (empty when it has neither). */
  addresses(name: string): Promise<string[]>;
  /** TXT at `name` through the resolver: what a CA sees. */
  txt(name: string): Promise<string[]>;
  /** TXT at `name` asked of one name server directly, on port 53. */
  txtAt(server: string, name: string): Promise<string[]>;
}

/** Patient enough for a slow path, short enough that a dead server is reported in seconds. */
const RESOLVER_OPTIONS = { timeout: 3000, tries: 2 };

/** node:dns's error codes in words (c-ares: ares_query statuses). */
export function describeDnsError(err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
  switch (code) {
    case 'ENOTFOUND':
      return 'the name does not exist (NXDOMAIN)';
    case 'ENODATA':
      return 'the name exists but has no record of that type (NODATA)';
    case 'ESERVFAIL':
      return 'the server failed to answer (SERVFAIL)';
    case 'EREFUSED':
      return 'the server refused the query (REFUSED)';
    case 'ETIMEOUT':
      return 'no answer (timeout)';
    case 'ECONNREFUSED':
      return 'connection refused';
    default:
      return code ?? (err instanceof Error ? err.message : String(err));
  }
}

/** True for "no such record" answers (NXDOMAIN, NODATA), as opposed to failures to answer. */
export function isNegativeAnswer(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  return code === 'ENOTFOUND' || code === 'ENODATA';
}

function resolverFor(servers: readonly string[]): Resolver {
  const resolver = new Resolver(RESOLVER_OPTIONS);
  if (servers.length > 0) {
    try {
      resolver.setServers([...servers]);
    } catch {
      throw new Error(`--resolver must be an IP address, optionally with a port (e.g. 192.0.2.53, 192.0.2.53:5353, [2001:db8::53]:53); got ${servers.join(', ')}`);
    }
  }
  return resolver;
}

/** The real questions: through `servers` (empty: /etc/resolv.conf's), name servers on port 53. */
export function nodeDelegationDns(servers: readonly string[]): DelegationDns {
  const resolver = resolverFor(servers);
  const negativeIsEmpty = async (query: Promise<string[]>): Promise<string[]> =>
    query.catch((err: unknown) => {
      if (isNegativeAnswer(err)) return [];
      throw err;
    });
  return {
    resolvers: resolver.getServers(),
    cname: (name) => resolver.resolveCname(name),
    ns: (zone) => resolver.resolveNs(zone),
    async addresses(name) {
      const [v4, v6] = await Promise.all([negativeIsEmpty(resolver.resolve4(name)), negativeIsEmpty(resolver.resolve6(name))]);
      return [...v4, ...v6];
    },
    txt: async (name) => (await resolver.resolveTxt(name)).map((chunks) => chunks.join('')),
    async txtAt(server, name) {
      const direct = resolverFor([server.includes(':') ? `[${server}]:53` : `${server}:53`]);
      return (await direct.resolveTxt(name)).map((chunks) => chunks.join(''));
    },
  };
}
