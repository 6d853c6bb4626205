/** The API's own certificate through ACME DNS-01, answered by our own DNS via the store. */
export { createAcmeManager } from './manager';
export type { AcmeManager, AcmeManagerOptions, CurrentCertificate, SharingPolicy } from './manager-types';
export { OrderLeaseHeldError } from './storage/shared-certificate';
export { certificateNames, directoryUrlFor, LETSENCRYPT_PRODUCTION, LETSENCRYPT_STAGING } from './order/directory';
export { challengeRecordName, type CheckOwnAnswer, type VisibilityPolicy } from './order/challenge';
export type { CertificatePair } from './certificate';
export type { BackoffPolicy } from './renewal/schedule';
