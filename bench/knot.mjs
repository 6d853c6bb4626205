// knot (knotd) serving the benchmark zone statically: the reference the bar is measured against.
import fs from 'node:fs';
import path from 'node:path';
import { dnsQuery, QTYPE } from './net.mjs';
import { startPinned, waitReady } from './proc.mjs';
import { zoneFile } from './zone.mjs';

/** knot.conf: everything inside `dir`, one UDP and one TCP worker (the server gets one core). */
function knotConf(dir, port, domain) {
  return `server:
    rundir: "${dir}"
    listen: 127.0.0.1@${port}
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "${dir}"
log:
  - target: stderr
    any: warning
template:
  - id: default
    storage: "${dir}"
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: ${domain}
    file: "${path.join(dir, 'zone.txt')}"
`;
}

/**
 * Writes the zone (static records + one TXT per account) and starts knotd pinned to `core`;
 * resolves { label, port, pid, stop() } once it answers the apex SOA authoritatively.
 */
export async function startKnot({ knotd, dir, port, core, zone, accounts }) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'zone.txt'), zoneFile(zone, accounts));
  const conf = path.join(dir, 'knot.conf');
  fs.writeFileSync(conf, knotConf(dir, port, zone.domain));
  const server = startPinned('knotd', core, knotd, ['-c', conf]);
  // knotd answers SERVFAIL until the zone has loaded; NOERROR on the SOA means it is ready.
  await waitReady(server, async () => (await dnsQuery(port, zone.domain, QTYPE.SOA)).rcode === 0, 60000);
  return { label: 'knot', port, pid: server.child.pid, stop: server.stop };
}
