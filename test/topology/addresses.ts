/**
 * Loopback addresses of one topology. Clients check the authoritative servers on port 53 only
 * (lego, certmagic, cert-manager), so our server, knot and unbound each need port 53 on an
 * address of their own: `<net>.1` acmedns, `.2` knot, `.3` unbound, `.4` pebble, and `.5` a second
 * acmedns instance (the several-instances tests; delegated to only when the topology is asked to).
 * `<net>` is 127.53.N with N taken under a lock file, so parallel jest workers and parallel test
 * runs on one machine never collide; ACMEDNS_TOPOLOGY_NET=127.53.9 forces one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The addresses of a topology, and the lock that reserves them. */
export interface TopologyAddresses {
  readonly net: string;
  readonly acmedns: string;
  readonly knot: string;
  readonly unbound: string;
  readonly pebble: string;
  /** A second instance of our server (startTopology's `secondNameServer`). */
  readonly acmedns2: string;
  /** Gives the addresses back. */
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryLock(file: string): boolean {
  try {
    fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const owner = Number(fs.readFileSync(file, 'utf8'));
  if (Number.isInteger(owner) && owner > 0 && alive(owner)) return false;
  // A run that died without cleaning up: take its addresses over.
  fs.rmSync(file, { force: true });
  return tryLock(file);
}

/** Reserves a /24 under 127.53.0.0/16 for this process. */
export function reserveAddresses(): TopologyAddresses {
  const forced = process.env.ACMEDNS_TOPOLOGY_NET;
  const candidates = forced ? [forced] : Array.from({ length: 250 }, (_, i) => `127.53.${((process.pid + i) % 250) + 1}`);
  for (const net of candidates) {
    const lock = path.join(os.tmpdir(), `acmedns-topology-${net}.lock`);
    if (!tryLock(lock)) continue;
    return {
      net,
      acmedns: `${net}.1`,
      knot: `${net}.2`,
      unbound: `${net}.3`,
      pebble: `${net}.4`,
      acmedns2: `${net}.5`,
      release: () => fs.rmSync(lock, { force: true }),
    };
  }
  throw new Error(forced ? `ACMEDNS_TOPOLOGY_NET=${forced} is in use by another run` : 'no free 127.53.N.0/24 for a topology');
}
