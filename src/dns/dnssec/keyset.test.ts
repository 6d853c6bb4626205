import { dsLine, generatePrivateKeyPem, signingKeyFromPem } from './keys';
import { KeysetError, newKeysetDocument, parseKeysetDocument, ringFromKeyset, serializeKeysetDocument } from './keyset';
import type { KeysetDocument } from './types';

const NOW = 1_750_000_000;

describe('newKeysetDocument', () => {
  test.each([13, 15] as const)('algorithm %i: one active CSK, created now, that loads', (algorithm) => {
    const doc = newKeysetDocument(algorithm, NOW + 0.7);
    expect(doc.keys).toHaveLength(1);
    expect(doc.keys[0]).toMatchObject({ algorithm, createdAt: NOW, role: 'active' });
    expect(doc.rollover).toBeUndefined();
    const ring = ringFromKeyset(doc, 1);
    expect(ring.version).toBe(1);
    expect(ring.keys.map((k) => [k.algorithm, k.dnskey.flags])).toEqual([[algorithm, 257]]);
  });

  test('makes a new key each time', () => {
    expect(newKeysetDocument(13, NOW).keys[0]?.privateKeyPem).not.toBe(newKeysetDocument(13, NOW).keys[0]?.privateKeyPem);
  });
});

describe('serialize and parse', () => {
  const rolling: KeysetDocument = {
    keys: [
      { algorithm: 13, privateKeyPem: generatePrivateKeyPem(13), createdAt: NOW - 86400, role: 'retiring' },
      { algorithm: 13, privateKeyPem: generatePrivateKeyPem(13), createdAt: NOW, role: 'incoming' },
    ],
    rollover: { phase: 'await-old-ds-removal', startedAt: NOW, stepAt: NOW + 7200, oldDsGoneAt: NOW + 9000 },
  };

  test.each([
    ['one key', newKeysetDocument(15, NOW)],
    ['a rollover waiting for the new DS', { ...newKeysetDocument(13, NOW), rollover: { phase: 'await-new-ds', startedAt: NOW, dsAllowedAt: NOW + 7200 } }],
    ['a rollover waiting for the old DS to go', rolling],
  ] as [string, KeysetDocument][])('round-trips %s', (_, doc) => {
    expect(parseKeysetDocument(serializeKeysetDocument(doc))).toEqual(doc);
  });

  test('writes only the fields of the shape', () => {
    const doc = newKeysetDocument(13, NOW);
    const extra = { ...doc, secret: 'x', keys: doc.keys.map((k) => ({ ...k, note: 'y' })) } as KeysetDocument;
    expect(Object.keys(JSON.parse(serializeKeysetDocument(extra)) as object)).toEqual(['keys']);
    expect(serializeKeysetDocument(extra)).toBe(serializeKeysetDocument(doc));
  });

  const key = { algorithm: 13, privateKeyPem: 'PEM', createdAt: NOW, role: 'active' };
  test.each([
    ['not JSON', '{"keys": [', /not JSON/],
    ['JSON null', 'null', /not a key set: the document/],
    ['an array', '[]', /not a key set/],
    ['no keys', '{}', /not a key set: keys/],
    ['an empty key list', '{"keys": []}', /not a key set: keys/],
    ['too many keys', JSON.stringify({ keys: Array(5).fill(key) }), /not a key set: keys/],
    ['an algorithm we do not sign with', JSON.stringify({ keys: [{ ...key, algorithm: 8 }] }), /keys\.0\.algorithm/],
    ['an algorithm as text', JSON.stringify({ keys: [{ ...key, algorithm: '13' }] }), /keys\.0\.algorithm/],
    ['no PEM', JSON.stringify({ keys: [{ ...key, privateKeyPem: '' }] }), /keys\.0\.privateKeyPem/],
    ['a huge PEM', JSON.stringify({ keys: [{ ...key, privateKeyPem: 'A'.repeat(9000) }] }), /keys\.0\.privateKeyPem/],
    ['a negative time', JSON.stringify({ keys: [{ ...key, createdAt: -1 }] }), /keys\.0\.createdAt/],
    ['a fractional time', JSON.stringify({ keys: [{ ...key, createdAt: 1.5 }] }), /keys\.0\.createdAt/],
    ['an unknown role', JSON.stringify({ keys: [{ ...key, role: 'standby' }] }), /keys\.0\.role/],
    ['an unknown phase', JSON.stringify({ keys: [key], rollover: { phase: 'done', startedAt: 1 } }), /rollover/],
    ['a phase without its times', JSON.stringify({ keys: [key], rollover: { phase: 'await-new-ds', startedAt: 1 } }), /rollover\.dsAllowedAt/],
  ])('refuses %s with a KeysetError naming what is wrong', (_, text, message) => {
    expect(() => parseKeysetDocument(text)).toThrow(KeysetError);
    expect(() => parseKeysetDocument(text)).toThrow(message);
  });
});

describe('ringFromKeyset', () => {
  test('signs with every key of the document, in its order, whatever the role', () => {
    const pems = [generatePrivateKeyPem(13), generatePrivateKeyPem(15)];
    const doc: KeysetDocument = {
      keys: [
        { algorithm: 13, privateKeyPem: pems[0] ?? '', createdAt: NOW, role: 'retiring' },
        { algorithm: 15, privateKeyPem: pems[1] ?? '', createdAt: NOW, role: 'incoming' },
      ],
    };
    const ring = ringFromKeyset(doc, 7);
    expect(ring.version).toBe(7);
    expect(ring.keys.map((k) => k.tag)).toEqual([signingKeyFromPem(pems[0] ?? '', 13).tag, signingKeyFromPem(pems[1] ?? '', 15).tag]);
    expect(ring.keys.map((k) => dsLine('auth.example.org', k))).toEqual(
      pems.map((p, i) => dsLine('auth.example.org', signingKeyFromPem(p, i === 0 ? 13 : 15))),
    );
  });

  test.each([
    ['a PEM that is no key', 'not a pem'],
    ['a key of another algorithm', generatePrivateKeyPem(15)],
  ])('refuses %s with a KeysetError naming the key, never showing the PEM', (_, pem) => {
    const doc: KeysetDocument = { keys: [{ algorithm: 13, privateKeyPem: pem, createdAt: NOW, role: 'active' }] };
    expect(() => ringFromKeyset(doc, 1)).toThrow(KeysetError);
    expect(() => ringFromKeyset(doc, 1)).toThrow('DNSSEC key set: keys.0: not a private key of algorithm 13');
    try {
      ringFromKeyset(doc, 1);
    } catch (err) {
      expect(String(err)).not.toContain(pem);
    }
  });
});
