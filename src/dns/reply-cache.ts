/**
 * Encoded UDP replies by question, replayed when the same question comes again, as PowerDNS's
 * packet cache does: a repeated question (a resolver re-asking a TXT whose TTL is 1 s, the SOA, a
 * CA's vantage points asking the same name) is answered by a copy instead of decode, answer and
 * encode, about five sixths of a query's cost in the process.
 *
 * The key is the whole query but its ID, with the question's name in lower case (0x20 resolvers
 * mix the case of every query, DESIGN rule 3). A reply depends on nothing else in the query: the
 * flags (RD, CD), the type and class, EDNS (its size, DO, options) and every other byte are in the
 * key. The reply carries the question's name once, at offset 12, and every owner name in it is a
 * pointer into that name (wire.ts encodeOwner), so a replay with the asker's ID and the asker's
 * spelling of the name copied in is byte for byte what the handler would have built.
 *
 * NXDOMAIN for a name one label below the apex is also kept by the name's shape (the label's
 * length; the rest of the query as above): every such name without an account, static data or
 * own challenge values gets the same reply but for the name's bytes, and its SOA's owner pointer
 * lands at the same offset. The handler asks for it only after the store's filter of account
 * names said no account has the label (the same generation), so a random-subdomain flood, whose
 * names never repeat, is answered by a copy as well.
 *
 * An entry is served only for the store generation and the second it was built in (values age by
 * the second; any commit changes the generation), and only with the same DNSKEY set (a rollover
 * changes it without a commit of the records). Signed answers (DO with DNSSEC on) are not cached:
 * their denial carries the asker's spelling in RDATA.
 */
// The module's Buffer: the global one is a getter on globalThis, a call for every reply (~12 ns).
import { Buffer } from 'node:buffer';

/** Queries longer than this are answered without the cache (no resolver sends them for our names). */
const MAX_KEYED_QUERY = 512;

/** Entries at most; full, the cache starts again (a random-name flood cannot grow it). */
export const MAX_CACHED_REPLIES = 16_384;

const HEADER_BYTES = 12;

/** One cached reply and what it is valid for. */
export interface CachedReply {
  readonly reply: Buffer;
  readonly generation: number;
  readonly second: number;
  readonly dnskeys: unknown;
  /** For the metrics of a replayed answer. */
  readonly qtype: number;
  readonly rcode: number;
}

/** A query's place in the cache: its key, and where its question's name ends. */
export interface ReplyKey {
  readonly key: string;
  readonly nameEnd: number;
}

/**
 * Shape keys start with a character no exact key holds (an exact key starts with the flags' first
 * octet, QR and OPCODE clear: 0-7). One octet, so shape keys stay one-byte strings: with U+FFFF,
 * every shape key was a two-byte string, copied wide and compared slowly on every lookup.
 */
const SHAPE_MARK = '\u00ff';

/** Offset of the question's name in a key (the key starts at the flags, byte 2). */
const NAME_IN_KEY = HEADER_BYTES - 2;

/** An octet in lower case: A-Z folded (DNS compares ASCII letters without case, RFC 4343 §3). */
function lowerOctet(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/** Whether a lower-case character may be in a label the store can hold (letters, digits, `-`, `_`). */
function isPlainOctet(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f;
}

/** Whether `key[from, to)` is a label the store can hold, in lower case: the shapes are kept for such labels only. */
function isPlainLabel(key: string, from: number, to: number): boolean {
  // A loop, not a regular expression over a slice: this runs for every query of a random-name flood.
  for (let i = from; i < to; i++) if (!isPlainOctet(key.charCodeAt(i))) return false;
  return to > from;
}

/** The cache of one handler. */
export interface ReplyCache {
  /** The key of a query the cache may answer (a plain QUERY with one question), else undefined. */
  keyOf(msg: Buffer): ReplyKey | undefined;
  /**
   * The reply for `msg` (same key) when one is cached for this generation, second and DNSKEY set,
   * with the entry it was made from (udp-replay.ts keeps it for the queries that follow); undefined otherwise.
   */
  replay(msg: Buffer, key: ReplyKey, generation: number, second: number, dnskeys: unknown): { readonly reply: Buffer; readonly qtype: number; readonly rcode: number; readonly entry: CachedReply } | undefined;
  /** Remembers `reply`, built for a query with this key from the store at `generation` in `second`. */
  remember(key: ReplyKey, reply: Buffer, generation: number, second: number, dnskeys: unknown, qtype: number, rcode: number): void;
}

/**
 * The lower-case label of a query for `<label>.<apex>` (`apexWire`: the apex's wire form in lower
 * case, as latin1), when the label is plain (letters, digits, `-`, `_`); else undefined.
 */
export function labelBelow(key: ReplyKey, apexWire: string): string | undefined {
  const length = key.key.charCodeAt(NAME_IN_KEY);
  const rest = NAME_IN_KEY + 1 + length;
  if (key.nameEnd - HEADER_BYTES !== 1 + length + apexWire.length || !key.key.startsWith(apexWire, rest)) return undefined;
  return isPlainLabel(key.key, NAME_IN_KEY + 1, rest) ? key.key.slice(NAME_IN_KEY + 1, rest) : undefined;
}

/** The shape key of a query for `<label>.<apex>` (labelBelow gave the label): its key without the label's bytes. */
export function shapeOf(key: ReplyKey, label: string): ReplyKey {
  const rest = NAME_IN_KEY + 1 + label.length;
  return { key: SHAPE_MARK + key.key.slice(0, NAME_IN_KEY + 1) + key.key.slice(rest), nameEnd: key.nameEnd };
}

/** Where the first label's octets start in a query (after the header and its length octet). */
export const LABEL_AT = HEADER_BYTES + 1;

/**
 * A query kept as bytes to compare others with in place, its first label's octets aside: a query
 * of the shape last served then costs neither a key nor a shape key (udp-replay.ts).
 */
export interface QueryModel {
  /** The query from its flags (byte 2) to its end, the name in lower case: its key's octets. */
  readonly bytes: Buffer;
  /** Octets of the first label, not compared. */
  readonly labelLength: number;
  readonly nameEnd: number;
}

/** The model of a query with this key: every query of its shape, or with `whole`, only the query itself in any case. */
export function modelOf(key: ReplyKey, whole = false): QueryModel {
  return { bytes: Buffer.from(key.key, 'latin1'), labelLength: whole ? 0 : key.key.charCodeAt(NAME_IN_KEY), nameEnd: key.nameEnd };
}

/**
 * Whether `msg` is the model's query but for its first label's octets (and the case of its name):
 * then its key without that label is the model's (shapeOf), and its name ends where the model's does.
 */
export function matchesModel(msg: Buffer, model: QueryModel): boolean {
  const bytes = model.bytes;
  if (msg.length !== bytes.length + 2) return false;
  // The flags, the counts and the first label's length octet.
  for (let i = 2; i < LABEL_AT; i++) if (msg[i] !== bytes[i - 2]) return false;
  const nameEnd = model.nameEnd;
  let i = LABEL_AT + model.labelLength;
  // The rest of the name in lower case (a length octet is below 0x40: never folded), then the rest.
  for (; i < nameEnd; i++) if (lowerOctet(msg[i] as number) !== bytes[i - 2]) return false;
  for (; i < msg.length; i++) if (msg[i] !== bytes[i - 2]) return false;
  return true;
}

/** Whether the `length` octets of `msg` from `from` are a label the store can hold, in either case (isPlainLabel's rule on a lower-case key). */
export function isPlainLabelAt(msg: Buffer, from: number, length: number): boolean {
  for (let i = from; i < from + length; i++) if (!isPlainOctet(lowerOctet(msg[i] as number))) return false;
  return length > 0;
}

/**
 * Uint8Array's set(), called on a Buffer without looking it up there: in the server, `reply.set`
 * was compiled to a generic property lookup through Buffer.prototype (a LoadIC call per reply).
 */
const setBytes = Uint8Array.prototype.set;

/**
 * A copy of `stored` (a reply whose question has the name of `msg`'s length) with the asker's ID
 * and the asker's spelling of the name (`msg`'s octets 12 to `nameEnd`). Copied by set() and a
 * loop: Buffer.copy's two calls into C++ cost ~25 ns more per reply.
 */
export function replyFor(stored: Buffer, msg: Buffer, nameEnd: number): Buffer {
  const reply = Buffer.allocUnsafe(stored.length);
  setBytes.call(reply, stored);
  reply[0] = msg[0] as number;
  reply[1] = msg[1] as number;
  for (let i = HEADER_BYTES; i < nameEnd; i++) reply[i] = msg[i] as number;
  return reply;
}

/** The wire form of a lower-case name given by its labels (no escapes), as latin1. */
export function wireName(labels: readonly string[]): string {
  return labels.map((l) => String.fromCharCode(l.length) + l).join('') + '\u0000';
}

/** A new, empty cache. */
export function createReplyCache(maxEntries = MAX_CACHED_REPLIES): ReplyCache {
  const entries = new Map<string, CachedReply>();
  const lowered = Buffer.allocUnsafe(MAX_KEYED_QUERY);
  return {
    keyOf(msg) {
      // RFC 1035 §4.1.1: QR clear, OPCODE 0 (QUERY), QDCOUNT 1; anything else takes the full path.
      if (msg.length <= HEADER_BYTES || msg.length > MAX_KEYED_QUERY) return undefined;
      if (((msg[2] as number) & 0xf8) !== 0 || msg[4] !== 0 || msg[5] !== 1) return undefined;
      let upper = false;
      let off = HEADER_BYTES;
      for (;;) {
        const length = msg[off];
        if (length === undefined || length > 63) return undefined; // truncated, or a pointer
        if (length === 0) break;
        const end = off + 1 + length;
        if (end > msg.length) return undefined;
        for (let i = off + 1; i < end; i++) {
          const c = msg[i] as number;
          if (c >= 0x41 && c <= 0x5a) upper = true;
        }
        off = end;
      }
      const nameEnd = off + 1;
      if (!upper) return { key: msg.toString('latin1', 2), nameEnd };
      // 0x20 spelling (half of a CA's queries): the key from a copy with the name in lower case,
      // made in a buffer kept for it rather than a new one per query.
      for (let i = 2; i < HEADER_BYTES; i++) lowered[i - 2] = msg[i] as number;
      for (let i = HEADER_BYTES; i < nameEnd; i++) lowered[i - 2] = lowerOctet(msg[i] as number);
      msg.copy(lowered, nameEnd - 2, nameEnd);
      return { key: lowered.toString('latin1', 0, msg.length - 2), nameEnd };
    },
    replay(msg, key, generation, second, dnskeys) {
      const hit = entries.get(key.key);
      if (hit === undefined || hit.generation !== generation || hit.second !== second || hit.dnskeys !== dnskeys) return undefined;
      // The asker's spelling: the name's bytes differ from the cached ones at most in case.
      return { reply: replyFor(hit.reply, msg, key.nameEnd), qtype: hit.qtype, rcode: hit.rcode, entry: hit };
    },
    remember(key, reply, generation, second, dnskeys, qtype, rcode) {
      if (entries.size >= maxEntries) entries.clear();
      entries.set(key.key, { reply, generation, second, dnskeys, qtype, rcode });
    },
  };
}
