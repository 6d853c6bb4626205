import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

/** The environment variable naming an existing server to use instead of starting one. */
export const POSTGRES_URL_ENV = 'ACMEDNS_TEST_POSTGRES_URL';

/** A PostgreSQL server for one test file: its own (temp dir, random port) or the one the environment names. */
export interface TestPostgres {
  /** Admin URL (database `postgres`, or the environment's). */
  readonly url: string;
  /** True for a server from ACMEDNS_TEST_POSTGRES_URL: stop/start are unsupported there. */
  readonly external: boolean;
  /** A new empty database (dropped by destroy()); every test or file gets its own. */
  createDatabase(): Promise<string>;
  /** Stops the server (fast shutdown: sessions are terminated, as in a restart). */
  stop(): Promise<void>;
  /** Starts it again after stop(), same data, same port. */
  start(): Promise<void>;
  /** Stops it and removes its files (own server), or drops the databases made (external one). */
  destroy(): Promise<void>;
}

/** Debian installs the server binaries outside PATH: `pg_config --bindir`, else the newest /usr/lib/postgresql/N/bin. */
async function findBindir(): Promise<string> {
  const candidates: string[] = [];
  try {
    candidates.push((await run('pg_config', ['--bindir'])).stdout.trim());
  } catch {
    // pg_config comes from libpq-dev, which the server package does not need.
  }
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) {
    const versions = fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(root, v, 'bin')));
  }
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl')));
  if (!found) throw new Error('PostgreSQL server binaries not found: install the Debian package "postgresql" (scripts/test does)');
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts a server of our own, or wraps ACMEDNS_TEST_POSTGRES_URL. Never a database shared with anything else. */
export async function startPostgres(): Promise<TestPostgres> {
  const external = process.env[POSTGRES_URL_ENV];
  if (external) return externalServer(external);

  const bindir = await findBindir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  // initdb and postgres refuse to run as root: run them as Debian's `postgres` user, owner of the dir.
  const exec = async (tool: string, args: string[]): Promise<void> => {
    const bin = path.join(bindir, tool);
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
    await run(cmd, argv, { cwd: dir, env: { ...process.env, LC_ALL: 'C' } });
  };
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    fs.chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const port = await freePort();
  const options = [
    `-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1',
    // Throwaway data: durability costs time and buys nothing here.
    '-c fsync=off', '-c full_page_writes=off', '-c max_connections=100',
  ].join(' ');
  const pgCtl = (action: string, extra: string[] = []): Promise<void> =>
    exec('pg_ctl', [action, '-D', data, '-w', '-t', '60', ...extra]);

  try {
    await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    await pgCtl('start', ['-o', options, '-l', path.join(dir, 'server.log')]);
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let running = true;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
  return {
    url,
    external: false,
    createDatabase: () => createDatabase(url),
    async stop() {
      await pgCtl('stop', ['-m', 'fast']);
      running = false;
    },
    async start() {
      await pgCtl('start', ['-o', options, '-l', path.join(dir, 'server.log')]);
      running = true;
    },
    async destroy() {
      if (running) await pgCtl('stop', ['-m', 'immediate']).catch(() => undefined);
      running = false;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function externalServer(url: string): TestPostgres {
  const made: string[] = [];
  const unsupported = async (): Promise<never> => {
    throw new Error(`stop/start are not possible on the server named by ${POSTGRES_URL_ENV}`);
  };
  return {
    url,
    external: true,
    async createDatabase() {
      const db = await createDatabase(url);
      made.push(db);
      return db;
    },
    stop: unsupported,
    start: unsupported,
    async destroy() {
      for (const db of made.splice(0)) await dropDatabase(db, url);
    },
  };
}

/** Connects as the URL says, runs one statement, and always disconnects. */
async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates a new empty database on the server `adminUrl` points at; returns its URL. */
export async function createDatabase(adminUrl: string): Promise<string> {
  const name = `acmedns_test_${process.pid}_${crypto.randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops a database made by createDatabase (through adminUrl), disconnecting whoever still uses it (PostgreSQL 13+). */
export async function dropDatabase(url: string, adminUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^acmedns_test_\w+$/.test(name)) throw new Error(`refusing to drop ${name}: not a test database`);
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
