/**
 * Account actions shared by every transport (register, authenticate, allowfrom, TXT values,
 * rotate, delete) with the limits that apply whoever asks; refusals are core/errors.ts's domain errors.
 */
export { createAccounts, type Accounts, type AccountsDeps, type TxtChange } from './service';
export type { Credentials } from './authenticate';
export { clientKey, type Client } from './limits';
export { checkAllowFrom, registrationJson, type NewAccount } from './register';
export type { KeyHolder, TxtChangeSet, UpdateActions, VerifyWithKey } from './rfc2136';
// Transports pass the audit context through; re-exported so they need nothing of the store.
export type { AuditContext } from '../store/types';
