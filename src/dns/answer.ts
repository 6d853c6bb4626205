/**
 * The answer to one question: PURE (DESIGN rule 1). The handler fetches the account data first;
 * this decides rcode, AA and the sections from the question, the zone and that data.
 */
import type { NameData } from '../core/types';
import type { Question, RcodeValue, ResourceRecord } from './packet';
import { Rcode, RRType } from './packet';
import { depthBelow, keyLabels, presentName } from './names';
import type { RRset, Zone, ZoneNode } from './zone';

/** What to send back, before encoding. */
export interface Answer {
  readonly rcode: RcodeValue;
  readonly aa: boolean;
  readonly answer: readonly ResourceRecord[];
  readonly authority: readonly ResourceRecord[];
  /**
   * For negative answers inside the zone: what DNSSEC's denial must prove (RFC 4035 §3.1.3) —
   * the name does not exist, or it exists with exactly `types` (the NSEC bitmap, RRSIG and NSEC
   * added by the signer). Absent on positive answers, refusals and names outside the zone.
   */
  readonly denial?: { readonly kind: 'nxdomain' } | { readonly kind: 'nodata'; readonly types: readonly number[] } | undefined;
}

/** A question name's lower-case presentation labels (keyLabels) and their join, the lookup key. */
interface NameKeys {
  readonly keys: readonly string[];
  readonly key: string;
}

let lastLabels: readonly string[] | undefined;
let lastKeys: NameKeys = { keys: [], key: '' };

/**
 * keyLabels for a question's labels, computed once per query: accountLabel, challengeName,
 * ownNamesBelow and answer each need them (about a tenth of a query's time when each computed
 * them). Remembered by the labels array's identity: a decoded question's labels never change.
 */
function keysOf(labels: readonly string[]): NameKeys {
  if (labels !== lastLabels) {
    const keys = keyLabels(labels);
    lastKeys = { keys, key: keys.join('.') };
    lastLabels = labels;
  }
  return lastKeys;
}

/**
 * The subdomain key to look up for a question, or undefined when the store cannot change the
 * answer: no account can live there, or the name has static data and the question is not TXT
 * (so the static zone keeps answering while the store is down).
 */
export function accountLabel(question: Question, zone: Zone): string | undefined {
  const { keys, key } = keysOf(question.labels);
  if (depthBelow(keys, zone.apexLabels) !== 1) return undefined;
  const node = zone.nodes.get(key);
  const isStatic = node !== undefined || zone.emptyNonTerminals.has(key);
  if (isStatic && (question.type !== RRType.TXT || node?.rrsets.has(RRType.CNAME))) return undefined;
  const label = keys[0] as string;
  // Account subdomains are one LDH label (acme-dns's regex) or `_acme-challenge`: skip the store
  // for anything else.
  return STORE_LABEL.test(label) ? label : undefined;
}

/** One lower-case label the store can hold: LDH plus `_` (`_acme-challenge`), no escapes. */
const STORE_LABEL = /^[a-z0-9_-]{1,63}$/;

/** The first label of every name the server's own DNS-01 values live at (RFC 8555 §8.4). */
const CHALLENGE_LABEL = '_acme-challenge';

/**
 * The lower-case name (no trailing dot) to read the server's own DNS-01 values for
 * (`store.challengeValues`), or undefined when they cannot change the answer. They live only at
 * `_acme-challenge.<name>` (RFC 8555 §8.4; acme/order/challenge.ts challengeRecordName is their
 * only writer), one label below the apex or several (an api_domain outside the zone), so any other
 * name is never asked: a miss (a random-subdomain flood) costs one store read, not two. To keep an
 * account's TXT query at one store round trip, `_acme-challenge` is asked after its account lookup;
 * static names follow accountLabel's rule (asked for TXT only, never behind a CNAME).
 */
export function challengeName(question: Question, zone: Zone): string | undefined {
  const { keys, key } = keysOf(question.labels);
  const depth = depthBelow(keys, zone.apexLabels);
  if (depth < 1 || keys[0] !== CHALLENGE_LABEL) return undefined;
  const node = zone.nodes.get(key);
  const isStatic = node !== undefined || zone.emptyNonTerminals.has(key);
  if (isStatic && (question.type !== RRType.TXT || node?.rrsets.has(RRType.CNAME))) return undefined;
  if (!keys.slice(0, depth).every((l) => STORE_LABEL.test(l))) return undefined;
  return [...keys.slice(0, depth), zone.apex].join('.');
}

/**
 * The own-challenge names whose values decide whether the question's name is an empty
 * non-terminal above them (RFC 8020 §2; Zone.ownChallengeAncestors); none when the name exists
 * anyway (`found`: an account or own values there; or static data, or a static ENT).
 */
export function ownNamesBelow(question: Question, zone: Zone, found: boolean): readonly string[] {
  if (found) return [];
  const { key } = keysOf(question.labels);
  if (zone.nodes.has(key) || zone.emptyNonTerminals.has(key)) return [];
  return zone.ownChallengeAncestors.get(key) ?? [];
}

/**
 * Whether `<label>.<apex>` (a lower-case plain label) exists only if an account has the label: no
 * static data or empty non-terminal there, and no own challenge values at or below it. Then its
 * answer without an account is the zone's one NXDOMAIN (answer()), whatever the label.
 */
export function onlyAnAccountMakes(label: string, zone: Zone): boolean {
  const taken = takenIn(zone);
  // A label of a length no taken label has (an account's 36-character UUID, in most zones) needs no hash.
  return taken.lengths[label.length] !== 1 || !taken.labels.has(label);
}

/** Whether onlyAnAccountMakes says yes to every plain label of `length` octets in `zone` (no taken label has it). */
export function onlyAnAccountMakesAny(length: number, zone: Zone): boolean {
  return takenIn(zone).lengths[length] !== 1;
}

function takenIn(zone: Zone): TakenLabels {
  let taken = zone === lastZone ? lastTaken : takenLabels.get(zone);
  if (taken === undefined) {
    taken = labelsTaken(zone);
    takenLabels.set(zone, taken);
  }
  lastZone = zone;
  lastTaken = taken;
  return taken;
}

/** The labels onlyAnAccountMakes says no to, and which lengths they have (1 at each). */
interface TakenLabels {
  readonly labels: ReadonlySet<string>;
  readonly lengths: Uint8Array;
}

/**
 * Per zone, the labels `<label>.<apex>` has data, an empty non-terminal or own challenge names
 * at, and `_acme-challenge`: what onlyAnAccountMakes says no to. Built once (a zone never changes;
 * a reload builds a new one), so a random-subdomain flood pays at most one probe of a short key
 * per query instead of building the name and probing three maps with it. The last zone asked is
 * kept beside the map: a server has one.
 */
const takenLabels = new WeakMap<Zone, TakenLabels>();
let lastZone: Zone | undefined;
let lastTaken: TakenLabels | undefined;

/** Labels are 63 octets at most (RFC 1035 §2.3.4). */
const MAX_LABEL = 63;

function labelsTaken(zone: Zone): TakenLabels {
  const suffix = `.${zone.apex}`;
  const labels = new Set<string>([CHALLENGE_LABEL]);
  for (const names of [zone.nodes.keys(), zone.emptyNonTerminals, zone.ownChallengeAncestors.keys()]) {
    for (const name of names) {
      // A name of several labels (or a label with an escaped dot) is never a plain label's name.
      const first = name.endsWith(suffix) ? name.slice(0, -suffix.length) : undefined;
      if (first !== undefined && !first.includes('.')) labels.add(first);
    }
  }
  const lengths = new Uint8Array(MAX_LABEL + 1);
  for (const l of labels) if (l.length <= MAX_LABEL) lengths[l.length] = 1;
  return { labels, lengths };
}

/** TXT strings hold 255 octets (RFC 1035 §3.3); longer values are split, clients join them. */
export function txtStrings(value: string): Buffer[] {
  const bytes = Buffer.from(value);
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 255) parts.push(bytes.subarray(i, i + 255));
  return parts.length ? parts : [Buffer.alloc(0)];
}

function records(owner: string, set: RRset): ResourceRecord[] {
  return set.data.map((data) => ({ name: owner, ttl: set.ttl, data }));
}

/**
 * Answers one question. `account` is the lookup result for `accountLabel`, if any; `challenges`
 * are the own DNS-01 values read for `challengeName`, served as TXT beside the account's;
 * `aboveOwnValues`: an own name of `ownNamesBelow` holds values, so this name exists, empty;
 * `dnskeys`: the apex DNSKEY RRset, given only when DNSSEC is on (zone data: served with or
 * without DO, RFC 4035 §2.1).
 */
export function answer(
  question: Question,
  zone: Zone,
  account: NameData | undefined,
  challenges: readonly string[] = [],
  aboveOwnValues = false,
  dnskeys?: RRset,
): Answer {
  const { keys, key } = keysOf(question.labels);
  // Owners equal to the question are written as asked (0x20, DESIGN rule 3).
  const owner = presentName(question.labels);
  const node = zone.nodes.get(key);
  const depth = depthBelow(keys, zone.apexLabels);

  // Zone transfers are not offered (RFC 5936 §4.2 lets a server refuse them).
  if (question.type === RRType.AXFR || question.type === RRType.IXFR) return refused();

  if (depth < 0) {
    // Outside the zone only the static owners are served, exactly at their names; their
    // negative answers carry no SOA: ours is not an ancestor and resolvers would scrub it
    // (a NODATA without SOA is RFC 2308 §2.2 type 3).
    return node ? fromData(question.type, owner, node, undefined, zone, [], undefined) : refused();
  }

  const acct = depth === 1 ? account : undefined;
  const own = depth >= 1 ? challenges : [];
  // The SOA is written with the question's spelling of the apex.
  const apexOwner = presentName(question.labels.slice(question.labels.length - zone.apexLabels.length));
  const negative = [{ ...zone.negativeSoa, name: apexOwner }];
  const nonTerminal = zone.emptyNonTerminals.has(key) || (depth >= 1 && aboveOwnValues);
  const exists = node !== undefined || acct !== undefined || own.length > 0 || nonTerminal;
  // RFC 2308 §2.1: NXDOMAIN with the SOA; names below an account name do not exist either.
  // RFC 8020 §2: an empty non-terminal exists, so it gets NODATA (fromData), never NXDOMAIN.
  if (!exists) return { rcode: Rcode.NXDOMAIN, aa: true, answer: [], authority: negative, denial: { kind: 'nxdomain' } };
  const data = own.length > 0 ? { values: [...(acct?.values ?? []), ...own] } : acct;
  return fromData(question.type, owner, node, data, zone, negative, depth === 0 ? dnskeys : undefined);
}

/**
 * The types present at a name inside the zone, for a NODATA's denial (RFC 4035 §3.1.3.1): its
 * static RRsets (SOA and NS at the apex), the apex DNSKEY RRset, and TXT when a value is served.
 */
function typesAt(node: ZoneNode | undefined, txt: readonly ResourceRecord[], dnskeys: RRset | undefined): number[] {
  const types = new Set(node?.rrsets.keys() ?? []);
  if (txt.length > 0) types.add(RRType.TXT);
  if (dnskeys) types.add(RRType.DNSKEY);
  return [...types];
}

function fromData(
  qtype: number,
  owner: string,
  node: ZoneNode | undefined,
  account: NameData | undefined,
  zone: Zone,
  negative: readonly ResourceRecord[],
  dnskeys: RRset | undefined,
): Answer {
  // Empty values are acme-dns's never-updated slots (it skips them too): not data.
  const txt = (account?.values ?? []).filter((v) => v !== '').map(
    (value): ResourceRecord => ({ name: owner, ttl: zone.txtTtl, data: { type: 'TXT', strings: txtStrings(value) } }),
  );
  const positive = (rrs: ResourceRecord[]): Answer => {
    if (rrs.length) return { rcode: Rcode.NOERROR, aa: true, answer: rrs, authority: [] };
    // RFC 2308 §2.2: NODATA is NOERROR, empty answer, SOA in authority. Outside the zone
    // (`negative` empty: no SOA of ours) there is nothing for our keys to deny.
    if (negative.length === 0) return { rcode: Rcode.NOERROR, aa: true, answer: [], authority: negative };
    return { rcode: Rcode.NOERROR, aa: true, answer: [], authority: negative, denial: { kind: 'nodata', types: typesAt(node, txt, dnskeys) } };
  };
  const cname = node?.rrsets.get(RRType.CNAME);
  // RFC 1034 §3.6.2: a CNAME answers every type at its name (the resolver follows it).
  if (cname) return positive(records(owner, cname));

  if (qtype === RRType.ANY) {
    // RFC 8482 §4.1: answer ANY with a subset, never the whole name: the first static RRset
    // (the SOA at the apex), else the account's TXT values.
    const first = node?.rrsets.values().next();
    return positive(first && !first.done ? records(owner, first.value) : txt);
  }
  const set = node?.rrsets.get(qtype) ?? (qtype === RRType.DNSKEY ? dnskeys : undefined);
  const rrs = set ? records(owner, set) : [];
  if (qtype === RRType.TXT) rrs.push(...txt);
  return positive(rrs);
}

function refused(): Answer {
  // Not ours: REFUSED without AA, so nobody caches it as authoritative (acme-dns #272, #383).
  return { rcode: Rcode.REFUSED, aa: false, answer: [], authority: [] };
}
