/**
 * Request paths matched against the routes. A reverse proxy's rules compare the path as sent, so
 * the server must not answer a path the proxy reads as different: no percent-decoding, no `.`/`..`
 * resolution, no case folding (`/%72egister`, `/x/../register`, `/REGISTER` are not `/register`).
 * Only the two shapes real clients send are forgiven (clients.md §9): repeated slashes from a base
 * URL with a trailing slash (`//update`) and one trailing slash (`/update/`). acme-dns's httprouter
 * redirected those (and case variants) with 307; serving them directly works for every client,
 * including curl without `-L`, and never turns a POST into a GET as a 301/302 would.
 */

/** `scheme://authority` of an absolute-form request target (RFC 9112 §3.2.2). */
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;

/**
 * The path part of a request target, exactly as sent: origin-form (`/update?x`) or absolute-form
 * (`http://h/update`). Not through `new URL`, which would resolve `..` and `%2e%2e`.
 */
export function requestPath(target: string): string {
  const authority = ABSOLUTE_FORM.exec(target);
  const rest = authority === null ? target : target.slice(authority[0].length);
  const q = rest.search(/[?#]/);
  const path = q < 0 ? rest : rest.slice(0, q);
  return authority !== null && path === '' ? '/' : path;
}

/**
 * The form used for matching: repeated slashes collapsed, then one trailing slash dropped.
 * Everything else stays byte for byte, so only an exact route matches.
 */
export function canonicalPath(rawPath: string): string {
  const collapsed = `/${rawPath}`.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 && collapsed.endsWith('/') ? collapsed.slice(0, -1) : collapsed;
}

/**
 * The canonical path as Express's router is given it. Its URL parser (parseurl) takes a path
 * verbatim unless it holds whitespace or `#`; then Node's url.parse trims it and turns `\` into
 * `/`. Node's HTTP parser refuses such targets (400) before the app sees them; should one come
 * anyway, those characters are percent-encoded, so it matches no route instead of a trimmed one.
 */
export function routablePath(canonical: string): string {
  return canonical.replace(/[\s#]/g, (c) => encodeURIComponent(c));
}
