/** The Content-Type of each kind of file the page's bundle emits, by extension. */

const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
  map: 'application/json',
  txt: 'text/plain; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/vnd.microsoft.icon',
  webp: 'image/webp',
  woff2: 'font/woff2',
};

/** What anything else is sent as: never sniffed into something executable (nosniff). */
const UNKNOWN = 'application/octet-stream';

/** The Content-Type for a file name. */
export function contentTypeOf(name: string): string {
  const dot = name.lastIndexOf('.');
  const ext = dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
  return TYPES[ext] ?? UNKNOWN;
}

/** Text (and SVG) shrinks under gzip; images and fonts are compressed already. */
export function isCompressible(contentType: string): boolean {
  return /^text\/|^application\/json|^image\/svg\+xml/.test(contentType);
}
