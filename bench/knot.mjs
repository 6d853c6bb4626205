// knot (knotd) serving the benchmark zone statically: the reference the bar is measured against.
// Signed (issue 11) two ways: `online` signs each answer as it goes out (mod-onlinesign, compact
// "black lies" denial, the same work our server does), `presigned` signs the zone once at load
// (automatic signing, NSEC chain: the fastest a signed zone is served). Both with one ECDSA
// P-256 combined key, our default.
import fs from 'node:fs';
import path from 'node:path';
import { dnsQuery, QTYPE } from './net.mjs';
import { startPinned, waitReady } from './proc.mjs';
import { zoneFile } from './zone.mjs';

/** The policy section and the zone lines for `signing` (undefined: unsigned). */
function signingConf(signing) {
  if (!signing) return { policy: '', zone: '' };
  const policy = `policy:
  - id: bench
    algorithm: ecdsap256sha256
    single-type-signing: on
    nsec3: off
${signing === 'online' ? 'mod-onlinesign:\n  - id: bench\n    policy: bench\n' : ''}`;
  const zone = signing === 'online' ? '    module: mod-onlinesign/bench\n' : '    dnssec-signing: on\n    dnssec-policy: bench\n';
  return { policy, zone };
}

/**
 * The `server`, `database` and `log` sections of every knot the bench starts: run from `dir`, one
 * UDP, TCP and background worker (the server gets one core), warnings only; its database in `storage`.
 */
export function knotServerConf(dir, port, storage) {
  return `server:
    rundir: "${dir}"
    listen: 127.0.0.1@${port}
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "${storage}"
log:
  - target: stderr
    any: warning
`;
}

/** knot.conf: everything inside `dir`, one UDP and one TCP worker (the server gets one core). */
function knotConf(dir, port, domain, signing) {
  const signed = signingConf(signing);
  return `${knotServerConf(dir, port, dir)}template:
  - id: default
    storage: "${dir}"
    zonefile-sync: -1
    journal-content: none
${signed.policy}zone:
  - domain: ${domain}
    file: "${path.join(dir, 'zone.txt')}"
${signed.zone}`;
}

/**
 * Writes the zone (static records + one TXT per account) and starts knotd pinned to `core`,
 * signing it when `signing` is 'online' or 'presigned'; resolves { label, port, pid, stop() }
 * once it answers the apex SOA authoritatively (and signed, when signing).
 */
export async function startKnot({ knotd, dir, port, core, zone, accounts, signing, label = 'knot' }) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'zone.txt'), zoneFile(zone, accounts));
  const conf = path.join(dir, 'knot.conf');
  fs.writeFileSync(conf, knotConf(dir, port, zone.domain, signing));
  const server = startPinned('knotd', core, knotd, ['-c', conf]);
  // knotd answers SERVFAIL until the zone has loaded; NOERROR on the SOA means it is ready, and
  // with DO an RRSIG beside it that it is signed.
  await waitReady(server, async () => {
    const soa = await dnsQuery(port, zone.domain, QTYPE.SOA, 500, '127.0.0.1', Boolean(signing));
    return soa.rcode === 0 && soa.ancount >= (signing ? 2 : 1);
  }, 60000);
  return { label, port, pid: server.child.pid, stop: server.stop };
}
