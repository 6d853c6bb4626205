/**
 * The certificate and key files of `tls = "cert"`: read and checked as a pair, and watched so a
 * renewed certificate is served without a restart (acme-dns reads them once: reference §1.7).
 */
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';

/** A certificate chain and its private key, PEM. */
export interface PemPair {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** Minimum TLS version, as acme-dns v2 (`MinVersion: tls.VersionTLS12`). */
export const MIN_TLS_VERSION = 'TLSv1.2';

/** Every BEGIN line has its END line: a file caught in the middle of a write fails this. */
function completePem(pem: string): boolean {
  const begins = pem.match(/-----BEGIN [^-]+-----/g)?.length ?? 0;
  const ends = pem.match(/-----END [^-]+-----/g)?.length ?? 0;
  return begins > 0 && begins === ends;
}

/**
 * Reads both files and checks that they form a usable pair (complete PEM, key matches the
 * certificate); throws an Error naming the files otherwise.
 */
export async function readPemPair(certFile: string, keyFile: string): Promise<PemPair> {
  // Read in a fixed order so the error always names the first unreadable file (tests and humans
  // both expect the chain to be reported before the key).
  const cert = await readFile(certFile, 'tls_cert_fullchain');
  const key = await readFile(keyFile, 'tls_cert_privkey');
  if (!completePem(cert.toString('latin1')) || !completePem(key.toString('latin1'))) {
    throw new Error(`${certFile} / ${keyFile}: not complete PEM files`);
  }
  try {
    tls.createSecureContext({ cert, key, minVersion: MIN_TLS_VERSION });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`${certFile} / ${keyFile}: not a usable certificate and key pair (${why})`);
  }
  return { cert, key };
}

/**
 * Calls `onChange` (once per burst of events, after `debounceMs` of quiet) when either file is
 * written, replaced or re-linked. Watches the directories, not the files, because renewals
 * usually replace files by rename or symlink (certbot's live/ links), which a file watch misses.
 * Returns a function that stops watching.
 */
export function watchPemFiles(
  files: readonly string[],
  debounceMs: number,
  onChange: () => void,
  onError: (err: Error) => void,
): () => void {
  const byDir = new Map<string, Set<string>>();
  for (const f of files) {
    const abs = path.resolve(f);
    const names = byDir.get(path.dirname(abs)) ?? new Set<string>();
    names.add(path.basename(abs));
    byDir.set(path.dirname(abs), names);
  }
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      onChange();
    }, debounceMs);
    timer.unref();
  };
  const watchers: fs.FSWatcher[] = [];
  for (const [dir, names] of byDir) {
    try {
      const w = fs.watch(dir, { persistent: false }, (_event, filename) => {
        if (filename === null || names.has(filename.toString())) schedule();
      });
      w.on('error', onError);
      watchers.push(w);
    } catch (err) {
      onError(err instanceof Error ? err : new Error(String(err)));
    }
  }
  return () => {
    if (timer) clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}

async function readFile(file: string, key: string): Promise<Buffer> {
  try {
    return await fs.promises.readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new Error(`api.${key} ${file}: ${why}`);
  }
}
