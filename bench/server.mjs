// Our server (dist/main.js serve) under test: its config, start/stop, and the API calls that
// create the one account the way a client would.
import fs from 'node:fs';
import path from 'node:path';
import { dnsQuery, QTYPE } from './net.mjs';
import { startPinned, waitReady } from './proc.mjs';
import { treeRss } from './tree.mjs';

/**
 * A TOML config in acme-dns's layout; `database` is { engine, connection } (sqlite now, postgres
 * later); `extra` is appended (e.g. an [rrl] section). `workers` is always written: the default
 * ("auto", issue 12) would fork one DNS process per core onto the one core the server is pinned to.
 */
function configToml({ host, zone, dnsPort, apiPort, database, workers, extra = '' }) {
  const q = (s) => JSON.stringify(s);
  return `[general]
workers = ${workers}
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
 * A `[ratelimit]` section for the measurements that update one account hundreds of times
 * (propagation, secondaries): the per-account write budget (issue 8, 200 at once by default)
 * would answer 429 after the 200th round.
 */
export const UNLIMITED_WRITES = '[ratelimit]\nupdate_burst = 1000000\n';

/**
 * Writes the config into `dir` and starts `node dist/main.js serve` pinned to `core` (a core or a
 * taskset list like "0,1"), both listeners on loopback address `host` (default 127.0.0.1), with
 * `workers` DNS processes (default 1: one process, as before issue 12); resolves { label, host,
 * port, api, pid, processes, stop() } once GET /health is 200, the DNS port answers the apex SOA
 * and the process tree holds at least `workers` processes. With `probe` ({ name, value }: a TXT
 * that must be served) it also resolves `firstAnswerSeconds`: from spawn to the first answer
 * carrying that value (issue 12: serving within 5 s with 1,000,000 accounts).
 */
export async function startOurs({ root, label, dir, core, zone, dnsPort, apiPort, database, host = '127.0.0.1', extra = '', workers = 1, probe }) {
  fs.mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, 'config.toml');
  fs.writeFileSync(conf, configToml({ host, zone, dnsPort, apiPort, database, workers, extra }));
  const spawned = process.hrtime.bigint();
  const server = startPinned(label, core, process.execPath, [path.join(root, 'dist/main.js'), 'serve', '-c', conf]);
  const first = probe ? firstAnswer(server, dnsPort, host, probe) : undefined;
  first?.catch(() => undefined); // awaited below; an early exit is reported by waitReady
  const api = `http://${host}:${apiPort}`;
  try {
    await waitReady(server, async () => {
      const health = await fetch(`${api}/health`, { signal: AbortSignal.timeout(1000) });
      if (health.status !== 200) return false;
      return (await dnsQuery(dnsPort, zone.domain, QTYPE.SOA, 500, host)).rcode === 0;
    });
    const processes = await waitForProcesses(server, workers);
    const firstAnswerSeconds = first ? Number((await first) - spawned) / 1e9 : undefined;
    return { label, host, port: dnsPort, api, pid: server.child.pid, processes, firstAnswerSeconds, stop: server.stop };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/**
 * Resolves the hrtime of the first UDP answer to TXT `probe.name` that is NOERROR and carries
 * `probe.value`, asking again at once after each 50 ms without one; rejects if the server exits
 * or after 60 s.
 */
async function firstAnswer(server, port, host, probe) {
  const value = Buffer.from(probe.value);
  const deadline = Date.now() + 60000;
  let exited = false;
  server.exited.then(() => {
    exited = true;
  });
  while (!exited && Date.now() < deadline) {
    const answer = await dnsQuery(port, probe.name, QTYPE.TXT, 50, host).catch(() => undefined);
    if (answer && answer.rcode === 0 && answer.message.includes(value)) return process.hrtime.bigint();
    if (!answer) await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${server.label}: no answer carrying the probe's value`);
}

/**
 * With `workers` > 1, waits (10 s at most) until the server's process tree holds that many
 * processes; throws a clear message when it does not (a build without DNS workers ignores the
 * key and runs one process, and its figures would be labelled wrongly). Resolves the count.
 */
async function waitForProcesses(server, workers) {
  const deadline = Date.now() + 10000;
  for (;;) {
    const { processes } = treeRss(server.child.pid);
    if (processes >= workers) return processes;
    if (Date.now() > deadline) {
      throw new Error(`${server.label}: workers = ${workers} asked, but the server runs ${processes} process(es): ` +
        'this build has no DNS workers (issue 12, branch i12-workers), so this scenario cannot be measured');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
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
