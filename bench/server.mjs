// Our server (dist/main.js serve) under test: its config, start/stop, and the API calls that
// create the one account the way a client would.
import fs from 'node:fs';
import path from 'node:path';
import { dnsQuery, QTYPE } from './net.mjs';
import { startPinned, waitReady } from './proc.mjs';

/**
 * A TOML config in acme-dns's layout; `database` is { engine, connection } (sqlite now, postgres
 * later); `extra` is appended (e.g. an [rrl] section).
 */
function configToml({ host, zone, dnsPort, apiPort, database, extra = '' }) {
  const q = (s) => JSON.stringify(s);
  return `[general]
listen = ${q(`${host}:${dnsPort}`)}
protocol = "both"
domain = ${q(zone.domain)}
nsname = ${q(zone.nsname)}
nsadmin = ${q(zone.nsadmin)}
records = [${zone.records.map(q).join(', ')}]

[database]
engine = ${q(database.engine)}
connection = ${q(database.connection)}

[api]
ip = ${q(host)}
port = ${q(String(apiPort))}
tls = "none"

[logconfig]
loglevel = "warn"
logformat = "json"
${extra}`;
}

/**
 * Writes the config into `dir` and starts `node dist/main.js serve` pinned to `core`, both
 * listeners on loopback address `host` (default 127.0.0.1); resolves { label, host, port, api,
 * pid, stop() } once GET /health is 200 and the DNS port answers the apex SOA.
 */
export async function startOurs({ root, label, dir, core, zone, dnsPort, apiPort, database, host = '127.0.0.1', extra = '' }) {
  fs.mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, 'config.toml');
  fs.writeFileSync(conf, configToml({ host, zone, dnsPort, apiPort, database, extra }));
  const server = startPinned(label, core, process.execPath, [path.join(root, 'dist/main.js'), 'serve', '-c', conf]);
  const api = `http://${host}:${apiPort}`;
  await waitReady(server, async () => {
    const health = await fetch(`${api}/health`, { signal: AbortSignal.timeout(1000) });
    if (health.status !== 200) return false;
    return (await dnsQuery(dnsPort, zone.domain, QTYPE.SOA, 500, host)).rcode === 0;
  });
  return { label, host, port: dnsPort, api, pid: server.child.pid, stop: server.stop };
}

/** POSTs a JSON body; resolves { status, text }. */
export async function postJson(url, headers, body) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10000),
  });
  const text = await res.text();
  return { status: res.status, text };
}

/**
 * POST /register then POST /update with `value`, as an ACME client does; returns the account
 * { username, password, subdomain, value }. Throws with the server's reply when either step fails.
 */
export async function registerAndUpdate(api, value) {
  const reg = await postJson(`${api}/register`, {}, {});
  if (reg.status !== 201) throw new Error(`POST /register: ${reg.status} ${reg.text}`);
  const { username, password, subdomain } = JSON.parse(reg.text);
  const upd = await postJson(`${api}/update`, { 'X-Api-User': username, 'X-Api-Key': password }, { subdomain, txt: value });
  if (upd.status !== 200) throw new Error(`POST /update: ${upd.status} ${upd.text}`);
  return { username, password, subdomain, value };
}
