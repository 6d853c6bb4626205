// How long `acmedns import` takes for a big acme-dns database (issue 5): builds an acme-dns
// SQLite file (and, with --postgres, an acme-dns PostgreSQL database) the way acme-dns lays it
// out, then times the built binary importing it into a new store, and once more (the re-run, where
// every account already exists). Not part of the test suite.
//
// Usage: npm run build && node bench/import.mjs [--accounts 1000000] [--postgres ADMIN_URL] [--keep]
//   --postgres  a server where this may create and drop two databases (acmedns_bench_*)
//   --keep      leave the temp dir (and databases) for a look afterwards
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ACME_DNS_SQLITE_SCHEMA } from './acme-dns.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const Database = require('better-sqlite3');
const bcrypt = require('bcrypt');
const { Client } = require('pg');

const { values: opts } = parseArgs({
  options: {
    accounts: { type: 'string', default: '1000000' },
    postgres: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const count = Number(opts.accounts);
if (!Number.isInteger(count) || count < 1) throw new Error('--accounts must be a positive integer');
const main = path.join(root, 'dist', 'main.js');
if (!fs.existsSync(main)) throw new Error(`${main} is missing: run "npm run build" first`);

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// One real cost-10 hash; records.Password is UNIQUE, so each account gets its tail replaced by its index.
const baseHash = bcrypt.hashSync(crypto.randomBytes(30).toString('base64url'), await bcrypt.genSalt(10, 'a'));
const now = Math.floor(Date.now() / 1000);

/** Account i: username, hash, subdomain, allowfrom, and its two txt rows (one never updated). */
function account(i) {
  let tail = '';
  for (let n = i, k = 0; k < 6; k += 1, n = Math.floor(n / 64)) tail += BCRYPT_ALPHABET[n % 64];
  return {
    username: crypto.randomUUID(),
    hash: baseHash.slice(0, -6) + tail,
    subdomain: crypto.randomUUID(),
    allowfrom: i % 10 === 0 ? '["10.0.0.0/8"]' : '[]',
    value: crypto.randomBytes(32).toString('base64url'),
    updated: now - (i % 86400),
  };
}

function buildSqlite(file) {
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(ACME_DNS_SQLITE_SCHEMA);
  const rec = db.prepare('INSERT INTO records(Username, Password, Subdomain, AllowFrom) values(?, ?, ?, ?)');
  const txt = db.prepare('INSERT INTO txt (Subdomain, Value, LastUpdate) values(?, ?, ?)');
  const chunk = db.transaction((from, to) => {
    for (let i = from; i < to; i += 1) {
      const a = account(i);
      rec.run(a.username, Buffer.from(a.hash), a.subdomain, a.allowfrom); // Go binds []byte: a BLOB
      txt.run(a.subdomain, '', 0);
      txt.run(a.subdomain, a.value, a.updated);
    }
  });
  for (let i = 0; i < count; i += 50_000) chunk(i, Math.min(count, i + 50_000));
  db.close();
}

async function sql(url, text, values) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

async function buildPostgres(url) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`
      CREATE TABLE IF NOT EXISTS acmedns(Name TEXT, Value TEXT);
      CREATE TABLE IF NOT EXISTS records(
        Username TEXT UNIQUE NOT NULL PRIMARY KEY, Password TEXT UNIQUE NOT NULL,
        Subdomain TEXT UNIQUE NOT NULL, AllowFrom TEXT);
      CREATE TABLE IF NOT EXISTS txt(rowid SERIAL, Subdomain TEXT NOT NULL, Value TEXT NOT NULL DEFAULT '', LastUpdate INT);
      INSERT INTO acmedns (Name, Value) values('db_version', '1');`);
    for (let i = 0; i < count; i += 20_000) {
      const rows = [];
      for (let j = i; j < Math.min(count, i + 20_000); j += 1) rows.push(account(j));
      await client.query('INSERT INTO records SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])', [
        rows.map((a) => a.username), rows.map((a) => a.hash), rows.map((a) => a.subdomain), rows.map((a) => a.allowfrom),
      ]);
      await client.query('INSERT INTO txt (Subdomain, Value, LastUpdate) SELECT * FROM unnest($1::text[], $2::text[], $3::int[])', [
        rows.flatMap((a) => [a.subdomain, a.subdomain]), rows.flatMap((a) => ['', a.value]), rows.flatMap((a) => [0, a.updated]),
      ]);
    }
  } finally {
    await client.end();
  }
}

/** Runs the import; resolves with wall time, peak RSS (sampled from /proc) and the summary. */
function timeImport(from, config) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [main, 'import', '--from', from, '-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let peakKb = 0;
    const sample = setInterval(() => {
      try {
        const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // exited between two samples
      }
    }, 100);
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.once('error', reject);
    child.once('close', (code) => {
      clearInterval(sample);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) reject(new Error(`import exited ${code}:\n${out}${err}`));
      else resolve({ seconds, peakMb: Math.round(peakKb / 1024), out });
    });
  });
}

function configToml(dir, engine, connection) {
  const file = path.join(dir, `${engine}.toml`);
  fs.writeFileSync(file, `[general]
listen = "127.0.0.1:0"
protocol = "both"
domain = "auth.example.org"
nsname = "auth.example.org"
nsadmin = "admin.example.org"
[database]
engine = "${engine}"
connection = "${connection}"
[api]
ip = "127.0.0.1"
port = "0"
tls = "none"
`);
  return file;
}

const line = (label, r) =>
  `${label.padEnd(36)} ${r.seconds.toFixed(1).padStart(7)} s  ${Math.round(count / r.seconds).toLocaleString('en-US').padStart(9)} accounts/s  peak RSS ${r.peakMb} MB`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-bench-import-'));
const made = [];
const results = [];
try {
  const source = path.join(dir, 'acme-dns.db');
  let t = Date.now();
  buildSqlite(source);
  console.log(`built ${source}: ${count.toLocaleString('en-US')} accounts, ${(fs.statSync(source).size / 1e6).toFixed(0)} MB, in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  const config = configToml(dir, 'sqlite', path.join(dir, 'acmedns.db'));
  const first = await timeImport(source, config);
  results.push(line('SQLite -> SQLite, first run', first));
  results.push(line('SQLite -> SQLite, re-run', await timeImport(source, config)));
  console.log(first.out);

  if (opts.postgres) {
    const tag = `${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
    const dbUrl = (name) => {
      const u = new URL(opts.postgres);
      u.pathname = `/${name}`;
      return u.toString();
    };
    for (const name of [`acmedns_bench_src_${tag}`, `acmedns_bench_dst_${tag}`]) {
      await sql(opts.postgres, `CREATE DATABASE ${name}`);
      made.push(name);
    }
    const [src, dst] = made.map(dbUrl);
    t = Date.now();
    await buildPostgres(src);
    console.log(`built the PostgreSQL source in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const pgConfig = configToml(dir, 'postgres', dst);
    const pgFirst = await timeImport(src, pgConfig);
    results.push(line('PostgreSQL -> PostgreSQL, first run', pgFirst));
    results.push(line('PostgreSQL -> PostgreSQL, re-run', await timeImport(src, pgConfig)));
    console.log(pgFirst.out);
  }
  console.log(`import of ${count.toLocaleString('en-US')} acme-dns accounts (${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores)`);
  for (const r of results) console.log(r);
} finally {
  if (!opts.keep) {
    fs.rmSync(dir, { recursive: true, force: true });
    for (const name of made) await sql(opts.postgres, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  } else {
    console.log(`kept ${dir} ${made.join(' ')}`);
  }
}
