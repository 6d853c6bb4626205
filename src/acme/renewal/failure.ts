/**
 * Turning a failed certificate attempt into one clear log line: what kind of failure, at which
 * step, and what the operator can do. acme-client reduces CA problems (RFC 8555 §6.7) to their
 * `detail` text, so the kind is read from the step, the error code, and that text.
 */
import { StoreUnavailableError } from '../../core/errors';
import { ChallengeNotSeenError } from '../order/challenge';

/** The steps of one attempt, in order. */
export type AttemptStep =
  | 'lease'
  | 'directory'
  | 'account'
  | 'order'
  | 'publish'
  | 'self-check'
  | 'validation'
  | 'finalize'
  | 'download';

/** What went wrong, coarsely: each kind has its own advice. */
export type FailureKind =
  | 'ca-unreachable'
  | 'rate-limited'
  | 'caa'
  | 'challenge-not-seen'
  | 'challenge-rejected'
  | 'account-refused'
  | 'store'
  | 'other';

/** A classified failure. */
export interface Failure {
  readonly kind: FailureKind;
  readonly step: AttemptStep;
  /** The underlying error's message (CA detail text, errno code, ...). */
  readonly message: string;
  /** One sentence for the operator. */
  readonly hint: string;
}

/** An error that remembers the step it happened in. */
export class AttemptError extends Error {
  constructor(
    readonly step: AttemptStep,
    readonly original: unknown,
  ) {
    super(messageOf(original), { cause: original });
    this.name = 'AttemptError';
  }
}

/** Connection-level errno codes: the CA was not reached at all (or TLS to it failed). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const HINTS: Record<FailureKind, string> = {
  'ca-unreachable': 'the ACME CA could not be reached; check the directory URL, outgoing HTTPS and the CA status page',
  'rate-limited': 'the CA is rate-limiting this account or these names; the retry waits longer',
  caa: 'a CAA record forbids this CA for these names (RFC 8659); add the CA to the CAA record or remove it',
  'challenge-not-seen':
    'our own DNS server did not answer the challenge value; check general.listen and that the store is shared by every instance',
  'challenge-rejected':
    'the CA did not see the challenge; check that the parent zone delegates to this server (NS + glue) and, for a name outside the zone, the _acme-challenge CNAME',
  'account-refused':
    'the CA refused the ACME account; check notification_email, and acme_eab_kid / acme_eab_hmac_key when the CA requires external account binding',
  store: 'the store could not be reached: the challenge values, the order lease and the shared certificate and account key live there',
  other: 'the certificate request failed',
};

/** Classifies a failed attempt. `caReachable` is the result of a fresh directory probe after the failure. */
export function classifyFailure(err: unknown, caReachable: boolean): Failure {
  const step: AttemptStep = err instanceof AttemptError ? err.step : 'order';
  const original = err instanceof AttemptError ? err.original : err;
  const message = messageOf(original);
  const kind = kindOf(step, original, message, caReachable);
  return { kind, step, message, hint: HINTS[kind] };
}

function kindOf(step: AttemptStep, original: unknown, message: string, caReachable: boolean): FailureKind {
  if (original instanceof ChallengeNotSeenError) return 'challenge-not-seen';
  if (step === 'publish' || step === 'lease' || original instanceof StoreUnavailableError) return 'store';
  const code = (original as { code?: unknown } | null)?.code;
  if (step === 'directory' || !caReachable || (typeof code === 'string' && NETWORK_CODES.has(code))) {
    return 'ca-unreachable';
  }
  if (/rateLimited|rate.?limit|too many/i.test(message)) return 'rate-limited';
  if (/\bCAA\b|error:caa/.test(message)) return 'caa';
  if (step === 'validation') return 'challenge-rejected';
  if (step === 'account') return 'account-refused';
  return 'other';
}

/** A readable message from anything thrown, with the errno code when there is one. */
export function messageOf(err: unknown): string {
  // Duck-typed, not `instanceof Error`: errors from Node's core may come from another realm.
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') {
    const { message, name, code } = err as { message: string; name?: unknown; code?: unknown };
    const text = message || (typeof name === 'string' ? name : 'error');
    return typeof code === 'string' && !text.includes(code) ? `${text} (${code})` : text;
  }
  return String(err);
}
