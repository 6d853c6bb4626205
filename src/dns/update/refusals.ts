/**
 * THE table from the account actions' failures to UPDATE response codes (as api/errors.ts is for
 * HTTP): every refusal the accounts layer makes is REFUSED (RFC 2136 §3.3: "not permitted"), so a
 * client learns no more than the HTTP API's 401/429 tell; a store that cannot be reached is
 * SERVFAIL (retrying later may work). Bad signatures never get here: they are NOTAUTH with the
 * TSIG error (RFC 8945 §5.2), answered from the verdict itself.
 */
import { AccountRefusal, StoreUnavailableError } from '../../core/errors';
import { Rcode } from '../packet';

/** What a failure of authenticateKey or applyUpdate becomes. */
export interface MappedRefusal {
  readonly rcode: number;
  /** For the log only. */
  readonly reason: string;
  /** An unexpected error: logged at error level. */
  readonly internal: boolean;
}

/** Maps anything an account action threw. */
export function mapRefusal(err: unknown): MappedRefusal {
  if (err instanceof AccountRefusal) return { rcode: Rcode.REFUSED, reason: `${err.name}: ${err.reason}`, internal: false };
  if (err instanceof StoreUnavailableError) return { rcode: Rcode.SERVFAIL, reason: 'store unavailable', internal: false };
  return { rcode: Rcode.SERVFAIL, reason: 'internal error', internal: true };
}
