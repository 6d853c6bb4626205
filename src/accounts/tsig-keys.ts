/**
 * An account's TSIG keys (RFC 8945), for RFC 2136 updates of its own name: created with a random
 * name and secret, listed without secrets, removed. The same actions for the CLI (any account's
 * keys, no limits) and the API (the account's own keys, under its write budget), audited by the
 * store (`tsig.added`, `tsig.removed`) in the same transaction as the change.
 */
import { randomBytes } from 'node:crypto';
import { displayText } from '../core/display';
import { AccountGoneError, BadSubdomainError, RateLimitedError, StoreConflictError, TsigKeyLimitError, TsigKeyNotFoundError } from '../core/errors';
import type { Account } from '../core/types';
import { isValidSubdomain } from '../core/validation';
import type { AuditContext, TsigAlgorithm, TsigKeyPort } from '../store/types';
import { createInFlightSlots } from './in-flight';
import { DEFAULT_TSIG_ALGORITHM, parseTsigAlgorithm, TSIG_ALGORITHMS } from './tsig-algorithms';

/** The account a key is made for: its name is the one name the key may change. */
export type TsigKeyOwner = Pick<Account, 'username' | 'subdomain'>;

/** A key just created: the only time its secret is shown. */
export interface NewTsigKey {
  /** Lower-case, without the final dot. */
  readonly name: string;
  readonly algorithm: TsigAlgorithm;
  /** The secret, base64 (RFC 4648 §4), as nsupdate, lego and cert-manager take it. */
  readonly secret: string;
  /** The account's name (`<subdomain>.<zone>`): the only name the key may change. */
  readonly fqdn: string;
  readonly username: string;
}

/** A key as listed: never its secret. */
export interface TsigKeyInfo {
  readonly name: string;
  readonly algorithm: TsigAlgorithm;
  /** Unix seconds. */
  readonly createdAt: number;
}

/**
 * Keys one account may hold. A few cover every real use: one per machine or cluster that renews
 * (each revocable alone) plus an overlap while one is rotated. Each key is a credential that can
 * change the account's name, so a cap bounds what one leaked API key can mint, and keeps the keys
 * an operator must review per account, and the rows a flood of POST /account/tsig can add, small.
 */
export const MAX_TSIG_KEYS_PER_ACCOUNT = 10;

/** Longest DNS name in text form without the final dot (RFC 1035 §2.3.4: 255 octets on the wire). */
const MAX_NAME = 253;

/** Tries at a fresh random name when one is taken (32 random bits: a clash is already rare). */
const NAME_TRIES = 3;

/**
 * `<8 hex>.<subdomain>.<zone>`, lower-case: unique by its random label, and naming whose key it is
 * at a glance (the account's name follows the label). BadSubdomainError when the stored subdomain
 * is no DNS label (an odd import) or the name would be longer than a DNS name may be.
 */
export function newTsigKeyName(subdomain: string, zone: string, random: Buffer): string {
  if (!isValidSubdomain(subdomain)) throw new BadSubdomainError(`stored subdomain ${JSON.stringify(displayText(subdomain))} is no DNS label`);
  const name = `${random.subarray(0, 4).toString('hex')}.${subdomain}.${zone}`.toLowerCase();
  if (name.length > MAX_NAME) throw new BadSubdomainError(`TSIG key name of ${name.length} characters, more than ${MAX_NAME}`);
  return name;
}

/** A random secret as long as the algorithm's hash output (RFC 8945 §6). */
export function newTsigSecret(algorithm: TsigAlgorithm, random: (bytes: number) => Buffer = randomBytes): Buffer {
  return random(TSIG_ALGORITHMS[algorithm].hashBytes);
}

/** A key name as typed (any case, final dot or not), lower-case without the dot; undefined when it cannot be a name. */
export function normaliseTsigKeyName(text: string): string | undefined {
  const name = text.trim().toLowerCase().replace(/\.$/, '');
  return name.length > 0 && name.length <= MAX_NAME && /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(name) ? name : undefined;
}

/** What the key actions are built from. */
export interface TsigKeyDeps {
  readonly store: TsigKeyPort;
  /** The zone, for key names and `fqdn`. */
  readonly domain: string;
  /** Current time in Unix seconds. */
  readonly now: () => number;
  /** The account's write budget (auth-limits.ts); a no-op where nothing is limited. */
  readonly beforeWrite: (owner: TsigKeyOwner) => void;
  /** Random bytes (tests pin them); default node:crypto. */
  readonly random?: (bytes: number) => Buffer;
}

/** The TSIG key actions of the accounts service. */
export interface TsigKeyActions {
  /**
   * A new key for `owner` (algorithm by name, default hmac-sha256), counted against its write
   * budget: BadTsigAlgorithmError, TsigKeyLimitError, RateLimitedError, AccountGoneError.
   */
  addTsigKey(owner: TsigKeyOwner, algorithm: string | undefined, audit: AuditContext): Promise<NewTsigKey>;
  /** The account's keys, oldest first, without secrets. */
  listTsigKeys(username: string): Promise<readonly TsigKeyInfo[]>;
  /**
   * Removes the key named `name` (any case, final dot or not); with `owner`, only when it is that
   * account's, counted against its write budget. TsigKeyNotFoundError when nothing went.
   */
  removeTsigKey(name: string, owner: TsigKeyOwner | undefined, audit: AuditContext): Promise<void>;
}

/** The actions over `deps.store`. */
export function createTsigKeyActions(deps: TsigKeyDeps): TsigKeyActions {
  const { store, domain, now, beforeWrite } = deps;
  const random = deps.random ?? randomBytes;
  const limitError = (): TsigKeyLimitError => new TsigKeyLimitError(`an account holds at most ${MAX_TSIG_KEYS_PER_ACCOUNT} TSIG keys; remove one first`);
  // One creation at a time per account in this process, so requests at once get exactly the keys left.
  const creating = createInFlightSlots(1);

  /** Stores a key under a fresh name, trying another name when one is taken. */
  const store1 = async (owner: TsigKeyOwner, algorithm: TsigAlgorithm, secret: Buffer, audit: AuditContext): Promise<string> => {
    for (let attempt = 1; ; attempt++) {
      const name = newTsigKeyName(owner.subdomain, domain, random(4));
      try {
        if (!(await store.addTsigKey(owner.username, { name, algorithm, secret }, now(), audit))) throw new AccountGoneError();
        return name;
      } catch (err) {
        if (!(err instanceof StoreConflictError) || attempt >= NAME_TRIES) throw err;
      }
    }
  };

  return {
    async addTsigKey(owner, algorithmText, audit) {
      const algorithm = algorithmText === undefined ? DEFAULT_TSIG_ALGORITHM : parseTsigAlgorithm(algorithmText);
      const slot = creating.acquire(owner.username);
      if (slot === undefined) throw new RateLimitedError(1, 'too many TSIG keys being created for this account at once');
      const release = await slot;
      try {
        if ((await store.listTsigKeys(owner.username)).length >= MAX_TSIG_KEYS_PER_ACCOUNT) throw limitError();
        beforeWrite(owner);
        const secret = newTsigSecret(algorithm, random);
        const name = await store1(owner, algorithm, secret, audit);
        // Another instance on the same store may have added one meanwhile: counted after our own
        // add, the cap holds (a key is kept only when its own count was within it), at worst
        // refusing both of two racing requests.
        if ((await store.listTsigKeys(owner.username)).length > MAX_TSIG_KEYS_PER_ACCOUNT) {
          await store.removeTsigKey(name, owner.username, audit);
          throw limitError();
        }
        return { name, algorithm, secret: secret.toString('base64'), fqdn: `${owner.subdomain}.${domain}`, username: owner.username };
      } finally {
        release();
      }
    },
    async listTsigKeys(username) {
      const keys = await store.listTsigKeys(username);
      return keys.map((k) => ({ name: k.name, algorithm: k.algorithm, createdAt: k.createdAt }));
    },
    async removeTsigKey(nameText, owner, audit) {
      const name = normaliseTsigKeyName(nameText);
      const notFound = new TsigKeyNotFoundError(`no TSIG key ${displayText(nameText, 253)}${owner === undefined ? '' : ' of this account'}`);
      if (name === undefined) throw notFound;
      if (owner !== undefined) beforeWrite(owner);
      if (!(await store.removeTsigKey(name, owner?.username, audit))) throw notFound;
    },
  };
}
