/**
 * Signatures checked twice: by node's crypto against the public key rebuilt from the DNSKEY
 * RDATA, and by an independent validator (dnspython, test/fixtures/dnssec-validate.py) that
 * builds the canonical form itself from the records in the order we give them.
 */
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import path from 'node:path';
import type { RData } from '../packet';
import { RRType } from '../packet';
import { encodeRecordTail } from '../wire';
import { canonicalRRset, rrsigLabels, signedData } from './canonical';
import { generatePrivateKeyPem, signingKeyFromPem, type DnssecAlgorithm, type SigningKey } from './keys';
import { dnskeyRdata, dnssecRdata, rrsigRdataHead } from './rdata';
import { signRRset } from './sign';
import type { RrsigData } from './types';

const ORACLE = path.join(__dirname, '../../../test/fixtures/dnssec-validate.py');
const APEX = 'auth.example.test';
const NOW = 1_750_000_000;
const WINDOW = { inception: NOW - 3600, expiration: NOW + 14 * 86400 };

/** One RRset to sign and to hand to the oracle. */
interface Case {
  readonly labels: readonly string[];
  readonly type: number;
  readonly ttl: number;
  readonly data: readonly RData[];
  /** The name the oracle validates for (default: the labels, lower-cased). */
  readonly oracleName?: string;
}

interface OracleResult {
  readonly ok: boolean;
  readonly error?: string;
}

const txt = (...values: string[]): RData => ({ type: 'TXT', strings: values.map((v) => Buffer.from(v, 'latin1')) });

function keyOf(algorithm: DnssecAlgorithm): SigningKey {
  return signingKeyFromPem(generatePrivateKeyPem(algorithm), algorithm);
}

/** The public key rebuilt from the DNSKEY's key field alone (RFC 6605 §4, RFC 8080 §3). */
function publicKeyFromDnskey(key: SigningKey): crypto.KeyObject {
  const field = key.dnskey.publicKey;
  const jwk =
    key.algorithm === 13
      ? { kty: 'EC', crv: 'P-256', x: field.subarray(0, 32).toString('base64url'), y: field.subarray(32).toString('base64url') }
      : { kty: 'OKP', crv: 'Ed25519', x: field.toString('base64url') };
  return crypto.createPublicKey({ key: jwk, format: 'jwk' });
}

function nodeVerifies(c: Case, rrsig: RrsigData, key: SigningKey): boolean {
  const data = signedData(rrsigRdataHead(rrsig), canonicalRRset(c.labels, c.type, c.ttl, c.data));
  const publicKey = publicKeyFromDnskey(key);
  return key.algorithm === 13
    ? crypto.verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, rrsig.signature)
    : crypto.verify(null, data, publicKey, rrsig.signature);
}

const rdataHex = (d: RData): string => encodeRecordTail({ name: '', ttl: 0, data: d }).subarray(10).toString('hex');

/** Runs the oracle on `cases`, each with its RRSIGs; resolves with one result per case. */
function oracle(keys: readonly SigningKey[], cases: readonly { c: Case; rrsigs: readonly RrsigData[] }[]): Promise<OracleResult[]> {
  const doc = {
    now: NOW,
    zone: `${APEX}.`,
    dnskeyTtl: 3600,
    dnskeys: keys.map((k) => dnskeyRdata(k.dnskey).toString('hex')),
    cases: cases.map(({ c, rrsigs }) => ({
      name: c.oracleName ?? `${c.labels.join('.').toLowerCase()}.`,
      type: c.type,
      ttl: c.ttl,
      rdatas: c.data.map(rdataHex),
      rrsigs: rrsigs.map((s) => dnssecRdata(s).toString('hex')),
    })),
  };
  return new Promise((resolve, reject) => {
    // /usr/bin/python3 holds dnspython and cryptography (not whatever python3 is first on PATH).
    const child = execFile('/usr/bin/python3', [ORACLE], (err, stdout, stderr) => {
      if (err && err.code !== 1) return reject(new Error(`oracle failed: ${err.message} ${stderr}`));
      resolve(JSON.parse(stdout) as OracleResult[]);
    });
    child.stdin?.end(JSON.stringify(doc));
  });
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const apexLabels = APEX.split('.');
const keys13 = [keyOf(13), keyOf(13)];
const keys15 = [keyOf(15)];
const allKeys = [...keys13, ...keys15];

const CASES: Record<string, Case> = {
  txt: {
    labels: ['abc', ...apexLabels],
    type: RRType.TXT,
    ttl: 1,
    // Lengths, case and a duplicate: the oracle sorts and de-duplicates by itself.
    data: shuffled([txt('b'), txt('ab'), txt('A'), txt('zzzz', 'Two Strings'), txt(''), txt('b'), txt('\xff\x00')]),
  },
  soa: {
    labels: apexLabels,
    type: RRType.SOA,
    ttl: 86400,
    data: [{ type: 'SOA', mname: `ns1.${APEX}`, rname: `hostmaster.${APEX}`, serial: 2025010101, refresh: 28800, retry: 7200, expire: 604800, minimum: 3600 }],
  },
  ns: { labels: apexLabels, type: RRType.NS, ttl: 86400, data: [{ type: 'NS', target: `ns2.${APEX}` }, { type: 'NS', target: `ns1.${APEX}` }] },
  dnskey: { labels: apexLabels, type: RRType.DNSKEY, ttl: 3600, data: shuffled(allKeys.map((k) => k.dnskey)) },
  nsec: {
    labels: ['nx', ...apexLabels],
    type: RRType.NSEC,
    ttl: 3600,
    // RFC 9824 §3: next name \000.<owner>, types RRSIG NSEC NXNAME.
    data: [{ type: 'NSEC', next: [Buffer.from([0]), ...['nx', ...apexLabels].map((l) => Buffer.from(l))], types: [RRType.RRSIG, RRType.NSEC, RRType.NXNAME] }],
  },
  mixedCase: { labels: ['aBc', 'AuTh', 'ExAmple', 'TeSt'], type: RRType.TXT, ttl: 1, data: [txt('v2'), txt('v1')] },
  wildcard: { labels: ['*', ...apexLabels], type: RRType.A, ttl: 60, data: [{ type: 'A', address: '192.0.2.1' }], oracleName: `any.${APEX}.` },
};

describe.each([
  ['ECDSA P-256 (13)', keys13[0] as SigningKey],
  ['Ed25519 (15)', keys15[0] as SigningKey],
])('signRRset with %s', (_name, key) => {
  const signed = Object.entries(CASES).map(([name, c]) => ({ name, c, rrsigs: [signRRset(canonicalRRset(c.labels, c.type, c.ttl, c.data), key, APEX, WINDOW)] }));

  it.each(Object.keys(CASES))('%s: node crypto verifies it with the key from the DNSKEY', (name) => {
    const s = signed.find((x) => x.name === name);
    expect(s && nodeVerifies(s.c, s.rrsigs[0] as RrsigData, key)).toBe(true);
  });

  it('fills the RRSIG fields (RFC 4034 §3.1)', () => {
    const rrsig = signed.find((x) => x.name === 'wildcard')?.rrsigs[0];
    expect(rrsig).toMatchObject({ typeCovered: RRType.A, algorithm: key.algorithm, labels: 3, originalTtl: 60, keyTag: key.tag, signer: APEX, ...WINDOW });
    expect(rrsig?.signature).toHaveLength(64);
  });

  it('every RRset validates with dnspython, in order given and for the lower-case name', async () => {
    const results = await oracle(allKeys, signed);
    expect(results).toEqual(signed.map(() => ({ ok: true })));
  });

  it('the 0x20 spelling signs the very bytes of the lower-case one', () => {
    const lower = canonicalRRset(['abc', ...apexLabels], RRType.TXT, 1, CASES.mixedCase?.data ?? []);
    expect(canonicalRRset(CASES.mixedCase?.labels ?? [], RRType.TXT, 1, CASES.mixedCase?.data ?? [])).toEqual(lower);
  });

  it('the oracle rejects a signature with one byte flipped', async () => {
    const good = signed.find((x) => x.name === 'txt');
    if (good === undefined) throw new Error('no txt case');
    const rrsig = good.rrsigs[0] as RrsigData;
    const signature = Buffer.from(rrsig.signature);
    signature[10] = (signature[10] as number) ^ 0x01;
    const [result] = await oracle(allKeys, [{ c: good.c, rrsigs: [{ ...rrsig, signature }] }]);
    expect(result?.ok).toBe(false);
    expect(result?.error).toMatch(/ValidationFailure/);
  });
});

describe('canonical form', () => {
  it('Ed25519 signatures (deterministic, RFC 8032) of the 0x20 and lower-case names are equal', () => {
    const key = keys15[0] as SigningKey;
    const sign = (labels: readonly string[]): Buffer => signRRset(canonicalRRset(labels, RRType.TXT, 1, [txt('x')]), key, APEX, WINDOW).signature;
    expect(sign(['aBc', 'AuTh', 'ExAmple', 'TeSt'])).toEqual(sign(['abc', ...apexLabels]));
  });

  it('counts labels without the root and without a leading * (RFC 4034 §3.1.3)', () => {
    expect(rrsigLabels(['*', 'a', 'b'])).toBe(2);
    expect(rrsigLabels(['a', '*', 'b'])).toBe(3);
    expect(rrsigLabels([])).toBe(0);
  });

  it('refuses an empty RRset and a record of another type', () => {
    expect(() => canonicalRRset(apexLabels, RRType.TXT, 1, [])).toThrow(/empty/);
    expect(() => canonicalRRset(apexLabels, RRType.A, 1, [txt('x')])).toThrow(/TXT/);
  });
});
