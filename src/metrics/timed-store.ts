/**
 * The store with every call the daemon makes timed into `acmedns_store_operation_seconds{op}`,
 * in one place instead of in each implementation. The cost per call is two clock reads and an
 * allocation-free histogram update, small beside the call itself (DNS lookups go through here).
 */
import type { Store, SyncZoneReads } from '../store/types';
import type { StoreMetrics } from './types';

type AsyncFn<A extends unknown[], R> = (...args: A) => Promise<R>;

/**
 * Wraps `store`. Methods not listed here (operator-only ones used by the CLI, which builds no
 * metrics) pass through unchanged; the stores are plain objects of closures, so spreading keeps them.
 */
export function timedStore(store: Store, metrics: StoreMetrics): Store {
  const timed = <A extends unknown[], R>(op: string, fn: AsyncFn<A, R>): AsyncFn<A, R> => {
    const call = fn.bind(store);
    return async (...args) => {
      const started = performance.now();
      let failed = true;
      try {
        const result = await call(...args);
        failed = false;
        return result;
      } finally {
        metrics.storeOperation(op, (performance.now() - started) / 1000, failed);
      }
    };
  };
  const timedSync = <A extends unknown[], R>(op: string, fn: (...args: A) => R): ((...args: A) => R) => {
    return (...args) => {
      const started = performance.now();
      let failed = true;
      try {
        const result = fn(...args);
        failed = false;
        return result;
      } finally {
        metrics.storeOperation(op, (performance.now() - started) / 1000, failed);
      }
    };
  };
  // The same ops as the async reads, so the histograms count the full path's reads whichever transport asked
  // (a replayed reply reads only through the untimed peekAccount, or nothing).
  const sync = store.syncReads;
  const syncReads: SyncZoneReads | undefined = sync && {
    begin: () => sync.begin(),
    answerEpoch: (nowSeconds) => sync.answerEpoch(nowSeconds),
    lookup: timedSync('lookup', (subdomain: string, now: number) => sync.lookup(subdomain, now)),
    challengeValues: timedSync('challengeValues', (name: string, now: number) => sync.challengeValues(name, now)),
    // The replay's probe of the in-memory index, not timed (store/types.ts SyncZoneReads.peekAccount).
    peekAccount: (subdomain: string, now: number) => sync.peekAccount(subdomain, now),
    writeSoleValue: (query: Uint8Array, from: number, now: number, length: number, out: Buffer, at: number) => sync.writeSoleValue(query, from, now, length, out, at),
    accountAbsent: (query: Uint8Array, from: number, length: number) => sync.accountAbsent(query, from, length),
    touchAccounts: (queries: readonly Uint8Array[], from: number, length: number) => sync.touchAccounts(queries, from, length),
    zoneSerial: timedSync('zoneSerial', () => sync.zoneSerial()),
  };
  return {
    ...store,
    syncReads,
    createAccount: timed('createAccount', store.createAccount),
    findAccount: timed('findAccount', store.findAccount),
    putTxt: timed('putTxt', store.putTxt),
    removeTxt: timed('removeTxt', store.removeTxt),
    lookup: timed('lookup', store.lookup),
    putChallenge: timed('putChallenge', store.putChallenge),
    removeChallenge: timed('removeChallenge', store.removeChallenge),
    challengeValues: timed('challengeValues', store.challengeValues),
    deleteAccount: timed('deleteAccount', store.deleteAccount),
    pruneAudit: timed('pruneAudit', store.pruneAudit),
    // Issue 10: RFC 2136 updates, their key lookups, and what zone transfers, NOTIFY and SOA answers read.
    applyTxtUpdate: timed('applyTxtUpdate', store.applyTxtUpdate),
    findTsigKey: timed('findTsigKey', store.findTsigKey),
    zoneSerial: timed('zoneSerial', store.zoneSerial),
    zoneSnapshot: timed('zoneSnapshot', store.zoneSnapshot),
    zoneChangesSince: timed('zoneChangesSince', store.zoneChangesSince),
    expireZoneValues: timed('expireZoneValues', store.expireZoneValues),
    nextZoneExpiry: timed('nextZoneExpiry', store.nextZoneExpiry),
    pruneZoneJournal: timed('pruneZoneJournal', store.pruneZoneJournal),
    // Issue 11: the key set every instance polls for rollover steps.
    getDnssecKeyset: timed('getDnssecKeyset', store.getDnssecKeyset),
    ping: timed('ping', store.ping),
    close: store.close.bind(store),
  };
}
