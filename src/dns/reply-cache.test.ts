/** The reply cache's keys, shapes and validity (the handler's use of it: test/dns-reply-cache.test.ts). */
import { createReplyCache, isPlainLabelAt, labelBelow, matchesModel, modelOf, shapeOf, wireName, type ReplyKey } from './reply-cache';

/** A query: header (id, flags), one question, then `tail` (an OPT record, say). */
function query(id: number, labels: readonly string[], type = 16, flags = 0x0100, tail: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(id, 0);
  head.writeUInt16BE(flags, 2);
  head.writeUInt16BE(1, 4);
  head.writeUInt16BE(tail.length > 0 ? 1 : 0, 10);
  const name = Buffer.from(wireName(labels), 'latin1');
  const question = Buffer.from([type >> 8, type & 0xff, 0, 1]);
  return Buffer.concat([head, name, question, tail]);
}

const APEX = ['auth', 'example', 'org'];
const OPT = Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]);

function keyOf(msg: Buffer): ReplyKey {
  const key = createReplyCache().keyOf(msg);
  if (key === undefined) throw new Error('no key');
  return key;
}

describe('keyOf', () => {
  test('the same key whatever the ID and the case of the name; nameEnd after the root label', () => {
    const a = keyOf(query(1, ['acct', ...APEX]));
    const b = keyOf(query(2, ['AcCt', 'AUTH', 'Example', 'org']));
    expect(b.key).toBe(a.key);
    expect(a.nameEnd).toBe(12 + 1 + 4 + 1 + 4 + 1 + 7 + 1 + 3 + 1);
  });

  test.each<[string, Buffer, Buffer]>([
    ['type', query(1, ['acct', ...APEX], 16), query(1, ['acct', ...APEX], 6)],
    // 0x41 and 0x61: a case fold of anything but the name would make these one key.
    ['type 65 and 97', query(1, ['acct', ...APEX], 65), query(1, ['acct', ...APEX], 97)],
    // The same for the header: a 0x20 name is lowered in a copy, its header copied as it is.
    ['flags 0x0141 and 0x0161, the name in 0x20 spelling', query(1, ['AcCt', ...APEX], 16, 0x0141), query(1, ['AcCt', ...APEX], 16, 0x0161)],
    ['type 65 and 97, the name in 0x20 spelling', query(1, ['AcCt', ...APEX], 65), query(1, ['AcCt', ...APEX], 97)],
    ['RD', query(1, ['acct', ...APEX], 16, 0x0100), query(1, ['acct', ...APEX], 16, 0)],
    ['CD', query(1, ['acct', ...APEX], 16, 0x0010), query(1, ['acct', ...APEX], 16, 0)],
    ['EDNS', query(1, ['acct', ...APEX], 16, 0, OPT), query(1, ['acct', ...APEX], 16, 0)],
    ['a non-ASCII letter (DNS folds ASCII only)', query(1, ['\xc0', ...APEX]), query(1, ['\xe0', ...APEX])],
  ])('different %s: different keys', (_what, a, b) => {
    expect(keyOf(a).key).not.toBe(keyOf(b).key);
  });

  test.each<[string, Buffer]>([
    ['a response (QR set)', query(1, APEX, 6, 0x8000)],
    ['opcode NOTIFY', query(1, APEX, 6, 4 << 11)],
    ['two questions', (() => { const q = query(1, APEX); q.writeUInt16BE(2, 4); return q; })()],
    ['a compression pointer in the name', Buffer.concat([query(1, []).subarray(0, 12), Buffer.from([0xc0, 12, 0, 6, 0, 1])])],
    ['a name running past the end', query(1, APEX).subarray(0, 18)],
    ['a header only', query(1, APEX).subarray(0, 12)],
    ['longer than 512 octets', query(1, APEX, 6, 0, Buffer.alloc(600))],
  ])('no key for %s', (_what, msg) => {
    expect(createReplyCache().keyOf(msg)).toBeUndefined();
  });
});

describe('shapes', () => {
  const apexWire = wireName(APEX);

  test('one plain label below the apex: its lower-case label, and one shape for every label of that length', () => {
    const a = keyOf(query(1, ['Nx-1a2b', ...APEX]));
    const b = keyOf(query(2, ['zz_9-yy', 'AUTH', ...APEX.slice(1)]));
    expect(labelBelow(a, apexWire)).toBe('nx-1a2b');
    expect(labelBelow(b, apexWire)).toBe('zz_9-yy');
    expect(shapeOf(a, 'nx-1a2b').key).toBe(shapeOf(b, 'zz_9-yy').key);
    expect(shapeOf(a, 'nx-1a2b').key).not.toBe(a.key);
    const shorter = keyOf(query(3, ['nx-1a2', ...APEX]));
    expect(shapeOf(shorter, 'nx-1a2').key).not.toBe(shapeOf(a, 'nx-1a2b').key);
  });

  test('matchesModel, compared in place, says what equal shape keys say', () => {
    const queries = [
      query(1, ['nx-1a2b', ...APEX]),
      query(2, ['ZZ_9-YY', ...APEX]),
      query(3, ['nx-1a2', ...APEX]),
      query(4, ['nx-1a2b', ...APEX], 1),
      query(5, ['nx-1a2b', ...APEX], 16, 0),
      query(6, ['nx-1a2b', ...APEX], 16, 0x0100, OPT),
      query(7, ['other12', ...APEX], 16, 0x0100, OPT),
      query(8, ['nx-1a2b', 'auth', 'example', 'net']),
    ];
    let equal = 0;
    for (const a of queries) {
      for (const b of queries) {
        const [ka, kb] = [keyOf(a), keyOf(b)];
        const [la, lb] = [labelBelow(ka, apexWire), labelBelow(kb, apexWire)];
        // A name of another zone has no label below the apex: its shape is its key without the first label.
        const shape = (k: ReplyKey, l: string | undefined): string => shapeOf(k, l ?? k.key.slice(11, 11 + k.key.charCodeAt(10))).key;
        const want = shape(ka, la) === shape(kb, lb);
        if (want && a !== b) equal++;
        expect(matchesModel(b, modelOf(ka))).toBe(want);
      }
    }
    // The first two, and the two with EDNS, have one shape each.
    expect(equal).toBe(4);
  });

  test('isPlainLabelAt, on a query of either case, says what labelBelow says of its lower-case key (every octet)', () => {
    for (let octet = 0; octet < 256; octet++) {
      const label = `a${String.fromCharCode(octet)}z`;
      const msg = query(1, [label, ...APEX]);
      expect([octet, isPlainLabelAt(msg, 13, 3)]).toEqual([octet, labelBelow(keyOf(msg), apexWire) !== undefined]);
    }
  });

  test('matchesModel: a query differing only in its first label and the case of its name; nothing else', () => {
    const model = modelOf(keyOf(query(1, ['nx-1a2b', ...APEX], 16, 0x0100, OPT)));
    expect(matchesModel(query(9, ['QQ-ZZZZ', 'AUTH', 'Example', 'ORG'], 16, 0x0100, OPT), model)).toBe(true);
    expect(matchesModel(query(9, ['nx-1a2b', ...APEX], 16, 0x0110, OPT), model)).toBe(false);
    expect(matchesModel(query(9, ['nx-1a2b', ...APEX], 17, 0x0100, OPT), model)).toBe(false);
    expect(matchesModel(query(9, ['nx-1a2b', 'auth', 'example', 'orh'], 16, 0x0100, OPT), model)).toBe(false);
    expect(matchesModel(query(9, ['nx-1a2b', ...APEX], 16, 0x0100), model)).toBe(false);
    expect(matchesModel(query(9, ['nx-1a2b', ...APEX], 16, 0x0100, Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 0])), model)).toBe(false);
  });

  test.each<[string, readonly string[]]>([
    ['the apex', APEX],
    ['two labels below', ['a', 'b', ...APEX]],
    ['another zone', ['a', 'example', 'com']],
    ['a longer name ending like the apex', ['a', 'xauth', 'example', 'org']],
    ['a label with a dot', ['a.b', ...APEX]],
    ['a label with a space', ['a b', ...APEX]],
  ])('no label for %s', (_what, labels) => {
    expect(labelBelow(keyOf(query(1, labels)), apexWire)).toBeUndefined();
  });
});

describe('replay', () => {
  const msg = query(0x1234, ['acct', ...APEX]);
  const reply = Buffer.concat([msg, Buffer.from([0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 1, 0, 2, 1, 0x78])]);
  reply.writeUInt16BE(0x8500, 2);

  test('gives the asker ID and spelling, byte for byte otherwise', () => {
    const cache = createReplyCache();
    cache.remember(keyOf(msg), reply, 7, 100, undefined, 16, 0);
    const asked = query(0xbeef, ['ACCT', 'Auth', 'example', 'ORG']);
    const hit = cache.replay(asked, keyOf(asked), 7, 100, undefined);
    const expected = Buffer.from(reply);
    asked.copy(expected, 0, 0, 2);
    asked.copy(expected, 12, 12, keyOf(asked).nameEnd);
    expect(hit?.reply.toString('hex')).toBe(expected.toString('hex'));
    expect(hit?.reply).not.toBe(reply);
    expect([hit?.qtype, hit?.rcode]).toEqual([16, 0]);
    // The stored copy is untouched.
    expect(reply.readUInt16BE(0)).toBe(0x1234);
  });

  test.each<[string, number, number, unknown]>([
    ['another generation', 8, 100, undefined],
    ['another second', 7, 101, undefined],
    ['another DNSKEY set', 7, 100, {}],
  ])('nothing for %s', (_what, generation, second, dnskeys) => {
    const cache = createReplyCache();
    cache.remember(keyOf(msg), reply, 7, 100, undefined, 16, 0);
    expect(cache.replay(msg, keyOf(msg), generation, second, dnskeys)).toBeUndefined();
  });

  test('full: starts again, so a flood of new questions cannot grow it', () => {
    const cache = createReplyCache(2);
    const keys = ['a', 'b', 'c'].map((l) => keyOf(query(1, [l, ...APEX])));
    for (const k of keys) cache.remember(k, reply, 1, 1, undefined, 16, 0);
    expect(cache.replay(msg, keys[0] as ReplyKey, 1, 1, undefined)).toBeUndefined();
    expect(cache.replay(msg, keys[2] as ReplyKey, 1, 1, undefined)).toBeDefined();
  });
});
