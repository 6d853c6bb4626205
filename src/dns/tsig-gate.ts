/**
 * The TSIG step of the DNS pipeline (RFC 8945 §5.2), written once for every path that answers a
 * request: QUERY (certbot's signed SOA search), UPDATE (RFC 2136) and zone transfers. It looks the
 * key up and checks the request; the caller answers, then signs what it sends with the signer.
 */
import type { Query } from './packet';
import type { TsigKey, TsigSigner } from './tsig';
import { TsigFormatError, verifyRequest } from './tsig';

/** Finds a TSIG key by name (lower-case, no final dot); undefined when there is none. May reject. */
export type TsigKeyLookup = (name: string) => Promise<TsigKey | undefined>;

/** What the TSIG step decided about a request. */
export type TsigGate =
  /** No TSIG RR: the path decides whether that is acceptable (QUERY: yes; UPDATE: no). */
  | { readonly kind: 'unsigned' }
  /** Signed with a known key: answer as usual, within the size limit less `signer.overhead`, then sign. */
  | { readonly kind: 'verified'; readonly key: TsigKey; readonly signer: TsigSigner }
  /** BADKEY, BADSIG, BADTIME or BADTRUNC: answer NOTAUTH with the question echoed and nothing else, signed by `signer` (§5.3.2). */
  | { readonly kind: 'refused'; readonly error: number; readonly signer: TsigSigner }
  /** The TSIG RR asks for what RFC 8945 §5.2.2.1 forbids (its MAC size): answer FORMERR, unsigned. */
  | { readonly kind: 'formerr'; readonly reason: string };

/**
 * Checks the request's TSIG, if any. Without a key lookup every key is unknown (BADKEY). The
 * lookup's rejection (the store down) passes through: the handler's guard answers SERVFAIL.
 */
export async function checkTsig(query: Query, msg: Buffer, lookup: TsigKeyLookup | undefined, nowSeconds: number): Promise<TsigGate> {
  const record = query.tsig;
  if (!record) return { kind: 'unsigned' };
  const key = lookup ? await lookup(record.keyName) : undefined;
  try {
    const verdict = verifyRequest(msg, record, key, nowSeconds);
    return verdict.ok
      ? { kind: 'verified', key: verdict.key, signer: verdict.signer }
      : { kind: 'refused', error: verdict.error, signer: verdict.signer };
  } catch (err) {
    if (err instanceof TsigFormatError) return { kind: 'formerr', reason: err.message };
    throw err;
  }
}
