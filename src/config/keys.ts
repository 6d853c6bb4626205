/**
 * Every section and key the config knows, with how an environment variable's text becomes the
 * key's value. The schema's sections are typed against this table, so the two cannot drift.
 */

/**
 * How `ACMEDNS_<SECTION>_<KEY>` text is coerced: `bool` true/false/1/0, `int` an integer when it
 * looks like one (durations and ports also take strings), `list` comma-separated or a JSON array.
 * Text that does not fit is passed on unchanged so the schema names the key and what is allowed.
 */
export type EnvKind = 'string' | 'bool' | 'int' | 'list';

/** The known keys per section, lower-case, as acme-dns spells them plus our additions. */
export const KEYS = {
  general: {
    listen: 'list',
    protocol: 'string',
    domain: 'string',
    nsname: 'string',
    nsadmin: 'string',
    records: 'list',
    debug: 'bool',
    negative_ttl: 'int',
    txt_ttl: 'int',
    static_ttl: 'int',
    tcp_idle_timeout: 'int',
    tcp_max_connections: 'int',
    tcp_max_connections_per_address: 'int',
    tcp_message_timeout: 'int',
    tcp_max_lifetime: 'int',
  },
  database: {
    engine: 'string',
    connection: 'string',
  },
  api: {
    api_domain: 'string',
    ip: 'string',
    port: 'int',
    autocert_port: 'int',
    disable_registration: 'bool',
    tls: 'string',
    tls_cert_privkey: 'string',
    tls_cert_fullchain: 'string',
    acme_cache_dir: 'string',
    notification_email: 'string',
    acme_directory: 'string',
    acme_eab_kid: 'string',
    acme_eab_hmac_key: 'string',
    corsorigins: 'list',
    use_header: 'bool',
    header_name: 'string',
    trusted_proxies: 'list',
    max_body_bytes: 'int',
    max_connections_per_address: 'int',
    hsts_enabled: 'bool',
    hsts_max_age: 'int',
    hsts_include_subdomains: 'bool',
    hsts_preload: 'bool',
  },
  logconfig: {
    loglevel: 'string',
    logtype: 'string',
    logfile: 'string',
    logformat: 'string',
  },
  txt: {
    keep: 'int',
    max_age: 'int',
  },
  metrics: {
    enabled: 'bool',
    listen: 'string',
    allow: 'list',
  },
  ratelimit: {
    register_per_hour: 'int',
    register_burst: 'int',
    auth_failures: 'int',
    auth_failure_window: 'int',
    auth_failures_per_address: 'int',
    auth_malformed: 'int',
    auth_in_flight: 'int',
    update_per_hour: 'int',
    update_burst: 'int',
  },
  rrl: {
    enabled: 'bool',
    responses_per_second: 'int',
    slip: 'int',
    window: 'int',
    ipv4_prefix: 'int',
    ipv6_prefix: 'int',
    exempt: 'list',
    table_size: 'int',
  },
  audit: {
    retention: 'int',
  },
} as const satisfies Record<string, Record<string, EnvKind>>;

/** A config section's name. */
export type Section = keyof typeof KEYS;

/** The key names of one section. */
export type KeyOf<S extends Section> = keyof (typeof KEYS)[S];

/** True when `name` is a known section. */
export function isSection(name: string): name is Section {
  return Object.prototype.hasOwnProperty.call(KEYS, name);
}

/** The env coercion of `section.key`, or undefined when the key is unknown. */
export function kindOf(section: Section, key: string): EnvKind | undefined {
  const keys: Readonly<Record<string, EnvKind>> = KEYS[section];
  return Object.prototype.hasOwnProperty.call(keys, key) ? keys[key] : undefined;
}
