// A throwaway PostgreSQL for the PostgreSQL scenarios, started the way test/support/postgres.ts
// does it: Debian's binaries, initdb into a temp dir (as the `postgres` user when we are root),
// a random port on 127.0.0.1, everything removed on cleanup. Pinned to one core with taskset.
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onCleanup } from './cleanup.mjs';
import { freePort } from './net.mjs';
import { run } from './proc.mjs';
import { cpuSeconds } from './cpu.mjs';

/** Debian installs the server outside PATH: the newest /usr/lib/postgresql/N/bin with initdb and pg_ctl. */
export function findPostgresBindir() {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))
    : [];
  const found = versions.map((v) => path.join(root, v, 'bin'))
    .find((dir) => fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl')));
  if (!found) throw new Error('PostgreSQL server binaries not found: apt-get install postgresql');
  return found;
}

/** CPU seconds of a process's reaped children (cutime + cstime), or 0 when unreadable. */
function reapedSeconds(pid, ticks) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    return (f[13] + f[14]) / ticks;
  } catch {
    return 0;
  }
}

/** Live children of `pid` (PostgreSQL backends are forked by the postmaster), from /proc. */
function childrenOf(pid) {
  const kids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) kids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return kids;
}

/**
 * Starts PostgreSQL pinned to `core` with data in a new temp dir; resolves { url, bindir,
 * createDatabase(), cpuSeconds(), stop() }. cpuSeconds() sums the postmaster, its live backends
 * and those already gone, so the bench can tell the database's CPU apart from "other processes".
 */
export async function startPostgres({ taskset, core }) {
  const bindir = findPostgresBindir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-bench-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  // initdb and postgres refuse to run as root: run them as Debian's `postgres` user, owner of the dir.
  const exec = async (tool, args) => {
    const bin = path.join(bindir, tool);
    const argv = asRoot ? ['runuser', '-u', 'postgres', '--', bin, ...args] : [bin, ...args];
    const r = await run(taskset, ['-c', String(core), ...argv], { cwd: dir });
    if (r.code !== 0) throw new Error(`${tool} exited ${r.code}: ${r.stderr}${r.stdout}`);
  };
  let started = false;
  const stop = async () => {
    if (started) await exec('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']).catch(() => undefined);
    started = false;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const dropCleanup = onCleanup(stop);
  if (asRoot) {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    fs.chownSync(dir, uid, gid);
  }
  const port = await freePort();
  const options = [
    `-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1',
    // Throwaway data: durability costs time and buys nothing here (as in the tests).
    '-c fsync=off', '-c full_page_writes=off', '-c max_connections=100',
  ].join(' ');
  await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
  await exec('pg_ctl', ['start', '-D', data, '-w', '-t', '60', '-o', options, '-l', path.join(dir, 'server.log')]);
  started = true;
  const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const ticks = 100;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
  const { Client } = createRequire(import.meta.url)('pg');
  return {
    url,
    pid,
    /** A new empty database; returns its URL. */
    async createDatabase() {
      const name = `acmedns_bench_${crypto.randomBytes(6).toString('hex')}`;
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      const u = new URL(url);
      u.pathname = `/${name}`;
      return u.toString();
    },
    cpuSeconds() {
      const live = childrenOf(pid).reduce((sum, kid) => sum + (cpuSeconds(kid) || 0), 0);
      return (cpuSeconds(pid) || 0) + reapedSeconds(pid, ticks) + live;
    },
    async stop() {
      dropCleanup();
      await stop();
    },
  };
}
