/**
 * The API test client: requests with exactly the headers a test names (to the in-process API, the
 * daemon or a server process), and the account calls every test makes: register, update, a TXT value.
 */
import http from 'node:http';
import https from 'node:https';

/** An HTTP response as received. */
export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** The body's bytes as received (a gzip body is not text). */
  readonly bytes: Buffer;
}

/** One request with exactly these headers (plus Host, Connection and Content-Length). */
export interface RawRequest {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string | string[]>;
  readonly body?: string | Buffer;
  /** For HTTPS: trust this CA / certificate. */
  readonly ca?: Buffer;
  /** Keep the connection (default: a fresh connection per request). */
  readonly agent?: http.Agent;
  /** Connect from this address (e.g. 127.0.0.2, to be a loopback client outside an allow-list). */
  readonly localAddress?: string;
}

/** Sends a request to `base` (http or https) and reads the whole answer. */
export function send(base: string, req: RawRequest): Promise<RawResponse> {
  const url = new URL(base);
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
  const headers: Record<string, string | string[]> = { ...(req.headers ?? {}) };
  const named = (n: string): boolean => Object.keys(headers).some((h) => h.toLowerCase() === n);
  // A Content-Length unless the test sets one or asks for chunked transfer.
  if (body !== undefined && !named('content-length') && !named('transfer-encoding')) {
    headers['Content-Length'] = String(body.length);
  }
  const options: https.RequestOptions = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port,
    method: req.method ?? 'POST',
    path: req.path,
    headers,
    agent: req.agent ?? false,
    ...(req.localAddress === undefined ? {} : { localAddress: req.localAddress }),
    ...(req.ca ? { ca: req.ca, servername: 'localhost' } : {}),
  };
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const r = mod.request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes });
      });
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(body);
  });
}

/** What /register returned, parsed. */
export interface Registration {
  readonly username: string;
  readonly password: string;
  readonly fulldomain: string;
  readonly subdomain: string;
  readonly allowfrom: string[];
}

/** Registers an account through the API, with `allowfrom` in the body if given (201 or the test fails). */
export async function register(base: string, allowfrom?: string[]): Promise<Registration> {
  const res = await send(base, {
    path: '/register',
    headers: { 'Content-Type': 'application/json' },
    ...(allowfrom ? { body: JSON.stringify({ allowfrom }) } : {}),
  });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${res.body}`);
  return JSON.parse(res.body) as Registration;
}

/** Headers for /update. */
export function authHeaders(r: Pick<Registration, 'username' | 'password'>, extra: Record<string, string> = {}): Record<string, string> {
  return { 'X-Api-User': r.username, 'X-Api-Key': r.password, 'Content-Type': 'application/json', ...extra };
}

/** POST /update as the clients do (`password` absent: an empty key); returns status and body text. */
export async function update(
  base: string,
  account: Pick<Registration, 'username' | 'subdomain'> & { readonly password?: string },
  txt: string,
): Promise<{ status: number; body: string }> {
  const res = await send(base, {
    path: '/update',
    headers: authHeaders({ ...account, password: account.password ?? '' }),
    body: JSON.stringify({ subdomain: account.subdomain, txt }),
  });
  return { status: res.status, body: res.body };
}

/** A valid 43-character TXT value (base64url of 32 bytes, as ACME makes them), distinct per seed of up to 32 characters. */
export function txtValue(seed: number | string): string {
  return Buffer.from(String(seed).padEnd(32, '.')).subarray(0, 32).toString('base64url');
}
