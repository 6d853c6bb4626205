/**
 * The zone's key set as the store keeps it (one JSON document, `dnssec_keysets`): read back and
 * checked, written, made for a first start, and turned into the keys that sign. The document comes
 * from the database, which anybody with write access to it can change: it is untrusted input, so a
 * document that is not ours fails with a KeysetError naming what is wrong, never with a crash.
 */
import { z } from 'zod';
import { generatePrivateKeyPem, signingKeyFromPem, type DnssecAlgorithm, type SigningKey } from './keys';
import type { KeyRing, KeysetDocument, StoredZoneKey } from './types';

/** A stored key set that cannot be used: not JSON, not our shape, or a key that does not load. */
export class KeysetError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`DNSSEC key set: ${message}`, options);
    this.name = 'KeysetError';
  }
}

/** A key set holds one key, two during a rollover; a few more is already not ours. */
const MAX_KEYS = 4;
/** A P-256 or Ed25519 PKCS#8 PEM is about 250 bytes. */
const MAX_PEM = 8192;

const seconds = z.number().int().nonnegative();

const keySchema = z.object({
  algorithm: z.union([z.literal(13), z.literal(15)]),
  privateKeyPem: z.string().min(1).max(MAX_PEM),
  createdAt: seconds,
  role: z.enum(['active', 'incoming', 'retiring']),
});

const rolloverSchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('await-new-ds'), startedAt: seconds, dsAllowedAt: seconds }),
  z.object({
    phase: z.literal('await-old-ds-removal'),
    startedAt: seconds,
    stepAt: seconds,
    oldDsGoneAt: seconds.optional(),
    removeAllowedAt: seconds.optional(),
  }),
]);

const documentSchema = z.object({
  keys: z.array(keySchema).min(1).max(MAX_KEYS),
  rollover: rolloverSchema.optional(),
});

/** Reads a stored document; KeysetError when it is not JSON or not a key set's shape. */
export function parseKeysetDocument(text: string): KeysetDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new KeysetError('the stored document is not JSON', { cause: err });
  }
  const result = documentSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? 'the document' : issue.path.map(String).join('.');
    throw new KeysetError(`the stored document is not a key set: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

/** The document as stored: only the fields of the shape, in a fixed order. */
export function serializeKeysetDocument(doc: KeysetDocument): string {
  const keys = doc.keys.map((k): StoredZoneKey => ({ algorithm: k.algorithm, privateKeyPem: k.privateKeyPem, createdAt: k.createdAt, role: k.role }));
  return JSON.stringify(doc.rollover === undefined ? { keys } : { keys, rollover: doc.rollover });
}

/** A first start's key set: one new CSK of `algorithm`, active (RFC 6781 §3.1.1: one key for an online-signed zone). */
export function newKeysetDocument(algorithm: DnssecAlgorithm, nowSeconds: number): KeysetDocument {
  return { keys: [{ algorithm, privateKeyPem: generatePrivateKeyPem(algorithm), createdAt: Math.floor(nowSeconds), role: 'active' }] };
}

/**
 * The keys that sign, from a checked document: every key of it, whatever its role (a rollover
 * signs with both, double-signature, RFC 6781 §4.1.2), in the document's order. KeysetError when a
 * key's PEM does not load as a key of its algorithm.
 */
export function ringFromKeyset(doc: KeysetDocument, version: number): KeyRing {
  const keys = doc.keys.map((k, i): SigningKey => {
    try {
      return signingKeyFromPem(k.privateKeyPem, k.algorithm);
    } catch (err) {
      throw new KeysetError(`keys.${i}: not a private key of algorithm ${k.algorithm}`, { cause: err });
    }
  });
  return { keys, version };
}
