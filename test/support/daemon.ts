import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { parseConfig } from '../../src/config';
import { startDaemon, type Daemon, type DaemonOptions } from '../../src/daemon';
import type { Target } from './dns-client';

/** A daemon started for one test, with its log lines kept in memory. */
export interface TestDaemon {
  readonly daemon: Daemon;
  readonly dns: Target;
  readonly tcp: Target;
  readonly api: string;
  readonly dir: string;
  readonly dbFile: string;
  /** Every log line so far, as written (JSON). */
  logText(): string;
  stop(): Promise<void>;
}

/** Where a test daemon listens and which store it uses; the defaults are 127.0.0.1 and SQLite in its dir. */
export interface TestConfigOptions {
  /** Loopback address for DNS and the API (127.0.0.0/8 has many). */
  readonly host?: string;
  /** `[database]` connection for engine postgres; SQLite in the temp dir otherwise. */
  readonly postgresUrl?: string;
  /** An existing SQLite store file to serve (an imported one) instead of a new one in the temp dir. */
  readonly sqliteFile?: string;
  /** `general.workers`; default 1, the one process an in-process daemon can be (ts-jest cannot fork a worker). */
  readonly workers?: number | 'auto';
}

/** The TOML of a test daemon on 127.0.0.1 port 0 with a SQLite file in `dir`; `extra` is appended. */
export function testConfigToml(dir: string, extra = '', options: TestConfigOptions = {}): string {
  const host = options.host ?? '127.0.0.1';
  const database = options.postgresUrl
    ? `engine = "postgres"\nconnection = "${options.postgresUrl}"`
    : `engine = "sqlite"\nconnection = "${options.sqliteFile ?? path.join(dir, 'acmedns.db')}"`;
  return `
[general]
listen = "${host}:0"
protocol = "both"
domain = "auth.example.org"
nsname = "ns1.auth.example.org"
nsadmin = "admin.example.org"
workers = ${JSON.stringify(options.workers ?? 1)}
records = [
  "auth.example.org. A 127.0.0.1",
  "ns1.auth.example.org. A 127.0.0.1",
  "auth.example.org. NS ns1.auth.example.org.",
]
[database]
${database}
[api]
ip = "${host}"
port = "0"
tls = "none"
[logconfig]
loglevel = "debug"
logformat = "json"
${extra}`;
}

/** Writes `testConfigToml(dir, ...)` to `dir/config.toml`; returns that file and the SQLite store it names. */
export function writeTestConfig(dir: string, extra = '', options: TestConfigOptions = {}): { config: string; store: string } {
  const config = path.join(dir, 'config.toml');
  fs.writeFileSync(config, testConfigToml(dir, extra, options));
  return { config, store: options.sqliteFile ?? path.join(dir, 'acmedns.db') };
}

/** Starts a daemon from `testConfigToml` (optionally changed by `edit`), logging into memory. */
export async function startTestDaemon(
  options: { extra?: string; env?: NodeJS.ProcessEnv; daemon?: Omit<DaemonOptions, 'logger'> } & TestConfigOptions = {},
): Promise<TestDaemon> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-daemon-'));
  const config = parseConfig(testConfigToml(dir, options.extra, options), options.env ?? {}, 'test.toml');
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  const daemon = await startDaemon(config, { ...options.daemon, logger });
  const udp = daemon.addresses.dns.udp[0];
  const tcp = daemon.addresses.dns.tcp[0];
  if (!udp || !tcp) throw new Error('daemon bound no DNS address');
  return {
    daemon,
    dns: { address: udp.address, port: udp.port },
    tcp: { address: tcp.address, port: tcp.port },
    api: daemon.addresses.api.url,
    dir,
    dbFile: options.sqliteFile ?? path.join(dir, 'acmedns.db'),
    logText: () => lines.join(''),
    stop: async () => {
      await daemon.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
