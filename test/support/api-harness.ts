/**
 * The API in-process on 127.0.0.1 port 0 (the test config's `[api]`) over the real SQLite store in
 * a temp dir, with the log lines kept in memory. Requests go through api-client.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createAccounts } from '../../src/accounts';
import { createApiApp, startApiServer, type ApiDeps, type ApiServer } from '../../src/api';
import type { ApiConfig, Config } from '../../src/config';
import { openSqliteStore } from '../../src/store/sqlite';
import type { Store } from '../../src/store';
import { testConfig } from './config';

/** The zone used by every API test. */
export const DOMAIN = 'auth.example.org';

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
  readonly rateLimit?: Config['ratelimit'];
  /** The limits' clock in seconds, moved by the test. */
  readonly limitClock?: () => number;
  /** Where new TSIG keys' settings send RFC 2136 updates; absent: the API's default. */
  readonly rfc2136Server?: ApiDeps['rfc2136Server'];
  /** The page's files (api.web); absent: no page (api.web = false), so no test depends on the page's build. */
  readonly webRoot?: string;
}

/** Starts the API; `wrapStore` can put a failing layer around the real store. */
export async function startApi(overrides: Partial<ApiConfig> = {}, options: ApiHarnessOptions = {}): Promise<ApiHarness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-api-'));
  const store = openSqliteStore({ file: path.join(dir, 'api.db'), txt: { keep: 2, maxAgeSeconds: 0 }, zone: 'auth.example.org' });
  const raw: string[] = [];
  const logger = pino({ level: 'debug', base: undefined }, { write: (line: string) => void raw.push(line) });
  const config: ApiConfig = { ...testConfig().api, ...(options.webRoot === undefined ? { web: false } : {}), ...overrides };
  const served = options.wrapStore ? options.wrapStore(store) : store;
  const accounts = createAccounts({
    store: served,
    domain: DOMAIN,
    ...(options.now ? { now: options.now } : {}),
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    ...(options.limitClock ? { limitClock: options.limitClock } : {}),
  });
  const app = createApiApp({
    config,
    domain: DOMAIN,
    accounts,
    store: served,
    logger,
    ...(options.webRoot === undefined ? {} : { webRoot: options.webRoot }),
    ...(options.rfc2136Server ? { rfc2136Server: options.rfc2136Server } : {}),
  });
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
