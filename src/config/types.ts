/** The validated, frozen configuration. Each part receives only its slice. */

/** acme-dns's `general.protocol` values: which transports and address families DNS serves. */
export type DnsProtocol = 'both' | 'both4' | 'both6' | 'udp' | 'udp4' | 'udp6' | 'tcp' | 'tcp4' | 'tcp6';

/** The DNS server's slice: where it listens and the zone it serves. */
export interface DnsConfig {
  /** `host:port` addresses (IPv6 bracketed); acme-dns takes one, we take several (its #135). */
  readonly listen: readonly string[];
  readonly protocol: DnsProtocol;
  /** The zone, lower-case, without the trailing dot (`auth.example.org`). */
  readonly domain: string;
  /** SOA MNAME, lower-case, without the trailing dot. */
  readonly nsname: string;
  /** SOA RNAME (mailbox with `@` written as `.`), lower-case, without the trailing dot. */
  readonly nsadmin: string;
  /** Static zone-file lines, as acme-dns's `general.records`. */
  readonly records: readonly string[];
  /** SOA MINIMUM and TTL of the SOA in negative answers (RFC 2308 §5), in seconds. */
  readonly negativeTtl: number;
  /** TTL of the accounts' TXT answers, in seconds (acme-dns: 1). */
  readonly txtTtl: number;
  /** TTL of SOA, NS and static records, in seconds (acme-dns: 3600). */
  readonly staticTtl: number;
  /** An idle TCP connection is closed after this many milliseconds (RFC 7766 §6.2.3). */
  readonly tcpIdleTimeoutMs: number;
  /** Open TCP connections at most; when full, the source holding the most gives one up. */
  readonly tcpMaxConnections: number;
  /** Open TCP connections at most from one IPv4 address or one IPv6 /64; more are closed at once. */
  readonly tcpMaxConnectionsPerAddress: number;
  /** A DNS message must arrive whole this many milliseconds after its first byte (RFC 7766 §6.2.3). */
  readonly tcpMessageTimeoutMs: number;
  /** A TCP connection stops reading this many milliseconds after it opened. */
  readonly tcpMaxLifetimeMs: number;
}

/** acme-dns's `api.tls` values plus our `acme` (any RFC 8555 directory). */
export type TlsMode = 'none' | 'cert' | 'letsencrypt' | 'letsencryptstaging' | 'acme';

/** The HTTP API's slice. */
export interface ApiConfig {
  /** Bind address without brackets (`0.0.0.0`, `::1`); empty means all interfaces. */
  readonly ip: string;
  /** TCP port; 0 picks a free one (tests). */
  readonly port: number;
  readonly tls: TlsMode;
  readonly tlsCertPrivkey: string;
  readonly tlsCertFullchain: string;
  readonly acmeCacheDir: string;
  readonly notificationEmail: string;
  /** Directory URL for `tls = "acme"`. */
  readonly acmeDirectory: string;
  readonly acmeEabKid: string;
  readonly acmeEabHmacKey: string;
  /** Extra name for the API certificate (acme-dns ignores it: its #295). */
  readonly apiDomain: string;
  readonly disableRegistration: boolean;
  /** CORS origins; `*` entries allow all; a single `*` inside an origin is a wildcard. */
  readonly corsOrigins: readonly string[];
  readonly useHeader: boolean;
  readonly headerName: string;
  /** Peers whose `header_name` is believed (CIDRs). */
  readonly trustedProxies: readonly string[];
  /** Request bodies larger than this get 413. */
  readonly maxBodyBytes: number;
  /** Open connections one client address (IPv6: /64) may hold; 0 = no cap. Believed proxies are exempt. */
  readonly maxConnectionsPerAddress: number;
  readonly hsts: {
    readonly enabled: boolean;
    readonly maxAge: number;
    readonly includeSubdomains: boolean;
    readonly preload: boolean;
  };
}

/** Which store and how to reach it. */
export interface DatabaseConfig {
  readonly engine: 'sqlite' | 'postgres';
  /** SQLite file path, or a PostgreSQL URL / DSN. */
  readonly connection: string;
}

/** How many TXT values an account keeps and for how long. */
export interface TxtConfig {
  readonly keep: number;
  readonly maxAgeSeconds: number;
}

/** Log level, format and destination (`logconfig`). */
export interface LogConfig {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly format: 'text' | 'json';
  readonly type: 'stdout' | 'file';
  readonly file: string;
}

/** Prometheus metrics (`[metrics]`). */
export interface MetricsConfig {
  readonly enabled: boolean;
  /** `host:port` of a plain-HTTP listener of their own; empty: GET /metrics on the API listener. */
  readonly listen: string;
  /** CIDRs that may scrape, normalised (`127.0.0.1/32`); everyone else gets 404. */
  readonly allow: readonly string[];
}

/** The API's limits (`[ratelimit]`), per client address unless said; 0 turns a limit off. */
export interface RateLimitConfig {
  /** POST /register: sustained requests per hour. */
  readonly registerPerHour: number;
  /** POST /register: requests allowed at once before the hourly rate applies. */
  readonly registerBurst: number;
  /** Failed authentications per (address, X-Api-User) per window; beyond them that pair gets 429. */
  readonly authFailures: number;
  /** The window of the three authentication limits, in seconds. */
  readonly authFailureWindowSeconds: number;
  /** Failed authentications per address per window, whatever the user (users that authenticated from it before are exempt). */
  readonly authFailuresPerAddress: number;
  /** Requests with no or malformed credentials (no bcrypt spent) per address per window. */
  readonly authMalformed: number;
  /** Authentications (bcrypt compares) running at once per address; more wait in a short line. */
  readonly authInFlight: number;
  /** Successful writes (/update, /present, /cleanup) per account: sustained per hour. */
  readonly updatePerHour: number;
  /** Writes per account allowed at once before the hourly rate applies. */
  readonly updateBurst: number;
}

/** DNS response rate limiting on UDP (`[rrl]`), as BIND's and Knot's RRL. */
export interface RrlConfig {
  readonly enabled: boolean;
  /** Alike responses per second to one source prefix (an answer per name; NXDOMAIN; errors). */
  readonly responsesPerSecond: number;
  /** Every `slip`th limited response is sent truncated (TC=1) instead of dropped; 0 never, 1 every one. */
  readonly slip: number;
  /** How long a flood is remembered: after it stops, the prefix is answered again within this many seconds. */
  readonly windowSeconds: number;
  /** Source prefix lengths that share one allowance. */
  readonly ipv4Prefix: number;
  readonly ipv6Prefix: number;
  /** Sources never limited (CIDRs, normalised). */
  readonly exempt: readonly string[];
  /** Response groups remembered at most (the memory bound). */
  readonly tableSize: number;
}

/** The audit trail (`[audit]`). */
export interface AuditConfig {
  /** Entries older than this many seconds are pruned in the background; 0 keeps them forever. */
  readonly retentionSeconds: number;
}

/** The whole configuration after validation. */
export interface Config {
  readonly dns: DnsConfig;
  readonly api: ApiConfig;
  readonly database: DatabaseConfig;
  readonly txt: TxtConfig;
  readonly log: LogConfig;
  readonly metrics: MetricsConfig;
  readonly ratelimit: RateLimitConfig;
  readonly rrl: RrlConfig;
  readonly audit: AuditConfig;
  /** Warnings found while loading (deprecated keys, renamed values); logged once at start. */
  readonly warnings: readonly string[];
}
