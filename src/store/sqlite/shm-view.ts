/**
 * SQLite's WAL index (the -shm file) as changes.ts reads it: one descriptor per file for the
 * life of the process, and a read-only shared mapping of its start through the addon in
 * native/shm-map (native-addon.ts), so the change check on every DNS query is a comparison of
 * mapped memory instead of a pread (2.9 us, about a fifth of a cached answer's cost). Where the
 * addon was not built (no C compiler) or cannot map the file, callers read the file through the
 * descriptor instead.
 *
 * The descriptors are never closed. POSIX record locks belong to the process, and closing ANY
 * descriptor of a file releases all of them (fcntl(2)): SQLite's own locks on the -shm file, its
 * read marks and the lock that tells a newcomer the index is in use, would go, and a connection
 * opened next, in another worker, would take the index over and truncate it while we read it
 * (a worker died of SIGBUS that way). SQLite keeps its own descriptors for the same reason.
 */
import fs from 'node:fs';
import { nativeAddon } from './native-addon';

/** Descriptors of the -shm files this process reads, by real path (see the top of this file). */
const descriptors = new Map<string, number>();

/**
 * The process's read-only descriptor of `file`, opened on first use and kept. A file replaced since
 * (SQLite deletes the -shm file when its last connection closes; the next one creates another)
 * gets a new descriptor: the old one is closed, which is safe because no connection uses the old
 * file any more, and reading it would see a WAL index nobody writes.
 */
export function walIndexDescriptor(file: string): number {
  const current = fs.statSync(file);
  const held = descriptors.get(file);
  if (held !== undefined) {
    const open = fs.fstatSync(held);
    if (open.ino === current.ino && open.dev === current.dev) return held;
    fs.closeSync(held);
    descriptors.delete(file);
  }
  const fd = fs.openSync(file, 'r');
  descriptors.set(file, fd);
  return fd;
}

/**
 * The first `length` bytes of the file open as `fd`, mapped shared and read-only: the bytes change
 * as other processes write the file. Undefined when the addon is missing, the file is shorter than
 * `length` (a mapped page past the end would kill the process with SIGBUS on read) or cannot be
 * mapped.
 */
export function mapFileStart(fd: number, length: number): Uint8Array | undefined {
  const map = nativeAddon();
  if (map === null) return undefined;
  try {
    return new Uint8Array(map.mapShared(fd, length));
  } catch {
    return undefined;
  }
}
