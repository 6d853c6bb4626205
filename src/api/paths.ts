/**
 * Request paths served as their canonical route. acme-dns's router (httprouter) redirects
 * `//update`, `/update/` and `/UPDATE` with 307; five clients build `//register` from a base URL
 * with a trailing slash (clients.md §9). Serving the canonical route directly works for all of
 * them, including curl without `-L`, and never turns a POST into a GET as a 301/302 would.
 */
import path from 'node:path';

/** The path part of a request target: origin-form (`/update?x`) or absolute-form (`http://h/update`). */
export function requestPath(target: string): string {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(target)) {
    try {
      return new URL(target).pathname;
    } catch {
      return target;
    }
  }
  const q = target.search(/[?#]/);
  return q < 0 ? target : target.slice(0, q);
}

/**
 * The canonical form used for matching: percent-decoded (as Go's URL.Path), `.`/`..` resolved and
 * repeated slashes collapsed (httprouter CleanPath), no trailing slash, lower case (httprouter's
 * case-insensitive fixed-path lookup). Undefined when the path cannot be decoded.
 */
export function canonicalPath(rawPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  const cleaned = path.posix.normalize(`/${decoded}`);
  const trimmed = cleaned.length > 1 ? cleaned.replace(/\/+$/, '') : cleaned;
  return (trimmed === '' ? '/' : trimmed).toLowerCase();
}
