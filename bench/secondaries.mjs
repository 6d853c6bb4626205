// Issue 10: how long after our POST /update answers 200 does each standard secondary (Knot, NSD)
// serve the new value? Our server NOTIFYs them; each asks IXFR, applies it and answers. The
// transfer kind used is read from our own metrics (acmedns_dns_transfers_total{kind,result}).
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { txtValue } from './accounts.mjs';
import { percentile } from './dnsperf.mjs';
import { knotServerConf } from './knot.mjs';
import { dnsQuery, freePort, QTYPE } from './net.mjs';
import { startPinned, waitReady } from './proc.mjs';
import { formatTable } from './report.mjs';
import { postJson, registerAndUpdate, startOurs, UNLIMITED_WRITES } from './server.mjs';
import { txtAsker } from './txt-asker.mjs';

/** A round where a secondary takes longer than this fails the bench: something is broken. */
const ROUND_LIMIT_MS = 10_000;

function knotConf(dir, port, zone, primary) {
  return `${knotServerConf(dir, port, `${dir}/db`)}remote:
  - id: primary
    address: 127.0.0.1@${primary}
acl:
  - id: notify
    address: 127.0.0.0/8
    action: notify
template:
  - id: default
    storage: "${dir}"
    file: "%s.zone"
    zonefile-sync: -1
    zonefile-load: none
    journal-content: changes
zone:
  - domain: ${zone}
    master: primary
    acl: notify
`;
}

function nsdConf(dir, port, zone, primary) {
  return `server:
    ip-address: 127.0.0.1@${port}
    username: ""
    chroot: ""
    zonesdir: "${dir}"
    database: ""
    pidfile: "${dir}/nsd.pid"
    xfrdfile: "${dir}/xfrd.state"
    xfrdir: "${dir}"
    zonelistfile: "${dir}/zone.list"
    server-count: 1
    verbosity: 1
    # NSD waits xfrd-reload-timeout (default 1 s) between two reloads: a change a second would
    # wait for it every other round. 0 measures the transfer, not that pacing.
    xfrd-reload-timeout: 0
remote-control:
    control-enable: no
zone:
    name: "${zone}"
    zonefile: "${zone}.zone"
    request-xfr: 127.0.0.1@${primary} NOKEY
    allow-notify: 127.0.0.0/8 NOKEY
`;
}

/** acmedns_dns_transfers_total by "kind/result" and acmedns_dns_notify_total by "notify/result", from our /metrics. */
async function transferCounts(api) {
  const text = await (await fetch(`${api}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  const counts = {};
  for (const m of text.matchAll(/^acmedns_dns_transfers_total\{kind="(\w+)",result="(\w+)"\} (\d+)/gm)) counts[`${m[1]}/${m[2]}`] = Number(m[3]);
  for (const m of text.matchAll(/^acmedns_dns_notify_total\{result="(\w+)"\} (\d+)/gm)) counts[`notify/${m[1]}`] = Number(m[2]);
  return counts;
}

const diff = (after, before) =>
  Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => v > 0));

/**
 * Our server (SQLite, server core) with Knot and NSD as secondaries (load core, as this client):
 * `rounds` times POST /update with a new value, then each secondary polled over UDP (one query
 * at a time, no pause) until it serves the value. Resolves the figures for formatSecondaries().
 */
export async function measureSecondaries(ctx, rounds) {
  const dir = path.join(ctx.tmp, 'secondaries');
  const ports = { dns: await freePort(), api: await freePort() };
  // The secondaries' ports are known only once they run; they are started after us, so our
  // [transfer] names ports picked now and handed to them.
  const secondaryPorts = { knot: await freePort(), nsd: await freePort() };
  const ours = await startOurs({
    root: ctx.root,
    label: 'ours (primary)',
    dir: path.join(dir, 'ours'),
    core: ctx.cores.server,
    zone: ctx.zone,
    dnsPort: ports.dns,
    apiPort: ports.api,
    database: { engine: 'sqlite', connection: path.join(dir, 'ours.db') },
    extra: `${UNLIMITED_WRITES}[transfer]\nsecondaries = ["127.0.0.1:${secondaryPorts.knot}", "127.0.0.1:${secondaryPorts.nsd}"]\nnotify_retry = 1\n`,
  });
  const secondaries = [];
  try {
    for (const name of ['knot', 'nsd']) {
      const s = await startSecondaryOn(name, path.join(dir, name), ctx.cores.load, ctx.zone.domain, ports.dns, secondaryPorts[name]);
      secondaries.push(s);
    }
    const account = await registerAndUpdate(ours.api, txtValue());
    const name = `${account.subdomain}.${ctx.zone.domain}`;
    const askers = await Promise.all(secondaries.map((s) => txtAsker('127.0.0.1', s.port, name)));
    const delays = Object.fromEntries(secondaries.map((s) => [s.name, []]));
    const before = await transferCounts(ours.api);
    try {
      for (let i = 0; i < rounds; i++) {
        const value = txtValue();
        const res = await postJson(`${ours.api}/update`, { 'X-Api-User': account.username, 'X-Api-Key': account.password }, { subdomain: account.subdomain, txt: value });
        const at = performance.now();
        if (res.status !== 200) throw new Error(`POST /update: ${res.status} ${res.text}`);
        await Promise.all(secondaries.map(async (s, j) => delays[s.name].push(await pollUntil(askers[j], value, at, s.name))));
      }
    } finally {
      await Promise.all(askers.map((a) => a.close()));
    }
    const transfers = diff(await transferCounts(ours.api), before);
    return { rounds, delays: Object.fromEntries(Object.entries(delays).map(([k, v]) => [k, summary(v)])), transfers, cores: ctx.cores };
  } finally {
    for (const s of secondaries.reverse()) await s.stop();
    await ours.stop();
  }
}

/** Starts one secondary on `port` pinned to `core`; resolves { name, port, stop } once it serves the zone. */
async function startSecondaryOn(name, dir, core, zone, primary, port) {
  fs.mkdirSync(path.join(dir, 'db'), { recursive: true });
  const conf = path.join(dir, `${name}.conf`);
  fs.writeFileSync(conf, name === 'knot' ? knotConf(dir, port, zone, primary) : nsdConf(dir, port, zone, primary));
  const proc = name === 'knot' ? startPinned('knotd (secondary)', core, 'knotd', ['-c', conf]) : startPinned('nsd (secondary)', core, 'nsd', ['-d', '-c', conf]);
  await waitReady(proc, async () => (await dnsQuery(port, zone, QTYPE.SOA, 500)).rcode === 0);
  return { name, port, stop: proc.stop };
}

/** Polls a secondary until its answer holds `value`; ms from `since`. */
async function pollUntil(asker, value, since, name) {
  const needle = Buffer.from(value, 'ascii');
  for (;;) {
    const msg = await asker.ask();
    if (msg && (msg[3] & 0x0f) === 0 && msg.includes(needle)) return performance.now() - since;
    if (performance.now() - since > ROUND_LIMIT_MS) throw new Error(`${name} did not serve the new value within ${ROUND_LIMIT_MS} ms`);
  }
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };
}

const ms = (v) => (Number.isFinite(v) ? v.toFixed(1) : '—');

/** The secondaries section of the report, in report.mjs's table format. */
export function formatSecondaries(r) {
  const kinds = Object.entries(r.transfers).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  return [
    `Secondaries: ${r.rounds.toLocaleString('en-US')} rounds of POST /update on our server (SQLite, core ${r.cores.server}), then UDP TXT`,
    `queries to each secondary (core ${r.cores.load}) in a tight loop until it serves the new value (ms from the 200)`,
    formatTable(['secondary', 'p50', 'p99', 'max', 'rounds'], Object.entries(r.delays).map(([name, d]) => [name, ms(d.p50), ms(d.p99), ms(d.max), String(r.rounds)]), 'l'),
    `transfers served and NOTIFYs sent meanwhile (kind/result: count): ${kinds}`,
  ].join('\n');
}
