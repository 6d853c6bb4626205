/**
 * DNSSEC (issue 11): the public surface of the folder, for the daemon, the CLI and the other dns
 * parts. Keys and their key set live here; signing (rrset-signer.ts) and securing answers
 * (secure.ts) add their lines below.
 */
export {
  DNSSEC_ALGORITHMS,
  CSK_FLAGS,
  isDnssecAlgorithm,
  generatePrivateKeyPem,
  signingKeyFromPem,
  keyTag,
  dsDigest,
  dsLine,
  dnskeyLine,
  type DnssecAlgorithm,
  type DnssecAlgorithmName,
  type SigningKey,
} from './keys';
export type {
  KeyRing,
  SignatureTiming,
  RRsetSigner,
  AnswerSecurity,
  SigningMetrics,
  RrsigData,
  KeyRole,
  StoredZoneKey,
  RolloverState,
  KeysetDocument,
} from './types';
export { KeysetError, parseKeysetDocument, serializeKeysetDocument, newKeysetDocument, ringFromKeyset } from './keyset';
export { readOrClaimKeyset, type CurrentKeyset } from './keyset-claim';
export { createKeySource, type KeySource, type KeySourceOptions } from './key-source';
export { createRRsetSigner, type RRsetSignerDeps } from './rrset-signer';
export { createAnswerSecurity, type AnswerSecurityDeps } from './secure';
export { rolloverStep, type RolloverInput, type RolloverResult, type RolloverStep, type RolloverTiming } from './rollover';
export { keysByRole, nextStep, parentKeys, timeText, type KeysByRole, type NextStep, type RolloverKey } from './rollover-guide';
export { dsMatchesKey, parentHolds, parentMatch, type DsRecord, type ParentDs, type ParentMatch } from './parent-ds';
