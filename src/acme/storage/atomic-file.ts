/**
 * Crash-safe secret files: a reader sees the old content or the new, never half of either, and
 * nobody but the owner can read them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Mode of every key and certificate file we write (owner read/write only). */
export const SECRET_FILE_MODE = 0o600;
/** Mode of the directories that hold them. */
export const SECRET_DIR_MODE = 0o700;

/**
 * Writes `data` to `file` atomically: a temporary file in the same directory (same file system,
 * so rename(2) is atomic), created 0600 before any byte is written, fsynced, renamed over the
 * target, then the directory fsynced so the rename itself survives a power cut.
 */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true, mode: SECRET_DIR_MODE });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'wx', SECRET_FILE_MODE);
  try {
    // The umask may have cleared bits, never added them; chmod anyway so the mode is exact.
    await handle.chmod(SECRET_FILE_MODE);
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
  await syncDirectory(dir);
}

/** Reads a file as UTF-8, or undefined when it does not exist. */
export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}
