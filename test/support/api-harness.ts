/**
 * The API on 127.0.0.1 port 0 over the real SQLite store in a temp dir, a raw HTTP client that
 * sends exactly the headers a test names, and the log lines kept in memory.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createAccounts } from '../../src/accounts';
import { createApiApp, startApiServer, type ApiServer } from '../../src/api';
import type { ApiConfig, RateLimitConfig } from '../../src/config/types';
import { openSqliteStore } from '../../src/store/sqlite';
import type { Store } from '../../src/store/types';

/** The zone used by every API test. */
export const DOMAIN = 'auth.example.org';

/** An API config for tests; fields can be overridden. */
export function apiConfig(overrides: Partial<ApiConfig> = {}): ApiConfig {
  return {
    ip: '127.0.0.1',
    port: 0,
    tls: 'none',
    tlsCertPrivkey: '',
    tlsCertFullchain: '',
    acmeCacheDir: '',
    notificationEmail: '',
    acmeDirectory: '',
    acmeEabKid: '',
    acmeEabHmacKey: '',
    apiDomain: '',
    disableRegistration: false,
    corsOrigins: ['*'],
    useHeader: false,
    headerName: 'X-Forwarded-For',
    trustedProxies: [],
    maxBodyBytes: 65536,
    maxConnectionsPerAddress: 32,
    hsts: { enabled: false, maxAge: 31536000, includeSubdomains: false, preload: false },
    ...overrides,
  };
}

/** A running API for one test file. */
export interface ApiHarness {
  readonly server: ApiServer;
  readonly url: string;
  readonly store: Store;
  readonly dir: string;
  /** Log lines so far (parsed JSON). */
  readonly logs: Record<string, unknown>[];
  /** Raw log text, to prove secrets never reach it. */
  logText(): string;
  stop(): Promise<void>;
}

/** What startApi can change besides the API config. */
export interface ApiHarnessOptions {
  /** A layer around the real store (e.g. one that fails). */
  readonly wrapStore?: (s: Store) => Store;
  /** Current time in seconds, for TXT values. */
  readonly now?: () => number;
  /** `[ratelimit]`; absent: nothing is limited. */
  readonly rateLimit?: RateLimitConfig;
  /** The limits' clock in seconds, moved by the test. */
  readonly limitClock?: () => number;
}

/** Starts the API; `wrapStore` can put a failing layer around the real store. */
export async function startApi(overrides: Partial<ApiConfig> = {}, options: ApiHarnessOptions = {}): Promise<ApiHarness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-api-'));
  const store = openSqliteStore({ file: path.join(dir, 'api.db'), txt: { keep: 2, maxAgeSeconds: 0 } });
  const raw: string[] = [];
  const logger = pino({ level: 'debug', base: undefined }, { write: (line: string) => void raw.push(line) });
  const config = apiConfig(overrides);
  const served = options.wrapStore ? options.wrapStore(store) : store;
  const accounts = createAccounts({
    store: served,
    domain: DOMAIN,
    ...(options.now ? { now: options.now } : {}),
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    ...(options.limitClock ? { limitClock: options.limitClock } : {}),
  });
  const app = createApiApp({ config, domain: DOMAIN, accounts, store: served, logger });
  let server: ApiServer;
  try {
    server = await startApiServer(app, config, logger);
  } catch (err) {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    server,
    url: server.url,
    store,
    dir,
    get logs() {
      return raw.map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    logText: () => raw.join(''),
    stop: async () => {
      await server.stop();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An HTTP response as received. */
export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** One request with exactly these headers (plus Host, Connection and Content-Length). */
export interface RawRequest {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string | string[]>;
  readonly body?: string | Buffer;
  /** For HTTPS: trust this CA / certificate. */
  readonly ca?: Buffer;
  /** Keep the connection (default: a fresh connection per request). */
  readonly agent?: http.Agent;
  /** Connect from this address (e.g. 127.0.0.2, to be a loopback client outside an allow-list). */
  readonly localAddress?: string;
}

/** Sends a request to `base` (http or https) and reads the whole answer. */
export function send(base: string, req: RawRequest): Promise<RawResponse> {
  const url = new URL(base);
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
  const headers: Record<string, string | string[]> = { ...(req.headers ?? {}) };
  const named = (n: string): boolean => Object.keys(headers).some((h) => h.toLowerCase() === n);
  // A Content-Length unless the test sets one or asks for chunked transfer.
  if (body !== undefined && !named('content-length') && !named('transfer-encoding')) {
    headers['Content-Length'] = String(body.length);
  }
  const options: https.RequestOptions = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port,
    method: req.method ?? 'POST',
    path: req.path,
    headers,
    agent: req.agent ?? false,
    ...(req.localAddress === undefined ? {} : { localAddress: req.localAddress }),
    ...(req.ca ? { ca: req.ca, servername: 'localhost' } : {}),
  };
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const r = mod.request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(body);
  });
}

/** What /register returned, parsed. */
export interface Registration {
  readonly username: string;
  readonly password: string;
  readonly fulldomain: string;
  readonly subdomain: string;
  readonly allowfrom: string[];
}

/** Registers an account through the API (201 or the test fails). */
export async function register(base: string, allowfrom?: string[]): Promise<Registration> {
  const res = await send(base, {
    path: '/register',
    headers: { 'Content-Type': 'application/json' },
    ...(allowfrom ? { body: JSON.stringify({ allowfrom }) } : {}),
  });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${res.body}`);
  return JSON.parse(res.body) as Registration;
}

/** A valid 43-character TXT value, distinct per seed. */
export function txtValue(seed: number | string): string {
  return `${String(seed).replace(/[^A-Za-z0-9]/g, '')}${'x'.repeat(43)}`.slice(0, 43);
}

/** Headers for /update. */
export function authHeaders(r: Registration, extra: Record<string, string> = {}): Record<string, string> {
  return { 'X-Api-User': r.username, 'X-Api-Key': r.password, 'Content-Type': 'application/json', ...extra };
}
