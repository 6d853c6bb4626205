/**
 * The page's one way to the API: same origin (the CSP allows nothing else), JSON in and out, the
 * credentials as the X-Api-User / X-Api-Key headers /update uses (never in the URL). A reply that
 * is not what was asked for becomes a `Failure` whose text says what happened in words.
 */
import type * as z from 'zod/mini';
import { ErrorBody } from './wire';
import { waitInWords } from './time';

/** The credentials an authenticated route takes. */
export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** A request that did not get the answer it wanted; `message` is for the person. */
export class Failure extends Error {
  constructor(
    message: string,
    /** The HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
  ) {
    super(message);
    this.name = 'Failure';
  }
}

/** Why a request failed, in one sentence, from its status, acme-dns's error code and Retry-After. */
export function explain(status: number, code: string | undefined, retryAfter: string | null): string {
  if (status === 429) {
    const seconds = Number(retryAfter);
    const wait = Number.isFinite(seconds) && seconds > 0 ? waitInWords(seconds) : 'a while';
    return `Too many requests from you or for this account: try again in ${wait}.`;
  }
  if (status === 401) return 'The username or key is wrong, or this address is not in the account\'s allow-list.';
  if (code === 'invalid_allowfrom_cidr') return 'The server refused the allow-list: each entry must be an address range such as 192.0.2.0/24.';
  if (code === 'bad_domain') return 'The server refused the domain: type a name such as example.com or *.example.com.';
  if (status === 404) return 'The server does not offer this (it may have been turned off by its operator).';
  if (status === 413) return 'The request was too large.';
  if (status === 503) return 'The server cannot reach its database right now: try again in a minute.';
  if (status >= 500) return 'The server had an internal error: try again later or tell its operator.';
  return `The server refused the request (${code ?? `HTTP ${status}`}).`;
}

/** Options of one API call. */
export interface CallOptions {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly body?: unknown;
  readonly auth?: Credentials;
}

async function exchange(path: string, options: CallOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.auth) {
    headers['X-Api-User'] = options.auth.username;
    headers['X-Api-Key'] = options.auth.password;
  }
  try {
    return await fetch(path, {
      method: options.method,
      headers,
      cache: 'no-store',
      credentials: 'omit',
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch {
    throw new Failure('The server cannot be reached: check your connection and reload the page.', 0);
  }
}

async function failure(res: Response): Promise<Failure> {
  let code: string | undefined;
  try {
    const parsed = ErrorBody.safeParse(await res.json());
    if (parsed.success) code = parsed.data.error;
  } catch {
    // Not JSON (a proxy's page): the status alone explains it.
  }
  return new Failure(explain(res.status, code, res.headers.get('Retry-After')), res.status);
}

/** Calls `path` and returns its JSON body validated by `schema`; any other answer throws a Failure. */
export async function call<T>(path: string, schema: z.ZodMiniType<T>, options: CallOptions): Promise<T> {
  const res = await exchange(path, options);
  if (!res.ok) throw await failure(res);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new Failure('The server answered something that is not JSON.', res.status);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new Failure('The server answered in a form this page does not know (is it a different version?).', res.status);
  return parsed.data;
}

/** Calls `path` for its status only (204 routes); anything but 2xx throws a Failure. */
export async function callNoContent(path: string, options: CallOptions): Promise<void> {
  const res = await exchange(path, options);
  if (!res.ok) throw await failure(res);
}
