/**
 * A plain GET with a deadline and an optional extra CA, for the two unauthenticated ACME reads we
 * do ourselves: the directory (a fast reachability probe before each attempt) and renewalInfo.
 * acme-client's own transport retries a refused connection for over a minute and then loses the
 * error code; this one fails fast and keeps it, so the log can say "CA unreachable (ECONNREFUSED)".
 */
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';

/** A response whose body was parsed as JSON when it could be (else `undefined`). */
export interface JsonResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
}

/** How to reach the CA. */
export interface HttpGetOptions {
  /** Extra trusted roots (PEM) besides the system ones: a private CA such as step-ca or pebble. */
  readonly ca?: string | undefined;
  readonly timeoutMs: number;
}

/** The largest body we read: directories and renewalInfo are a few hundred bytes. */
const MAX_BODY = 1 << 20;

/** GETs `url` and parses the body as JSON; rejects on network errors and timeouts, not on status. */
export function getJson(url: string, options: HttpGetOptions): Promise<JsonResponse> {
  const target = new URL(url);
  const isHttps = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const request = (isHttps ? https : http).get(
      target,
      {
        headers: { accept: 'application/json', 'user-agent': 'acmedns' },
        timeout: options.timeoutMs,
        // Passing `ca` replaces the default roots, so the system ones are passed along too.
        ...(isHttps && options.ca ? { ca: [...tls.rootCertificates, options.ca], agent: false } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY) request.destroy(new Error(`response from ${url} is larger than ${MAX_BODY} bytes`));
          else chunks.push(chunk);
        });
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = JSON.parse(text) as unknown;
          } catch {
            body = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => {
      const err = new Error(`no response from ${url} within ${options.timeoutMs} ms`) as NodeJS.ErrnoException;
      err.code = 'ETIMEDOUT';
      request.destroy(err);
    });
    request.on('error', reject);
  });
}
