// acme-dns itself (Go), measured in the same run as ours when the bench is given a built binary
// (`--acme-dns PATH`, issue 12): the reference for the tail at 2,000 TXT q/s. acme-dns is not
// packaged by Debian and its Go modules are not fetched here, so nothing builds it: the operator
// brings the binary (bench/README.md says how). Its SQLite layout is also what `acmedns import`
// reads (bench/import.mjs builds big files of it).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { dnsQuery, QTYPE } from './net.mjs';
import { startPinned, waitReady } from './proc.mjs';

/** acme-dns's SQLite schema (db.go, db_version 1): records, txt, and the version row. */
export const ACME_DNS_SQLITE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS acmedns(Name TEXT, Value TEXT);
  CREATE TABLE IF NOT EXISTS records(
    Username TEXT UNIQUE NOT NULL PRIMARY KEY, Password TEXT UNIQUE NOT NULL,
    Subdomain TEXT UNIQUE NOT NULL, AllowFrom TEXT);
  CREATE TABLE IF NOT EXISTS txt(Subdomain TEXT NOT NULL, Value TEXT NOT NULL DEFAULT '', LastUpdate INT);
  INSERT INTO acmedns (Name, Value) values('db_version', '1');`;

/**
 * A new acme-dns SQLite file holding `accounts` ({ username, subdomain, value }) as acme-dns's
 * /register then one /update leave them: two txt rows each, the older one empty.
 */
function seedAcmeDnsSqlite(root, file, accounts, passwordHash) {
  const Database = createRequire(path.join(root, 'package.json'))('better-sqlite3');
  const db = new Database(file);
  try {
    db.exec(ACME_DNS_SQLITE_SCHEMA);
    const rec = db.prepare('INSERT INTO records(Username, Password, Subdomain, AllowFrom) values(?, ?, ?, ?)');
    const txt = db.prepare('INSERT INTO txt (Subdomain, Value, LastUpdate) values(?, ?, ?)');
    const now = Math.floor(Date.now() / 1000);
    db.transaction(() => {
      for (const a of accounts) {
        rec.run(a.username, Buffer.from(passwordHash), a.subdomain, '[]'); // Go binds []byte: a BLOB
        txt.run(a.subdomain, '', 0);
        txt.run(a.subdomain, a.value, now);
      }
    })();
  } finally {
    db.close();
  }
}

/** acme-dns's config.cfg for the bench zone: DNS on UDP and TCP over IPv4, the API without TLS. */
function configCfg({ host, zone, dnsPort, apiPort, file, dir }) {
  const q = (s) => JSON.stringify(s);
  return `[general]
listen = ${q(`${host}:${dnsPort}`)}
protocol = "both4"
domain = ${q(zone.domain)}
nsname = ${q(zone.nsname)}
nsadmin = ${q(zone.nsadmin)}
records = [${zone.records.map(q).join(', ')}]
debug = false

[database]
engine = "sqlite3"
connection = ${q(file)}

[api]
ip = ${q(host)}
disable_registration = false
port = ${q(String(apiPort))}
tls = "none"
acme_cache_dir = ${q(path.join(dir, 'api-certs'))}
corsorigins = ["*"]
use_header = false

[logconfig]
loglevel = "warning"
logtype = "stdout"
logformat = "text"
`;
}

/**
 * Starts the acme-dns binary `bin` pinned to `core`, on a new SQLite file holding `accounts`;
 * resolves { label, host, port, pid, stop } once it answers the apex SOA.
 */
export async function startAcmeDns({ root, bin, label, dir, core, zone, dnsPort, apiPort, accounts, passwordHash, host = '127.0.0.1' }) {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'acme-dns.db');
  seedAcmeDnsSqlite(root, file, accounts, passwordHash);
  const conf = path.join(dir, 'config.cfg');
  fs.writeFileSync(conf, configCfg({ host, zone, dnsPort, apiPort, file, dir }));
  const server = startPinned(label, core, bin, ['-c', conf], { cwd: dir });
  try {
    await waitReady(server, async () => (await dnsQuery(dnsPort, zone.domain, QTYPE.SOA, 500, host)).rcode === 0);
    return { label, host, port: dnsPort, pid: server.child.pid, stop: server.stop };
  } catch (err) {
    await server.stop();
    throw err;
  }
}
