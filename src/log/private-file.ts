/**
 * Files only the owner may read, whatever the umask: the SQLite database (bcrypt hashes, the API
 * certificate's private key, the ACME account key) and the log file (client addresses). A new
 * folder is made 0700 and a new file 0600; existing ones are not changed (an operator may have
 * chosen their modes and owners, e.g. systemd's StateDirectoryMode=0750), only reported.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Mode of a file we create: owner read/write only. */
export const PRIVATE_FILE_MODE = 0o600;
/** Mode of a folder we create: owner only. */
export const PRIVATE_DIR_MODE = 0o700;

/** A mode as `ls` and chmod spell it, e.g. `0644`. */
export function octalMode(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

/**
 * Makes `dir` (and missing parents) 0700. An existing folder is left alone; the answer is a warning
 * when others may enter it or the group may write in it (someone could list, replace or plant
 * files beside the database), else undefined.
 */
export function ensurePrivateDirectory(dir: string): string | undefined {
  const absolute = path.resolve(dir);
  const existing = statIfExists(absolute);
  if (existing !== undefined) {
    if (!existing.isDirectory() || (existing.mode & 0o027) === 0) return undefined;
    return `${absolute} is ${octalMode(existing.mode)}: other users can reach or change the files in it; make it 0700 or 0750`;
  }
  const first = fs.mkdirSync(absolute, { recursive: true, mode: PRIVATE_DIR_MODE });
  // mkdir's mode passes through the umask, which can take bits from 0700 too; set it exactly, on
  // the folders made here only (from the deepest up to the first one created).
  if (first !== undefined) {
    for (let d = absolute; ; d = path.dirname(d)) {
      fs.chmodSync(d, PRIVATE_DIR_MODE);
      if (d === first || d === path.dirname(d)) break;
    }
  }
  return undefined;
}

/** Creates `file` empty with mode 0600 unless it exists; true when created. */
export function createPrivateFile(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', PRIVATE_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    // The umask may have cleared bits of 0600 (never added any); chmod so the mode is exact.
    fs.fchmodSync(fd, PRIVATE_FILE_MODE);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/** `file MODE` for each existing file that the group or others may read or write. */
export function openToOthers(files: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const st = statIfExists(file);
    if (st !== undefined && st.isFile() && (st.mode & 0o066) !== 0) out.push(`${file} ${octalMode(st.mode)}`);
  }
  return out;
}

function statIfExists(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
