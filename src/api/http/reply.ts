/** The response shape every handler returns; exchange.ts writes it, nothing else writes responses. */

/** A complete HTTP response: status, headers and the exact body (text, or bytes for the page's files). */
export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

/** acme-dns sends `Content-Type: application/json` without a charset. */
export const JSON_TYPE = 'application/json';

/** Go's http.Error content type; it also sets `X-Content-Type-Options: nosniff`. */
const TEXT_TYPE = 'text/plain; charset=utf-8';

/** A JSON reply with the body exactly as given. */
export function jsonReply(status: number, body: string): Reply {
  return { status, headers: { 'Content-Type': JSON_TYPE }, body };
}

/** A reply as Go's http.Error writes it: the text plus a newline, text/plain, nosniff. */
export function textErrorReply(status: number, text: string, extra: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'Content-Type': TEXT_TYPE, 'X-Content-Type-Options': 'nosniff', ...extra },
    body: `${text}\n`,
  };
}

/** httprouter's NotFound: `404 page not found\n`. */
export function notFoundReply(): Reply {
  return textErrorReply(404, '404 page not found');
}

/** httprouter's 405: `Method Not Allowed\n` with the route's methods in `Allow`. */
export function methodNotAllowedReply(allow: string): Reply {
  return textErrorReply(405, 'Method Not Allowed', { Allow: allow });
}
