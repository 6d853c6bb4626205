/**
 * The ACME account: its key is made once and kept in acme_cache_dir; the acme-client instance is
 * rebuilt after a failure so the next attempt starts from newAccount (RFC 8555 §7.3), which finds
 * the account again, or makes a new one when the CA lost it.
 */
import * as acme from 'acme-client';
import type { ApiConfig } from '../config/types';
import type { Logger } from '../log';
import type { CertStore } from './cert-store';

/** Hands out the client for the next attempt. */
export interface AccountClient {
  get(): Promise<acme.Client>;
  /** Forgets the client (and the account URL it cached). */
  reset(): void;
}

/** Builds the account client for one CA directory; EAB (RFC 8555 §7.3.4) when both values are set. */
export function createAccountClient(options: {
  directoryUrl: string;
  config: Pick<ApiConfig, 'acmeEabKid' | 'acmeEabHmacKey'>;
  certStore: CertStore;
  logger: Logger;
}): AccountClient {
  let client: acme.Client | undefined;
  return {
    async get() {
      if (client) return client;
      let accountKey = await options.certStore.loadAccountKey();
      if (!accountKey) {
        accountKey = (await acme.crypto.createPrivateEcdsaKey('P-256')).toString();
        await options.certStore.saveAccountKey(accountKey);
        options.logger.info({ dir: options.certStore.root }, 'created a new ACME account key');
      }
      const { acmeEabKid: kid, acmeEabHmacKey: hmacKey } = options.config;
      client = new acme.Client({
        directoryUrl: options.directoryUrl,
        accountKey,
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
