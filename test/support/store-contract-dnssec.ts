import type { Store } from '../../src/store/types';
import { TEST_ZONE, type StoreUnderTest } from './store-contract';

/** A stand-in document: the store keeps the text as given (PEM line breaks, any characters), it never parses it. */
function doc(tag: string): string {
  return JSON.stringify({ keys: [{ privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${tag}\n-----END PRIVATE KEY-----\n`, note: 'é ✓' }] });
}

/** The DNSSEC key set (issue 11): part of the contract every Store meets. */
export function describeDnssecContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`Store contract, DNSSEC key set: ${name}`, () => {
    let t: StoreUnderTest;
    const extra: Store[] = [];
    beforeEach(async () => {
      t = await open();
    });
    afterEach(async () => {
      await Promise.all(extra.splice(0).map((s) => s.close()));
      await t.cleanup();
    });
    /** Another store on the same database: another instance (or the CLI) beside the server. */
    const another = async (zone?: string): Promise<Store> => {
      const s = zone === undefined ? await t.reopen() : await t.openZone(zone);
      extra.push(s);
      return s;
    };

    it('claims a key set once: the first document is kept as version 1, byte for byte, across a reopen', async () => {
      await expect(t.store.getDnssecKeyset()).resolves.toBeUndefined();
      await expect(t.store.claimDnssecKeyset(doc('first'))).resolves.toEqual({ version: 1, document: doc('first') });
      await expect(t.store.claimDnssecKeyset(doc('second'))).resolves.toEqual({ version: 1, document: doc('first') });
      await t.store.close();
      t.store = await t.reopen();
      await expect(t.store.getDnssecKeyset()).resolves.toEqual({ version: 1, document: doc('first') });
    });

    it('gives every instance claiming at once the same document', async () => {
      const stores = [t.store, await another(), await another()];
      const claims = await Promise.all(stores.flatMap((s, i) => [0, 1, 2].map((j) => s.claimDnssecKeyset(doc(`racer-${i}-${j}`)))));
      const won = claims[0];
      expect(won?.version).toBe(1);
      expect(claims.every((c) => c.version === won?.version && c.document === won.document)).toBe(true);
      for (const s of stores) await expect(s.getDnssecKeyset()).resolves.toEqual(won);
    });

    it('replaces a key set only from the version stored (compare-and-set), one version up each time', async () => {
      await expect(t.store.replaceDnssecKeyset(0, doc('nothing-there'))).resolves.toBe(false);
      await expect(t.store.replaceDnssecKeyset(1, doc('nothing-there'))).resolves.toBe(false);
      await expect(t.store.getDnssecKeyset()).resolves.toBeUndefined();
      await t.store.claimDnssecKeyset(doc('v1'));
      await expect(t.store.replaceDnssecKeyset(1, doc('v2'))).resolves.toBe(true);
      await expect(t.store.getDnssecKeyset()).resolves.toEqual({ version: 2, document: doc('v2') });
      // A step taken from a stale read changes nothing.
      await expect(t.store.replaceDnssecKeyset(1, doc('stale'))).resolves.toBe(false);
      await expect(t.store.replaceDnssecKeyset(3, doc('ahead'))).resolves.toBe(false);
      await expect(t.store.getDnssecKeyset()).resolves.toEqual({ version: 2, document: doc('v2') });
      // A claim after a replacement returns what is stored, it does not go back to version 1.
      await expect(t.store.claimDnssecKeyset(doc('late'))).resolves.toEqual({ version: 2, document: doc('v2') });
      await expect(t.store.replaceDnssecKeyset(2, doc('v3'))).resolves.toBe(true);
      await expect(t.store.getDnssecKeyset()).resolves.toEqual({ version: 3, document: doc('v3') });
    });

    it('applies exactly one of several replacements from the same version taken at once', async () => {
      await t.store.claimDnssecKeyset(doc('base'));
      const stores = [t.store, await another(), await another()];
      const results = await Promise.all(stores.flatMap((s, i) => [0, 1].map((j) => s.replaceDnssecKeyset(1, doc(`step-${i}-${j}`)))));
      expect(results.filter(Boolean)).toHaveLength(1);
      const stored = await t.store.getDnssecKeyset();
      expect(stored?.version).toBe(2);
      const winner = results.indexOf(true);
      expect(stored?.document).toBe(doc(`step-${Math.floor(winner / 2)}-${winner % 2}`));
    });

    it("keeps each zone's key set apart; the apex is matched in any case, with or without the final dot", async () => {
      const other = await another('other.example.net');
      await t.store.claimDnssecKeyset(doc('ours'));
      await expect(other.getDnssecKeyset()).resolves.toBeUndefined();
      await expect(other.replaceDnssecKeyset(1, doc('theirs-replaced'))).resolves.toBe(false);
      await expect(other.claimDnssecKeyset(doc('theirs'))).resolves.toEqual({ version: 1, document: doc('theirs') });
      await expect(other.replaceDnssecKeyset(1, doc('theirs-2'))).resolves.toBe(true);
      await expect(t.store.getDnssecKeyset()).resolves.toEqual({ version: 1, document: doc('ours') });
      const spelled = await another(`${TEST_ZONE.toUpperCase()}.`);
      await expect(spelled.getDnssecKeyset()).resolves.toEqual({ version: 1, document: doc('ours') });
    });
  });
}
