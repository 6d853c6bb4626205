/**
 * The validated, frozen configuration. Each part receives only its slice. The slices' types are
 * inferred from the schema (the transform of each section builds its camelCase slice, with the
 * fields' doc comments), so a key is declared once; DeepReadonly matches what deepFreeze does.
 */
import type { z } from 'zod';
import type { DeepReadonly } from './freeze';
import type { configSchema, SECTIONS } from './schema';
import type { PROTOCOLS } from './schema-general';
import type { TLS_MODES } from './schema-api';

/** The camelCase slice a section's schema produces, readonly as loaded. */
type Slice<S extends keyof typeof SECTIONS> = DeepReadonly<z.output<(typeof SECTIONS)[S]>>;

/** acme-dns's `general.protocol` values: which transports and address families DNS serves. */
export type DnsProtocol = (typeof PROTOCOLS)[number];

/** The DNS server's slice (`[general]`): where it listens and the zone it serves. */
export type DnsConfig = Slice<'general'>;

/** acme-dns's `api.tls` values plus our `acme` (any RFC 8555 directory). */
export type TlsMode = (typeof TLS_MODES)[number];

/** The HTTP API's slice (`[api]`). */
export type ApiConfig = Slice<'api'>;

/** Which store and how to reach it (`[database]`). */
export type DatabaseConfig = Slice<'database'>;

/** How many TXT values an account keeps and for how long (`[txt]`). */
export type TxtConfig = Slice<'txt'>;

/** Log level, format and destination (`[logconfig]`). */
export type LogConfig = Slice<'logconfig'>;

/** Prometheus metrics (`[metrics]`). */
export type MetricsConfig = Slice<'metrics'>;

/** The API's limits (`[ratelimit]`), per client address unless said; 0 turns a limit off. */
export type RateLimitConfig = Slice<'ratelimit'>;

/** DNS response rate limiting on UDP (`[rrl]`), as BIND's and Knot's RRL. */
export type RrlConfig = Slice<'rrl'>;

/** The audit trail (`[audit]`). */
export type AuditConfig = Slice<'audit'>;

/** Zone transfers and NOTIFY to secondaries (`[transfer]`). */
export type TransferConfig = Slice<'transfer'>;

/** Online DNSSEC signing (`[dnssec]`); times in seconds. */
export type DnssecConfig = Slice<'dnssec'>;

/** The whole configuration after validation. */
export type Config = DeepReadonly<
  z.output<typeof configSchema> & {
    /** Warnings found while loading (deprecated keys, renamed values); logged once at start. */
    warnings: string[];
  }
>;
