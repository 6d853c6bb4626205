import { generateKeyPairSync } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StoredCertificate } from '../../src/store/types';
import type { StoreUnderTest } from './store-contract';
import { until } from './poll';

/** A stand-in certificate: the store keeps PEM text as given, it never parses it. */
function certificate(tag: string, notAfter: number): StoredCertificate {
  return {
    certPem: `-----BEGIN CERTIFICATE-----\n${tag}\n-----END CERTIFICATE-----\n`,
    keyPem: `-----BEGIN PRIVATE KEY-----\n${tag}-key\n-----END PRIVATE KEY-----\n`,
    notAfter,
  };
}

/** A real PEM key, so the column holds what the ACME manager puts there. */
function accountKey(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

const LEASE = 'acme-order:pebble/auth.example.org';

/** The lease, the shared certificate and the ACME account key: part of the contract every Store meets. */
export function describeClusterContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`Store contract, lease and shared certificate: ${name}`, () => {
    let t: StoreUnderTest;
    beforeEach(async () => {
      t = await open();
    });
    afterEach(async () => {
      await t.cleanup();
    });

    it('grants a lease to one holder, refuses others while it runs, extends it for its holder', async () => {
      const s = t.store;
      // [holder, ttl, granted]: a takes it; b is refused however often it asks; a extends it.
      const steps: [string, number, boolean][] = [
        ['a', 600, true],
        ['b', 600, false],
        ['a', 600, true],
        ['b', 1, false],
        ['b', 600, false],
      ];
      for (const [i, [holder, ttl, granted]] of steps.entries()) {
        await expect([i, holder, await s.acquireLease(LEASE, holder, ttl)]).toEqual([i, holder, granted]);
      }
      // Leases of other names are independent.
      await expect(s.acquireLease('other', 'b', 600)).resolves.toBe(true);
    });

    it('hands a lease whose time ran out (by the database clock) to the next holder, and only then', async () => {
      const s = t.store;
      // a keeps it for one second only (as holdFor shortens it); b waits for the database's clock.
      await expect(s.acquireLease(LEASE, 'a', 600)).resolves.toBe(true);
      await expect(s.acquireLease(LEASE, 'a', 1)).resolves.toBe(true);
      // A one-second lease expires within two; ten is the bound of a slow machine.
      await until('the one-second lease to expire', () => s.acquireLease(LEASE, 'b', 600), { timeoutMs: 10_000 });
      await expect(s.acquireLease(LEASE, 'a', 600)).resolves.toBe(false);
      await expect(s.acquireLease(LEASE, 'b', 600)).resolves.toBe(true);
    });

    it('releases a lease only for its holder, after which anyone may take it at once', async () => {
      const s = t.store;
      await expect(s.acquireLease(LEASE, 'a', 600)).resolves.toBe(true);
      await expect(s.releaseLease(LEASE, 'b')).resolves.toBe(false);
      await expect(s.acquireLease(LEASE, 'b', 600)).resolves.toBe(false);
      await expect(s.releaseLease(LEASE, 'a')).resolves.toBe(true);
      await expect(s.releaseLease(LEASE, 'a')).resolves.toBe(false);
      await expect(s.acquireLease(LEASE, 'b', 600)).resolves.toBe(true);
      await expect(s.releaseLease(LEASE, 'b')).resolves.toBe(true);
      // The same holder takes it again after its own release.
      await expect(s.acquireLease(LEASE, 'b', 600)).resolves.toBe(true);
      await expect(s.acquireLease(LEASE, 'a', 600)).resolves.toBe(false);
    });

    it('grants a free lease, and an expired one, to exactly one of many holders asking at once', async () => {
      const holders = Array.from({ length: 12 }, (_, i) => `h${i}`);
      const granted = await Promise.all(holders.map((h) => t.store.acquireLease(LEASE, h, 600)));
      expect(granted.filter(Boolean)).toHaveLength(1);
      // The winner shortens it to a second; once the database's clock has passed that: again
      // exactly one. (A one-second ttl in the race itself could expire between two racers.)
      await expect(t.store.acquireLease(LEASE, holders[granted.indexOf(true)] ?? '', 1)).resolves.toBe(true);
      await sleep(2100);
      const again = await Promise.all(holders.map((h) => t.store.acquireLease(LEASE, h, 600)));
      expect(again.filter(Boolean)).toHaveLength(1);
    });

    it('stores, replaces and returns a certificate by name; other names stay apart', async () => {
      const s = t.store;
      await expect(s.getCertificate('pebble/auth.example.org')).resolves.toBeUndefined();
      const first = certificate('first', 1_900_000_000_000);
      await s.putCertificate('pebble/auth.example.org', first);
      await expect(s.getCertificate('pebble/auth.example.org')).resolves.toEqual(first);
      const second = certificate('second', 1_910_000_000_123);
      await s.putCertificate('pebble/auth.example.org', second);
      await s.putCertificate('staging/auth.example.org', first);
      await expect(s.getCertificate('pebble/auth.example.org')).resolves.toEqual(second);
      await expect(s.getCertificate('staging/auth.example.org')).resolves.toEqual(first);
      await s.close();
      t.store = await t.reopen();
      await expect(t.store.getCertificate('pebble/auth.example.org')).resolves.toEqual(second);
    });

    it('keeps one ACME account key per CA directory: the first one claimed wins', async () => {
      const s = t.store;
      const directory = 'https://ca.example/dir';
      await expect(s.getAcmeAccountKey(directory)).resolves.toBeUndefined();
      const [k1, k2, k3] = [accountKey(), accountKey(), accountKey()];
      await expect(s.claimAcmeAccountKey(directory, k1)).resolves.toBe(k1);
      await expect(s.claimAcmeAccountKey(directory, k2)).resolves.toBe(k1);
      await expect(s.getAcmeAccountKey(directory)).resolves.toBe(k1);
      await expect(s.claimAcmeAccountKey('https://other.example/dir', k3)).resolves.toBe(k3);
      // Claimed at once by several: all get the same key.
      const racing = await Promise.all([accountKey(), accountKey(), accountKey()].map((k) => s.claimAcmeAccountKey('https://race/dir', k)));
      expect(new Set(racing).size).toBe(1);
    });
  });
}
