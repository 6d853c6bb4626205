import crypto from 'node:crypto';
import type { RData } from '../packet';
import { RRType } from '../packet';
import { canonicalRRset, signedData } from './canonical';
import { generatePrivateKeyPem, signingKeyFromPem, type SigningKey } from './keys';
import { rrsigRdataHead } from './rdata';
import { createRRsetSigner } from './rrset-signer';
import type { KeyRing, RrsigData, SigningMetrics } from './types';

const APEX = 'auth.example.test';
const OWNER = ['abc', 'auth', 'example', 'test'];
const NOW = 1_750_000_000;
const TIMING = { validity: 14 * 86400, refresh: 7 * 86400, inceptionOffset: 3600 };
const txt = (...values: string[]): RData[] => values.map((v) => ({ type: 'TXT', strings: [Buffer.from(v)] }));
const keyA = signingKeyFromPem(generatePrivateKeyPem(13), 13);
const keyB = signingKeyFromPem(generatePrivateKeyPem(15), 15);

/** A signer over a ring the test can change, and what its metrics recorded. */
function setup(cacheSize = 100) {
  const seen = { signatures: [] as number[], hits: 0 };
  const metrics: SigningMetrics = { dnssecSignature: (s) => seen.signatures.push(s), dnssecCacheHit: () => void (seen.hits += 1) };
  let ring: KeyRing = { keys: [keyA], version: 1 };
  const signer = createRRsetSigner({ keys: () => ring, apex: APEX, timing: TIMING, cacheSize, metrics });
  return { signer, seen, setRing: (r: KeyRing) => void (ring = r) };
}

function verifies(labels: readonly string[], data: readonly RData[], rrsig: RrsigData, key: SigningKey): boolean {
  const bytes = signedData(rrsigRdataHead(rrsig), canonicalRRset(labels, rrsig.typeCovered, rrsig.originalTtl, data));
  const publicKey = crypto.createPublicKey(key.privateKey);
  return key.algorithm === 13
    ? crypto.verify('sha256', bytes, { key: publicKey, dsaEncoding: 'ieee-p1363' }, rrsig.signature)
    : crypto.verify(null, bytes, publicKey, rrsig.signature);
}

describe('createRRsetSigner', () => {
  it('signs with the window of the timing, signer the apex, and counts the signature', () => {
    const { signer, seen } = setup();
    const [rrsig] = signer.sign(OWNER, RRType.TXT, 1, txt('v'), NOW);
    expect(rrsig).toMatchObject({ inception: NOW - 3600, expiration: NOW + 14 * 86400, signer: APEX, keyTag: keyA.tag, labels: 4 });
    expect(rrsig && verifies(OWNER, txt('v'), rrsig, keyA)).toBe(true);
    expect(seen.signatures).toHaveLength(1);
    expect(seen.signatures[0]).toBeGreaterThan(0);
    expect(seen.hits).toBe(0);
  });

  it('serves the same content from the cache: other order, 0x20 owner spelling', () => {
    const { signer, seen } = setup();
    const first = signer.sign(OWNER, RRType.TXT, 1, txt('a', 'b'), NOW);
    expect(signer.sign(['aBc', 'AuTh', 'ExAmple', 'TeSt'], RRType.TXT, 1, txt('b', 'a'), NOW + 10)).toBe(first);
    expect(seen).toMatchObject({ hits: 1, signatures: [expect.any(Number)] });
  });

  it('signs again when the values, the TTL or the ring version change', () => {
    const { signer, seen, setRing } = setup();
    const first = signer.sign(OWNER, RRType.TXT, 1, txt('a'), NOW);
    expect(signer.sign(OWNER, RRType.TXT, 1, txt('a', 'b'), NOW)).not.toBe(first);
    expect(signer.sign(OWNER, RRType.TXT, 2, txt('a'), NOW)).not.toBe(first);
    setRing({ keys: [keyA], version: 2 });
    expect(signer.sign(OWNER, RRType.TXT, 1, txt('a'), NOW)).not.toBe(first);
    expect(seen).toMatchObject({ hits: 0 });
    expect(seen.signatures).toHaveLength(4);
  });

  it('signs again once no more than `refresh` of the validity remains', () => {
    const { signer, seen } = setup();
    const first = signer.sign(OWNER, RRType.TXT, 1, txt('a'), NOW);
    const lastHit = NOW + TIMING.validity - TIMING.refresh - 1;
    expect(signer.sign(OWNER, RRType.TXT, 1, txt('a'), lastHit)).toBe(first);
    const again = signer.sign(OWNER, RRType.TXT, 1, txt('a'), lastHit + 1);
    expect(again).not.toBe(first);
    expect(again[0]?.inception).toBe(lastHit + 1 - TIMING.inceptionOffset);
    expect(seen.hits).toBe(1);
  });

  it('keeps no more than cacheSize RRsets', () => {
    const { signer, seen } = setup(2);
    for (const name of ['x', 'y', 'z']) signer.sign([name, 'auth', 'example', 'test'], RRType.TXT, 1, txt('a'), NOW);
    signer.sign(['x', 'auth', 'example', 'test'], RRType.TXT, 1, txt('a'), NOW);
    expect(seen.hits).toBe(0);
    signer.sign(['z', 'auth', 'example', 'test'], RRType.TXT, 1, txt('a'), NOW);
    expect(seen.hits).toBe(1);
  });

  it('keeps NSECs apart: a flood of denials does not push the answers\' signatures out', () => {
    const { signer, seen } = setup(2);
    signer.sign(OWNER, RRType.TXT, 1, txt('a'), NOW);
    for (const name of ['n1', 'n2', 'n3']) {
      const labels = [name, 'auth', 'example', 'test'];
      signer.sign(labels, RRType.NSEC, 60, [{ type: 'NSEC', next: [Buffer.from([0]), ...labels.map((l) => Buffer.from(l))], types: [RRType.NXNAME, RRType.RRSIG, RRType.NSEC] }], NOW);
    }
    signer.sign(OWNER, RRType.TXT, 1, txt('a'), NOW);
    expect(seen.hits).toBe(1);
  });

  it('signs with every key of the ring during a rollover, one RRSIG each', () => {
    const { signer, seen, setRing } = setup();
    setRing({ keys: [keyA, keyB], version: 2 });
    const rrsigs = signer.sign(OWNER, RRType.TXT, 1, txt('a'), NOW);
    expect(rrsigs.map((s) => [s.keyTag, s.algorithm])).toEqual([[keyA.tag, 13], [keyB.tag, 15]]);
    expect(rrsigs.every((s, i) => verifies(OWNER, txt('a'), s, [keyA, keyB][i] as SigningKey))).toBe(true);
    expect(seen.signatures).toHaveLength(2);
    signer.sign(OWNER, RRType.TXT, 1, txt('a'), NOW);
    expect(seen.hits).toBe(1);
  });

  it('signs nothing without keys', () => {
    const { signer, setRing } = setup();
    setRing({ keys: [], version: 3 });
    expect(signer.sign(OWNER, RRType.TXT, 1, txt('a'), NOW)).toEqual([]);
  });
});
