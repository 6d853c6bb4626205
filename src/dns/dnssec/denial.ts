/**
 * Authenticated denial of existence with compact answers (RFC 9824, "black lies"): PURE.
 *
 * Why compact denial rather than minimally covering NSEC (RFC 4470):
 * - one NSEC at the question's own name proves everything, so a negative answer costs one
 *   signature over it (beside the SOA's, cached); RFC 4470 needs an NSEC covering the name and
 *   another covering the wildcard at its closest encloser: two fresh signatures per NXDOMAIN;
 * - no neighbouring names to compute: RFC 4470 needs the canonical predecessor and successor of
 *   the name (RFC 4471), which must never cover a name that exists — and which names exist here
 *   changes with every account and every own challenge in the store;
 * - no zone walking: the NSEC names only the question and `\000.<question>`, so the accounts'
 *   subdomains are never listed to whoever walks the chain (NSEC3's hashing is not needed for
 *   that either).
 * The price: a name that does not exist is answered NOERROR, as an empty name — a NODATA whose
 * NSEC lists only RRSIG, NSEC and the NXNAME pseudo-type (type 128), from which a client that
 * knows RFC 9824 tells "does not exist" rather than from the RCODE. RFC 9824's response code
 * restoration lets a server put NXDOMAIN back in the RCODE when the query sets the EDNS "Compact
 * Answers OK" (CO) flag; we do not: our EDNS reader does not keep that flag, and one answer for
 * every DO client is simpler to cache and to test (validators accept it with or without the flag).
 * Queries without DO keep the plain NXDOMAIN: the lie is only told where it is signed.
 */
import type { Answer } from '../answer';
import type { Question, ResourceRecord } from '../packet';
import { Rcode, RRType } from '../packet';
import { presentName } from '../names';
import type { Zone } from '../zone';

/** The largest name on the wire, root included (RFC 1035 §3.1). */
const MAX_NAME_OCTETS = 255;

/** A wire label's bytes, lower-cased (RFC 4034 §6.2: the NSEC next name is canonical). */
function lowerLabel(label: string): Buffer {
  const bytes = Buffer.from(label, 'latin1');
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) >= 0x41 && (bytes[i] as number) <= 0x5a) bytes[i] = (bytes[i] as number) | 0x20;
  return bytes;
}

/**
 * The next name of the NSEC at `labels`: its immediate successor in canonical order, `\000.<name>`
 * (RFC 9824). A name too long for one more label takes RFC 4471 §3.1.2's other steps: a
 * zero octet appended to the first label that can take it, else its last octet below 0xff
 * incremented (A-Z skipped, the name stays canonical) and what follows dropped, else the label
 * dropped and the next one tried; none left: the root (the wrap-around).
 */
export function nextName(labels: readonly string[]): Buffer[] {
  const lower = labels.map(lowerLabel);
  let size = lower.reduce((n, l) => n + 1 + l.length, 1);
  if (size + 2 <= MAX_NAME_OCTETS) return [Buffer.from([0]), ...lower];
  for (let i = 0; i < lower.length; i++) {
    const label = lower[i] as Buffer;
    const rest = lower.slice(i + 1);
    if (label.length < 63 && size < MAX_NAME_OCTETS) return [Buffer.concat([label, Buffer.from([0])]), ...rest];
    for (let j = label.length - 1; j >= 0; j--) {
      if ((label[j] as number) === 0xff) continue;
      const next = Buffer.from(label.subarray(0, j + 1));
      const octet = (label[j] as number) + 1;
      next[j] = octet >= 0x41 && octet <= 0x5a ? 0x5b : octet;
      return [next, ...rest];
    }
    size -= 1 + label.length;
  }
  return [];
}

/** The compact denial's NSEC at the question's name, spelled as asked (DESIGN rule 3, 0x20). */
function nsecRecord(question: Question, zone: Zone, types: readonly number[]): ResourceRecord {
  // RFC 9077 §3: the NSEC TTL is the negative TTL, min(SOA TTL, MINIMUM) — what negativeSoa has.
  return {
    name: presentName(question.labels),
    ttl: zone.negativeSoa.ttl,
    data: { type: 'NSEC', next: nextName(question.labels), types: [...types, RRType.RRSIG, RRType.NSEC] },
  };
}

/**
 * `answer` with its denial made compact (RFC 9824): NXDOMAIN becomes NOERROR with the NSEC
 * listing only NXNAME, NODATA gets the NSEC listing the name's types; both keep the SOA. A
 * question for type NSEC gets that NSEC as its answer (its owner and type match the question).
 * Answers without a denial come back as they are; the result carries none.
 */
export function applyDenial(answer: Answer, question: Question, zone: Zone): Answer {
  const denial = answer.denial;
  if (denial === undefined) return answer;
  const types = denial.kind === 'nxdomain' ? [RRType.NXNAME] : denial.types;
  const nsec = nsecRecord(question, zone, types);
  if (question.type === RRType.NSEC) return { rcode: Rcode.NOERROR, aa: answer.aa, answer: [nsec], authority: [] };
  return { rcode: Rcode.NOERROR, aa: answer.aa, answer: answer.answer, authority: [...answer.authority, nsec] };
}
