/**
 * The answer side of online signing: the apex DNSKEY RRset of the current keys, and answers to
 * DO queries (RFC 3225) secured — compact denial (denial.ts), then an RRSIG after every
 * authoritative RRset (RFC 4035 §3.1.1). Pure but for the signer it is given (which caches).
 */
import type { Answer } from '../answer';
import type { Question, ResourceRecord } from '../packet';
import { Rcode, RRType, TYPE_CODE } from '../packet';
import { asciiLower, depthBelow, keyLabels, parseName } from '../names';
import type { RRset, Zone } from '../zone';
import { applyDenial } from './denial';
import type { AnswerSecurity, KeyRing, RRsetSigner } from './types';

/** What the answer security is built from. */
export interface AnswerSecurityDeps {
  readonly signer: RRsetSigner;
  /** The keys in use now (read per call: a new ring takes effect at once). */
  readonly keys: () => KeyRing;
  /** Seconds: the TTL of the apex DNSKEY RRset (`[dnssec] dnskey_ttl`). */
  readonly dnskeyTtl: number;
}

/** The records of one section, RRsets in order of first appearance (owner compared in lower case, RFC 4343). */
function rrsets(section: readonly ResourceRecord[]): ResourceRecord[][] {
  const sets = new Map<string, ResourceRecord[]>();
  for (const rr of section) {
    const key = `${TYPE_CODE[rr.data.type]} ${asciiLower(rr.name)}`;
    const set = sets.get(key);
    if (set) set.push(rr);
    else sets.set(key, [rr]);
  }
  return [...sets.values()];
}

/** Creates the AnswerSecurity the handler uses when DNSSEC is on. */
export function createAnswerSecurity(deps: AnswerSecurityDeps): AnswerSecurity {
  const { signer, keys, dnskeyTtl } = deps;
  // The same RRset object while the ring is the same: the encoder caches tails by RDATA object.
  let last: { ring: KeyRing; rrset: RRset } | undefined;

  /** Each RRset of `section` followed by its RRSIGs, spelled as its records are. */
  function signSection(section: readonly ResourceRecord[], now: number): ResourceRecord[] {
    const out: ResourceRecord[] = [];
    for (const set of rrsets(section)) {
      const first = set[0] as ResourceRecord;
      // RFC 2181 §5.2: one TTL per RRset; a static TXT beside the store's is served at the lower.
      const ttl = Math.min(...set.map((rr) => rr.ttl));
      const records = set.some((rr) => rr.ttl !== ttl) ? set.map((rr) => ({ ...rr, ttl })) : set;
      const type = TYPE_CODE[first.data.type];
      const sigs = signer.sign(parseName(first.name), type, ttl, set.map((rr) => rr.data), now);
      // RFC 4034 §3: the RRSIG's TTL is the TTL of the RRset it covers.
      out.push(...records, ...sigs.map((data): ResourceRecord => ({ name: first.name, ttl, data })));
    }
    return out;
  }

  return {
    dnskeys() {
      const ring = keys();
      if (last?.ring !== ring) last = { ring, rrset: { type: RRType.DNSKEY, ttl: dnskeyTtl, data: ring.keys.map((k) => k.dnskey) } };
      return last.rrset;
    },
    secure(answer, question: Question, zone: Zone, now: number): Answer {
      // Refusals, errors and the static names outside the zone: nothing of ours to sign.
      if (!answer.aa || (answer.rcode !== Rcode.NOERROR && answer.rcode !== Rcode.NXDOMAIN)) return answer;
      if (depthBelow(keyLabels(question.labels), zone.apexLabels) < 0) return answer;
      const denied = applyDenial(answer, question, zone);
      return { rcode: denied.rcode, aa: denied.aa, answer: signSection(denied.answer, now), authority: signSection(denied.authority, now) };
    },
  };
}
