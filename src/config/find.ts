/** Where acme-dns looks for its config when no `-c` is given. */
import fs from 'node:fs';

/** acme-dns's lookup order (v1 main.go, v2 pkg/acmedns/config.go `ReadConfig`). */
export const DEFAULT_CONFIG_FILES: readonly string[] = ['/etc/acme-dns/config.cfg', './config.cfg'];

/** The first of /etc/acme-dns/config.cfg and ./config.cfg that exists; undefined if none does. */
export function findDefaultConfigFile(exists: (p: string) => boolean = isFile): string | undefined {
  return DEFAULT_CONFIG_FILES.find((p) => exists(p));
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
