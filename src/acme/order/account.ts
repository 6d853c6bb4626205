/**
 * The ACME account: its key is made once and kept in the store (so every instance sharing the
 * database uses one account: fewer accounts at the CA, whose rate limits count per account) and
 * in acme_cache_dir. The acme-client instance is rebuilt after a failure so the next attempt
 * starts from newAccount (RFC 8555 §7.3), which finds the account again, or makes a new one when
 * the CA lost it.
 */
import * as acme from 'acme-client';
import type { ApiConfig } from '../../config/types';
import type { Logger } from '../../log';
import type { AcmePort } from '../../store/types';
import type { CertStore } from '../storage/cert-store';

/** Hands out the client for the next attempt. */
export interface AccountClient {
  get(): Promise<acme.Client>;
  /** Forgets the client (and the account URL it cached). */
  reset(): void;
}

/**
 * The account key for the directory: the store's; else the file's (an instance that ran alone
 * before, or acme-dns's successor on its cache), else a new one; whichever an instance claimed
 * first in the store wins, and the file follows it.
 */
async function accountKey(options: { directoryUrl: string; store: AcmePort; certStore: CertStore; logger: Logger }): Promise<string> {
  const { directoryUrl, store, certStore, logger } = options;
  const fromFile = await certStore.loadAccountKey();
  let key = await store.getAcmeAccountKey(directoryUrl);
  if (key === undefined) {
    const candidate = fromFile ?? (await acme.crypto.createPrivateEcdsaKey('P-256')).toString();
    key = await store.claimAcmeAccountKey(directoryUrl, candidate);
    if (key === candidate) {
      logger.info({ dir: certStore.root }, fromFile ? 'the ACME account key in acme_cache_dir is now shared through the store' : 'created a new ACME account key');
    }
  }
  if (key !== fromFile) await certStore.saveAccountKey(key);
  return key;
}

/** Builds the account client for one CA directory; EAB (RFC 8555 §7.3.4) when both values are set. */
export function createAccountClient(options: {
  directoryUrl: string;
  config: Pick<ApiConfig, 'acmeEabKid' | 'acmeEabHmacKey'>;
  store: AcmePort;
  certStore: CertStore;
  logger: Logger;
}): AccountClient {
  let client: acme.Client | undefined;
  return {
    async get() {
      if (client) return client;
      const key = await accountKey(options);
      const { acmeEabKid: kid, acmeEabHmacKey: hmacKey } = options.config;
      client = new acme.Client({
        directoryUrl: options.directoryUrl,
        accountKey: key,
        ...(kid && hmacKey ? { externalAccountBinding: { kid, hmacKey } } : {}),
        // Poll order and challenge status every 1-10 s (acme-client's default starts at 5 s).
        backoffAttempts: 12,
        backoffMin: 1000,
        backoffMax: 10_000,
      });
      return client;
    },
    reset() {
      client = undefined;
    },
  };
}
