/**
 * The zone's key set read from the store, or (none stored yet) a new one claimed: one CSK of the
 * configured algorithm. Of several claimants at once (instances starting together, the CLI beside
 * them) the first document stored wins and every one goes on with it. The server's first start and
 * `acmedns dnssec` both start here, so the DS can go to the parent before the first signed answer.
 */
import type { DnssecKeyPort } from '../../store/types';
import type { DnssecAlgorithm } from './keys';
import { newKeysetDocument, parseKeysetDocument, serializeKeysetDocument } from './keyset';
import type { KeysetDocument } from './types';

/** The key set in use and the version a replacement must name. */
export interface CurrentKeyset {
  readonly version: number;
  readonly document: KeysetDocument;
  /** True when this call stored it (no key set was there, and no other claimant came first). */
  readonly claimed: boolean;
}

/** Reads the stored key set, or claims a new one; KeysetError when the stored document is not usable. */
export async function readOrClaimKeyset(store: DnssecKeyPort, algorithm: DnssecAlgorithm, nowSeconds: number): Promise<CurrentKeyset> {
  const stored = await store.getDnssecKeyset();
  if (stored !== undefined) return { version: stored.version, document: parseKeysetDocument(stored.document), claimed: false };
  const mine = serializeKeysetDocument(newKeysetDocument(algorithm, nowSeconds));
  const kept = await store.claimDnssecKeyset(mine);
  return { version: kept.version, document: parseKeysetDocument(kept.document), claimed: kept.document === mine };
}
