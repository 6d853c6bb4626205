/**
 * Whether the database may have changed since the last check: the DNS read cache's one validation
 * per query (reads.ts), so it is on the hot path and measured (2-core VM, pinned, minimum of 15
 * rounds): `PRAGMA data_version` + `SELECT total_changes()` 4.6 us (the WAL read transaction's
 * shm locks and unlocks), one pread of the WAL-index header 2.9 us, a comparison of the header
 * mapped into memory (shm-view.ts) well under 0.1 us.
 *
 * In WAL mode SQLite itself decides whether its page cache is stale by comparing the WAL-index
 * header in the -shm file with the copy it read last (wal.c walIndexTryHdr); every commit, by any
 * connection of any process (this one's too), rewrites that header before the commit returns (its
 * change counter iChange and mxFrame or the salts), both copies of it. So a header equal to the
 * last one read means no commit completed in between; reading it after a datagram arrived sees
 * every commit acknowledged before. The -shm file is shared memory mapped by every connection;
 * our mapping of it, or pread, reads the same pages, so no lock is needed: a commit that
 * completed before a check rewrote both copies, so the check sees it; a check racing a commit may
 * see part of it, which counts as a change (the refill from SQLite, which takes its locks, gets
 * the committed state or the one before, and the next check sees the rest of the header differ).
 * Without WAL (`:memory:`) the two counters are read as before.
 */
import fs from 'node:fs';
import os from 'node:os';
import type Database from 'better-sqlite3';
import { mapFileStart, walIndexDescriptor } from './shm-view';
import { READ_SQL } from './sql';

/** The WAL-index header: two copies of the 48-byte WalIndexHdr (wal.c). */
const HEADER_BYTES = 96;
/** WALINDEX_MAX_VERSION (wal.c). */
const WAL_INDEX_VERSION = 3007000;

/** The check, and the release of what it holds (before the database closes). */
export interface ChangeCheck {
  /** True when the database may have changed since the previous call (and on the first). */
  changed(): boolean;
  close(): void;
}

/** The cheapest exact check the database allows; `map` maps the WAL index (tests pass one that cannot). */
export function changeDetector(db: Database.Database, file: string, map: typeof mapFileStart = mapFileStart): ChangeCheck {
  const fd = walIndexFile(db, file);
  if (fd === undefined) return counterCheck(db);
  const mapped = map(fd, HEADER_BYTES);
  return mapped === undefined ? headerCheck(fd) : mappedHeaderCheck(mapped);
}

/**
 * The descriptor of the -shm file (shm-view.ts: never closed) when the database is a file in WAL
 * mode (open.ts sets it), else undefined. SQLite names it after the database's real path (symlinks
 * resolved); a file whose header is not an initialised WAL index of this database's page size is
 * not used (the counters are, and cost more).
 */
function walIndexFile(db: Database.Database, file: string): number | undefined {
  if (db.memory || (db.pragma('journal_mode', { simple: true }) as string) !== 'wal') return undefined;
  // A read makes sure the WAL index exists and is initialised before it is opened.
  db.prepare(READ_SQL.serial).get();
  const shm = `${fs.realpathSync(file)}-shm`;
  if (!fs.existsSync(shm)) return undefined;
  const head = Buffer.alloc(HEADER_BYTES);
  const fd = walIndexDescriptor(shm);
  if (fs.readSync(fd, head, 0, HEADER_BYTES, 0) !== HEADER_BYTES) return undefined;
  // WalIndexHdr (wal.c), native byte order: iVersion 3007000 at 0, isInit at 12, szPage at 14
  // (0 while the WAL holds no frame: a database reopened with nothing to write).
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const le = os.endianness() === 'LE';
  const version = le ? head.readUInt32LE(0) : head.readUInt32BE(0);
  const szPage = le ? head.readUInt16LE(14) : head.readUInt16BE(14);
  const ok = version === WAL_INDEX_VERSION && head[12] === 1 && (szPage === 0 || szPage === ((pageSize & 0xff00) | ((pageSize >> 16) & 0x0001)));
  return ok ? fd : undefined;
}

function headerCheck(shmFd: number): ChangeCheck {
  let fd: number | undefined = shmFd;
  let last = Buffer.alloc(HEADER_BYTES);
  let next = Buffer.alloc(HEADER_BYTES);
  let valid = false;
  const changed = (): boolean => {
    if (fd === undefined) return true;
    const read = fs.readSync(fd, next, 0, HEADER_BYTES, 0);
    // A short read cannot be compared: treat it as a change (the cache is refilled from SQLite).
    const same = valid && read === HEADER_BYTES && next.equals(last);
    if (same) return false;
    [last, next] = [next, last];
    valid = read === HEADER_BYTES;
    return true;
  };
  return {
    changed,
    close() {
      // The descriptor stays open (shm-view.ts): closing it would drop SQLite's locks.
      fd = undefined;
    },
  };
}

/**
 * The header compared where SQLite's writers update it: 24 words, the second copy first. A
 * database that closes makes the mapping unused; it is released when collected.
 */
function mappedHeaderCheck(mapped: Uint8Array): ChangeCheck {
  const words = new Int32Array(mapped.buffer, mapped.byteOffset, HEADER_BYTES / 4);
  const last = new Int32Array(HEADER_BYTES / 4);
  let valid = false;
  let open = true;
  return {
    changed() {
      if (!open) return true;
      let same = valid;
      // Backwards: SQLite writes the second copy first (wal.c walIndexWriteHdr), so a racing
      // read leaves the first copy's old words in `last` and the next check refills once more.
      for (let i = words.length - 1; i >= 0; i--) {
        const word = words[i] as number;
        if (word !== last[i]) {
          same = false;
          last[i] = word;
        }
      }
      valid = true;
      return !same;
    },
    close() {
      open = false;
    },
  };
}

/**
 * `PRAGMA data_version` changes when ANOTHER connection commits; `total_changes()` counts the rows
 * this connection changed, whichever module wrote them.
 */
function counterCheck(db: Database.Database): ChangeCheck {
  const dataVersion = db.prepare(READ_SQL.dataVersion).pluck();
  const ownChanges = db.prepare(READ_SQL.ownChanges).pluck();
  let version = -1;
  let changes = -1;
  return {
    changed() {
      const v = dataVersion.get() as number;
      const c = ownChanges.get() as number;
      if (v === version && c === changes) return false;
      version = v;
      changes = c;
      return true;
    },
    close() {},
  };
}
