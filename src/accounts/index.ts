/**
 * Account actions shared by every transport (register, authenticate, allowfrom, TXT values,
 * rotate, delete, TSIG keys and their client settings) with the limits that apply whoever asks;
 * refusals are core/errors.ts's domain errors.
 */
export { createAccounts, type Accounts, type AccountsDeps, type TxtChange } from './service';
export type { Credentials } from './authenticate';
export { clientKey, type Client } from './limits';
export { checkAllowFrom, registrationJson, type NewAccount } from './register';
export { DEFAULT_TSIG_ALGORITHM, parseTsigAlgorithm, TSIG_ALGORITHM_NAMES, TSIG_ALGORITHMS } from './tsig-algorithms';
export { MAX_TSIG_KEYS_PER_ACCOUNT, type NewTsigKey, type TsigKeyInfo, type TsigKeyOwner } from './tsig-keys';
export {
  defaultServer,
  parseServerAddress,
  tsigKeyDocument,
  tsigKeyListing,
  type ServerAddress,
  type TsigKeyDocument,
  type TsigKeyListing,
  type TsigSettings,
} from './tsig-settings';
export type { KeyHolder, TxtChangeSet, UpdateActions, VerifyWithKey } from './rfc2136';
// Transports pass the audit context through; re-exported so they need nothing of the store.
export type { AuditContext } from '../store/types';
export type { SelfServiceActions } from './self-service';
