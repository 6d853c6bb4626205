/**
 * Our server inside the topology: the real daemon, DNS on `<net>.1:53` (where knot's glue points,
 * and where lego's authoritative check goes), the API on the same address, a SQLite file in the
 * topology's temp dir, logs kept in memory for failure messages. With `api` naming an ACME mode,
 * it gets its own certificate from the topology's pebble (whose HTTPS root it trusts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { parseConfig } from '../../src/config';
import { startDaemon, type Daemon, type DaemonOptions } from '../../src/daemon';
import { NS_NAME, ZONE, type Topology } from './index';

/** The daemon as the clients see it. */
export interface TopologyServer {
  readonly daemon: Daemon;
  /** API base URL by address (https in the ACME modes). */
  readonly api: string;
  /** The daemon's directory: its SQLite file and, in ACME modes, `acme-cache`. Reused by a restart. */
  readonly dir: string;
  /** Its configuration as a file, for `acmedns <command> -c` against the same store while it runs. */
  readonly configFile: string;
  logText(): string;
  stop(): Promise<void>;
}

/** How to start it beyond the defaults. */
export interface ServerOptions {
  /** `[api]` lines replacing `tls = "none"`, e.g. `tls = "acme"` and its keys. */
  readonly api?: string;
  /** An existing server's directory (a restart keeps its store and certificate cache). */
  readonly dir?: string;
  /** ACME timing for tests (short backoff), passed to startDaemon. */
  readonly acmeTiming?: DaemonOptions['acmeTiming'];
  /** Where DNS and the API listen (several instances): `addresses.acmedns` by default. */
  readonly address?: string;
  /** `[database]` lines replacing the SQLite file in `dir` (several instances on one PostgreSQL). */
  readonly database?: string;
  /** `general.records` replacing the default (the zone's A, the NS name's glue and the NS). */
  readonly records?: readonly string[];
  /** More `[general]` lines (e.g. short TTLs). */
  readonly general?: string;
}

/** The `[api]` lines for the own certificate from the topology's pebble; `more` is appended. */
export function acmeApi(topo: Topology, dir: string, more = ''): string {
  return `tls = "acme"\nacme_directory = "${topo.pebble.directoryUrl}"\nacme_cache_dir = "${path.join(dir, 'acme-cache')}"\n${more}`;
}

/** Starts the daemon for `topo`; `extra` TOML is appended (e.g. a [txt] section). */
export async function startServer(topo: Topology, extra = '', options: ServerOptions = {}): Promise<TopologyServer> {
  const dir = options.dir ?? fs.mkdtempSync(path.join(topo.dir, 'acmedns-'));
  const address = options.address ?? topo.addresses.acmedns;
  const records = options.records ?? [`${ZONE}. A ${address}`, `${NS_NAME}. A ${address}`, `${ZONE}. NS ${NS_NAME}.`];
  const toml = `
[general]
listen = "${address}:53"
protocol = "both4"
domain = "${ZONE}"
nsname = "${NS_NAME}"
nsadmin = "hostmaster.${ZONE}"
workers = 1
records = [
${records.map((r) => `  "${r}",`).join('\n')}
]
${options.general ?? ''}
[database]
${options.database ?? `engine = "sqlite"\nconnection = "${path.join(dir, 'acmedns.db')}"`}
[api]
ip = "${address}"
port = "0"
${options.api ?? 'tls = "none"'}
[logconfig]
loglevel = "debug"
logformat = "json"
${extra}`;
  const configFile = path.join(dir, 'acmedns.toml');
  fs.writeFileSync(configFile, toml);
  const config = parseConfig(toml, {}, configFile);
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const daemon = await startDaemon(config, {
    logger: pino({ level: 'debug' }, sink),
    acmeCaCertificates: topo.pebble.httpsCa,
    ...(options.acmeTiming ? { acmeTiming: options.acmeTiming } : {}),
  });
  return {
    daemon,
    api: daemon.addresses.api.url,
    dir,
    configFile,
    logText: () => lines.join(''),
    stop: () => daemon.stop(),
  };
}
