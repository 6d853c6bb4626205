/**
 * DNSSEC for the DNS tests: a zone key, the real signer and answer security around it, and the
 * dnspython oracle (test/fixtures/dnssec-validate-message.py) that validates whole replies.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { generatePrivateKeyPem, signingKeyFromPem, type DnssecAlgorithm, type SigningKey } from '../../src/dns/dnssec/keys';
import { dnskeyRdata } from '../../src/dns/dnssec/rdata';
import { createRRsetSigner } from '../../src/dns/dnssec/rrset-signer';
import { createAnswerSecurity } from '../../src/dns/dnssec/secure';
import type { AnswerSecurity, KeyRing } from '../../src/dns/dnssec/types';

const ORACLE = path.join(__dirname, '../fixtures/dnssec-validate-message.py');

/** The DNSKEY TTL the tests serve. */
export const DNSKEY_TTL = 3600;

/** A zone's keys and the answer security signing with them. */
export interface TestDnssec {
  readonly keys: readonly SigningKey[];
  readonly security: AnswerSecurity;
}

/** Fresh keys (one CSK of `algorithm` unless `count` says more) and the real signer for `apex`. */
export function testDnssec(apex: string, algorithm: DnssecAlgorithm = 13, count = 1): TestDnssec {
  const keys = Array.from({ length: count }, () => signingKeyFromPem(generatePrivateKeyPem(algorithm), algorithm));
  const ring: KeyRing = { keys, version: 1 };
  const signer = createRRsetSigner({ keys: () => ring, apex, timing: { validity: 14 * 86400, refresh: 7 * 86400, inceptionOffset: 3600 }, cacheSize: 1000 });
  return { keys, security: createAnswerSecurity({ signer, keys: () => ring, dnskeyTtl: DNSKEY_TTL }) };
}

/** One RRset of a reply as the oracle saw it. */
export interface OracleRRset {
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  readonly rdatas: readonly string[];
  readonly rrsigs: number;
  readonly rrsigNames: readonly string[];
  readonly rrsigTtls: readonly number[];
  /** True, or why it did not validate. */
  readonly valid: true | string;
}

/** One reply as the oracle saw it. */
export interface OracleReply {
  readonly rcode: string;
  readonly flags: readonly string[];
  readonly question: string | null;
  readonly sections: { readonly answer: readonly OracleRRset[]; readonly authority: readonly OracleRRset[] };
}

/** Runs dnspython over `replies` (raw messages) with the zone's keys at `now` (seconds). */
export function validateReplies(apex: string, keys: readonly SigningKey[], now: number, replies: readonly Buffer[]): Promise<OracleReply[]> {
  const doc = { now, zone: `${apex}.`, dnskeyTtl: DNSKEY_TTL, dnskeys: keys.map((k) => dnskeyRdata(k.dnskey).toString('hex')), messages: replies.map((r) => r.toString('hex')) };
  return new Promise((resolve, reject) => {
    // /usr/bin/python3 holds dnspython and cryptography (not whatever python3 is first on PATH).
    const child = execFile('/usr/bin/python3', [ORACLE], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`oracle failed: ${err.message} ${stderr}`));
      resolve(JSON.parse(stdout) as OracleReply[]);
    });
    child.stdin?.end(JSON.stringify(doc));
  });
}
