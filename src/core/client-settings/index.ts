/**
 * Client settings for an acmedns account: the CNAME records to create, the account file of
 * acme-dns's certbot hook / lego's storage, and the filled-in settings of each ACME client. Pure
 * (no node: imports): the self-service page's bundle and the examples test both use it.
 */
export type { AccountForSettings, ClientSettings, CnameRecord, SettingsFile, SettingsInput } from './types';
export { accountJson, registrationJson } from './account';
export { cnameRecords, normaliseDomain, parseDomainList, type DomainList } from './domains';
export { clientSettings } from './settings';
