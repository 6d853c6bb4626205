import fs from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { ClientConfig } from 'pg';
import { ConfigError } from '../../core/errors';

/**
 * acme-dns hands `database.connection` to lib/pq unchanged, so operators have either a URL
 * (`postgres://user:pass@host/db?sslmode=disable`) or a key=value DSN
 * (`host=db user=acmedns dbname=acmedns sslmode=disable`). node-postgres only reads URLs and gives
 * `sslmode` other meanings, so both forms are parsed here, with lib/pq's rules, into one list of
 * libpq keywords, and that list becomes a pg ClientConfig.
 */
export type PostgresParams = Readonly<Record<string, string>>;

/** The sslmode values lib/pq and libpq know. */
const SSL_MODES = new Set(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']);

/** lib/pq keywords that configure the driver, not the server; dropped instead of sent as run-time parameters. */
const DRIVER_ONLY = new Set(['binary_parameters', 'disable_prepared_binary_result', 'krbsrvname', 'krbspn', 'sslsni']);

/** Keywords mapped to ClientConfig fields below; every other keyword is a server run-time parameter. */
const KNOWN = new Set([
  'host', 'port', 'user', 'password', 'dbname', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'sslinline',
  'connect_timeout', 'application_name', 'fallback_application_name',
]);

/**
 * Parses a URL or a key=value DSN into libpq keywords; ConfigError when malformed. No message
 * holds any of the string's text but a known keyword: a typo can make part of the password look
 * like a key, a host or a path, and the message ends up in a log or on a terminal. It names the
 * character position instead.
 */
export function parsePostgresConnection(connection: string): PostgresParams {
  const s = connection.trim();
  return /^postgres(ql)?:\/\//i.test(s) ? parseUrl(s) : parseDsn(s);
}

/** lib/pq's ParseURL: user info, host, port and path become keywords; query parameters follow and win. */
function parseUrl(s: string): PostgresParams {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    throw new ConfigError('database.connection: not a valid postgres:// URL');
  }
  // A password with an unencoded '/', '?' or '#' ends the authority early: the rest of the
  // password, then '@host', lands in the path, query or fragment, and the start of it in the
  // host and port. Refused, so that no part of it is printed as a host or database name.
  if (/@/.test(url.pathname + url.search + url.hash)) {
    throw new ConfigError(
      "database.connection: '@' after the host: percent-encode '/', '?', '#' and '@' in the user and password (%2F, %3F, %23, %40)",
    );
  }
  const decode = (v: string, part: string): string => {
    try {
      return decodeURIComponent(v);
    } catch {
      throw new ConfigError(`database.connection: bad percent-encoding in the URL's ${part}`);
    }
  };
  const out: Record<string, string> = {};
  if (url.username) out.user = decode(url.username, 'user');
  if (url.password) out.password = decode(url.password, 'password');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host) out.host = decode(host, 'host');
  if (url.port) out.port = url.port;
  const db = url.pathname.replace(/^\//, '');
  if (db) out.dbname = decode(db, 'database name');
  for (const [k, v] of url.searchParams) out[k] = v;
  return out;
}

/**
 * lib/pq's parseOpts (the libpq conninfo format): `key = value` pairs separated by white space;
 * a value may be single-quoted, and a backslash escapes the next character in either form.
 */
function parseDsn(s: string): PostgresParams {
  const out: Record<string, string> = {};
  let i = 0;
  const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
  const skipSpace = (): void => {
    while (isSpace(s[i])) i += 1;
  };
  // Positions are 1-based characters of the trimmed string, as an editor's column would be.
  for (skipSpace(); i < s.length; skipSpace()) {
    const start = i;
    let key = '';
    while (i < s.length && s[i] !== '=' && !isSpace(s[i])) key += s[i++];
    skipSpace();
    if (key === '') throw new ConfigError(`database.connection: "=" without a keyword before it at character ${start + 1}`);
    if (s[i] !== '=') {
      throw new ConfigError(
        `database.connection: the word at character ${start + 1} has no "=" after it (key=value pairs separated by spaces; quote a value holding spaces: password='a b')`,
      );
    }
    i += 1;
    skipSpace();
    let value = '';
    if (s[i] === "'") {
      const quote = i;
      i += 1;
      for (;;) {
        if (i >= s.length) {
          const name = KNOWN.has(key) ? `${key}'s quoted value` : 'the quoted value';
          throw new ConfigError(`database.connection: ${name} opened at character ${quote + 1} is never closed`);
        }
        const c = s[i++];
        if (c === "'") break;
        value += c === '\\' && i < s.length ? s[i++] : c;
      }
    } else {
      while (i < s.length && !isSpace(s[i])) {
        const c = s[i++];
        value += c === '\\' && i < s.length ? s[i++] : c;
      }
    }
    out[key] = value;
  }
  return out;
}

/** Reads the PEM files sslrootcert, sslcert and sslkey name (injected so the mapping stays testable). */
export type ReadPem = (file: string) => string;

const readFile: ReadPem = (file) => fs.readFileSync(file, 'utf8');

/** Turns libpq keywords into a pg ClientConfig (host, port, credentials, TLS, timeouts, run-time parameters). */
export function toClientConfig(params: PostgresParams, readPem: ReadPem = readFile): ClientConfig {
  const config: ClientConfig = { host: params.host || 'localhost', port: 5432 };
  if (params.port) {
    const port = Number(params.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError('database.connection: bad port');
    config.port = port;
  }
  if (params.user) config.user = params.user;
  if (params.password !== undefined) config.password = params.password;
  if (params.dbname) config.database = params.dbname;
  const appName = params.application_name || params.fallback_application_name;
  if (appName) config.application_name = appName;
  if (params.connect_timeout) {
    const seconds = Number(params.connect_timeout);
    // libpq: zero or negative means wait forever; pg's 0 means the same.
    if (!Number.isFinite(seconds)) throw new ConfigError('database.connection: bad connect_timeout');
    config.connectionTimeoutMillis = Math.max(0, Math.round(seconds * 1000));
  }
  config.ssl = tlsOptions(params, readPem);
  const runtime = Object.entries(params).filter(([k]) => !KNOWN.has(k) && !DRIVER_ONLY.has(k));
  // lib/pq sends unknown keywords (search_path, ...) in the startup packet; pg does that through `options`.
  if (runtime.length > 0) config.options = runtime.map(([k, v]) => `-c ${k}=${v.replace(/([\\ ])/g, '\\$1')}`).join(' ');
  return config;
}

/**
 * lib/pq's sslmode semantics, not pg's (which treats require as verify-full). No sslmode means
 * `require` as in the lib/pq acme-dns ships with. `require`/`prefer` encrypt without checking the
 * certificate, unless sslrootcert is given (then as verify-ca, libpq's compatibility rule).
 * pg cannot fall back between plain and TLS, so `prefer` insists on TLS and `allow` never uses it.
 */
function tlsOptions(params: PostgresParams, readPem: ReadPem): false | ConnectionOptions {
  const mode = params.sslmode || 'require';
  if (!SSL_MODES.has(mode)) {
    // The value is not echoed: a mis-split DSN can put any text there.
    throw new ConfigError('database.connection: unsupported sslmode (disable, allow, prefer, require, verify-ca, verify-full)');
  }
  if (mode === 'disable' || mode === 'allow') return false;
  const inline = params.sslinline === 'true';
  const pem = (v: string): string => (inline ? v : readPem(v));
  const tls: ConnectionOptions = {};
  const root = params.sslrootcert && params.sslrootcert !== 'system' ? pem(params.sslrootcert) : undefined;
  if (root !== undefined) tls.ca = root;
  if (params.sslcert) tls.cert = pem(params.sslcert);
  if (params.sslkey) tls.key = pem(params.sslkey);
  const verifyCa = mode === 'verify-ca' || ((mode === 'require' || mode === 'prefer') && root !== undefined);
  if (verifyCa) tls.checkServerIdentity = () => undefined;
  else if (mode !== 'verify-full') tls.rejectUnauthorized = false;
  return tls;
}

/** `user@host:port/db` for messages and logs: never the password. */
export function describeConnection(params: PostgresParams): string {
  const user = params.user ? `${params.user}@` : '';
  return `postgres ${user}${params.host || 'localhost'}:${params.port || '5432'}/${params.dbname ?? ''}`;
}
