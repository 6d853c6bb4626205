/**
 * Replies to an account's name made from another account's reply. A query for `<label>.<apex>`
 * whose label is an account's gets, from the full path, a reply that depends on the label only
 * through the question's name (every owner in it is a pointer to that name: wire.ts encodeOwner)
 * and on the account only through its values' octets (one TXT character-string each: answer.ts
 * txtStrings). So once the full path has answered one account of a query shape (the exact query
 * but the label's octets, reply-cache.ts shapeOf) with values of given lengths, the reply for any
 * other account of that shape and those lengths is the same bytes with the asker's ID, the
 * asker's name and that account's values written in. A random-account load, whose names never
 * repeat and so never hit the reply cache, is then answered by a copy instead of decode, answer
 * and encode (about a tenth of the cost in the process).
 *
 * That reasoning is checked rather than trusted: a template serves only once the full path's
 * reply for a second account equalled the template filled for it, byte for byte; a shape whose
 * check failed is never templated again. Like cached replies, a template is valid for the store
 * generation, the second and the DNSKEY set it was built for.
 */
import { replyFor } from './reply-cache';

/** Shapes at most; full, the map starts again (the shapes of real traffic are a handful). */
export const MAX_SHAPES = 1024;

/** Templates per shape at most (one per list of value lengths); full, the oldest goes. */
export const MAX_PER_SHAPE = 8;

/** The template of one shape and list of value lengths. */
export interface ReplyTemplate {
  readonly reply: Buffer;
  /** The values' lengths in octets. */
  readonly lengths: readonly number[];
  /** Where each value's octets start in `reply`, in the account's value order. */
  readonly holes: readonly number[];
  /** The account (label) whose reply it is: the check needs another. */
  readonly label: string;
  readonly generation: number;
  readonly second: number;
  readonly dnskeys: unknown;
  /** For the metrics of an answer made from it. */
  readonly qtype: number;
  readonly rcode: number;
  /** Set once a second account's full-path reply equalled this template filled for it. */
  verified: boolean;
}

/** Whether `values` have exactly these lengths in octets. */
function fits(lengths: readonly number[], values: readonly string[]): boolean {
  if (lengths.length !== values.length) return false;
  for (let i = 0; i < values.length; i++) if (Buffer.byteLength(values[i] as string, 'utf8') !== lengths[i]) return false;
  return true;
}

/** The key a refuted shape and list of lengths is remembered by. */
function refutedKey(shapeKey: string, lengths: readonly number[]): string {
  return `${shapeKey}\u0000${lengths.join(',')}`;
}
/**
 * Where each value's octets sit in `reply` after `from` (the end of the question): in order, each
 * right after its length octet (one character-string, RFC 1035 §3.3.14). Undefined when one is
 * not found so, or is longer than one character-string holds (several strings: answer.ts).
 */
export function findHoles(reply: Buffer, from: number, values: readonly string[]): number[] | undefined {
  const holes: number[] = [];
  let at = from;
  for (const v of values) {
    const bytes = Buffer.from(v, 'utf8');
    if (bytes.length > 255) return undefined;
    const found = reply.indexOf(Buffer.concat([Buffer.from([bytes.length]), bytes]), at);
    if (found < 0) return undefined;
    holes.push(found + 1);
    at = found + 1 + bytes.length;
  }
  return holes;
}

/** The template filled for the query `msg` (name ending at `nameEnd`) and `values` (the key's lengths). */
export function fill(template: ReplyTemplate, msg: Buffer, nameEnd: number, values: readonly string[]): Buffer {
  // The asker's ID and name (same length: the same shape), then each value in its hole.
  const reply = replyFor(template.reply, msg, nameEnd);
  for (let i = 0; i < values.length; i++) reply.write(values[i] as string, template.holes[i] as number, 'utf8');
  return reply;
}

/** The templates of one handler, by shape key (reply-cache.ts shapeOf). */
export interface ReplyTemplates {
  /** The template for this shape, the values' lengths, generation, second and DNSKEY set (verified or not); undefined when none. */
  get(shapeKey: string, values: readonly string[], generation: number, second: number, dnskeys: unknown): ReplyTemplate | undefined;
  /**
   * Makes the full path's reply `reply` to account `label`'s query (name ending at `nameEnd`)
   * an unverified template of the shape, when its values are found in it and the shape with
   * these lengths was never refuted.
   */
  learn(shapeKey: string, label: string, reply: Buffer, nameEnd: number, values: readonly string[], valid: Validity): void;
  /** Checks `template` against `reply`, the full path's reply for `msg` (another account): verified, or refuted. */
  check(shapeKey: string, template: ReplyTemplate, msg: Buffer, nameEnd: number, values: readonly string[], reply: Buffer): void;
}

/** What a learned template is valid for, and its metrics. */
export interface Validity {
  readonly generation: number;
  readonly second: number;
  readonly dnskeys: unknown;
  readonly qtype: number;
  readonly rcode: number;
}

/** Octets of the question's fixed part after the name: QTYPE and QCLASS. */
const QUESTION_TAIL = 4;

/** A new, empty set of templates. */
export function createReplyTemplates(maxShapes = MAX_SHAPES): ReplyTemplates {
  const shapes = new Map<string, ReplyTemplate[]>();
  // Shapes and lengths whose template was wrong once: answered by the full path for the process's life.
  const refuted = new Set<string>();
  return {
    get(shapeKey, values, generation, second, dnskeys) {
      const list = shapes.get(shapeKey);
      if (list === undefined) return undefined;
      for (const t of list) {
        if (fits(t.lengths, values)) return t.generation === generation && t.second === second && t.dnskeys === dnskeys ? t : undefined;
      }
      return undefined;
    },
    learn(shapeKey, label, reply, nameEnd, values, valid) {
      const lengths = values.map((v) => Buffer.byteLength(v, 'utf8'));
      if (refuted.has(refutedKey(shapeKey, lengths))) return;
      const holes = findHoles(reply, nameEnd + QUESTION_TAIL, values);
      if (holes === undefined) return;
      let list = shapes.get(shapeKey);
      if (list === undefined) {
        if (shapes.size >= maxShapes) shapes.clear();
        list = [];
        shapes.set(shapeKey, list);
      }
      const template: ReplyTemplate = { reply, lengths, holes, label, ...valid, verified: false };
      const same = list.findIndex((t) => fits(t.lengths, values));
      if (same >= 0) list[same] = template;
      else {
        if (list.length >= MAX_PER_SHAPE) list.shift();
        list.push(template);
      }
    },
    check(shapeKey, template, msg, nameEnd, values, reply) {
      if (fill(template, msg, nameEnd, values).equals(reply)) {
        template.verified = true;
        return;
      }
      const list = shapes.get(shapeKey);
      const at = list?.indexOf(template) ?? -1;
      if (at >= 0) list?.splice(at, 1);
      if (refuted.size >= maxShapes) refuted.clear();
      refuted.add(refutedKey(shapeKey, template.lengths));
    },
  };
}
