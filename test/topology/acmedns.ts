/**
 * Our server inside the topology: the real daemon, DNS on `<net>.1:53` (where knot's glue points,
 * and where lego's authoritative check goes), the API on the same address, a SQLite file in the
 * topology's temp dir, logs kept in memory for failure messages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { parseConfig } from '../../src/config';
import { startDaemon, type Daemon } from '../../src/daemon';
import { NS_NAME, ZONE, type Topology } from './index';

/** The daemon as the clients see it. */
export interface TopologyServer {
  readonly daemon: Daemon;
  /** API base URL by address (plain HTTP until the own certificate is wired in). */
  readonly api: string;
  logText(): string;
  stop(): Promise<void>;
}

/** Starts the daemon for `topo`; `extra` TOML is appended (e.g. a [txt] section). */
export async function startServer(topo: Topology, extra = ''): Promise<TopologyServer> {
  const dir = fs.mkdtempSync(path.join(topo.dir, 'acmedns-'));
  const address = topo.addresses.acmedns;
  const toml = `
[general]
listen = "${address}:53"
protocol = "both4"
domain = "${ZONE}"
nsname = "${NS_NAME}"
nsadmin = "hostmaster.${ZONE}"
records = [
  "${ZONE}. A ${address}",
  "${NS_NAME}. A ${address}",
  "${ZONE}. NS ${NS_NAME}.",
]
[database]
engine = "sqlite"
connection = "${path.join(dir, 'acmedns.db')}"
[api]
ip = "${address}"
port = "0"
tls = "none"
[logconfig]
loglevel = "debug"
logformat = "json"
${extra}`;
  const config = parseConfig(toml, {}, 'topology.toml');
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const daemon = await startDaemon(config, { logger: pino({ level: 'debug' }, sink) });
  return {
    daemon,
    api: daemon.addresses.api.url,
    logText: () => lines.join(''),
    stop: () => daemon.stop(),
  };
}
