import { buildUpdate, CLASS, recordBytes, TYPE } from '../../../test/support/dns-update';
import { optRecord } from '../../../test/support/dns-message';
import { decodeUpdate, MAX_PREREQUISITES, MAX_UDP_UPDATE_BYTES, MAX_UPDATES, readTxtStrings } from './decode';

const NAME = 'acct.auth.example.org';
const tsigLike = recordBytes({ name: 'key', type: TYPE.TSIG, klass: CLASS.ANY, rdata: Buffer.from([1, 2, 3]) });

function decoded(bytes: Buffer, transport: 'udp' | 'tcp' = 'tcp') {
  const d = decodeUpdate(bytes, transport);
  if (d.kind !== 'update') throw new Error(`not an update: ${d.kind} ${'reason' in d ? d.reason : ''}`);
  return d.message;
}

describe('decodeUpdate', () => {
  test('sections, records, TXT strings, zone bytes echoed, TSIG position', () => {
    const bytes = buildUpdate({
      id: 7,
      prerequisites: [{ name: NAME, type: TYPE.TXT, klass: CLASS.NONE }],
      updates: [{ name: 'ACCT.auth.example.org', type: TYPE.TXT, ttl: 60, txt: ['a', 'bc'] }],
      additional: [optRecord({ udpSize: 1232 }), tsigLike],
    });
    const m = decoded(bytes);
    expect(m.header).toEqual({ id: 7, opcode: 5, rd: false, cd: false });
    expect(m.zones).toEqual([{ labels: ['auth', 'example', 'org'], type: TYPE.SOA, class: CLASS.IN }]);
    expect(m.zoneBytes?.length).toBe(18 + 4);
    expect(m.prerequisites).toEqual([{ labels: ['acct', 'auth', 'example', 'org'], type: TYPE.TXT, class: CLASS.NONE, ttl: 0, rdata: Buffer.alloc(0), txt: undefined }]);
    expect(m.updates[0]?.labels).toEqual(['ACCT', 'auth', 'example', 'org']);
    expect(m.updates[0]?.ttl).toBe(60);
    expect(m.updates[0]?.txt?.map(String)).toEqual(['a', 'bc']);
    expect(m.edns).toEqual({ udpSize: 1232, version: 0, dnssecOk: false });
    expect(m.tsig).toEqual({ start: bytes.length - tsigLike.length, end: bytes.length });
  });

  test('unsigned: no TSIG position', () => {
    expect(decoded(buildUpdate({})).tsig).toBeUndefined();
  });

  const formerrs: ReadonlyArray<readonly [string, Buffer]> = [
    ['PRCOUNT larger than the records', buildUpdate({ counts: [1, 1, 0, 0] })],
    ['UPCOUNT smaller than the records', buildUpdate({ updates: [{ name: NAME, type: TYPE.TXT, txt: ['v'] }], counts: [1, 0, 0, 0] })],
    ['ZOCOUNT larger than the zones', buildUpdate({ counts: [2, 0, 0, 0] })],
    ['TSIG not last', buildUpdate({ additional: [tsigLike, optRecord({ udpSize: 512 })] })],
    ['two TSIGs', buildUpdate({ additional: [tsigLike, tsigLike] })],
    ['TSIG among the updates', buildUpdate({ updates: [{ name: 'key', type: TYPE.TSIG, klass: CLASS.ANY }] })],
    ['OPT among the prerequisites', buildUpdate({ prerequisites: [{ name: '', type: TYPE.OPT }] })],
    ['two OPTs', buildUpdate({ additional: [optRecord({ udpSize: 512 }), optRecord({ udpSize: 512 })] })],
    ['TXT string past its RDATA', buildUpdate({ updates: [{ name: NAME, type: TYPE.TXT, rdata: Buffer.from([5, 0x61]) }] })],
    ['truncated TSIG', buildUpdate({ additional: [tsigLike.subarray(0, tsigLike.length - 2)] })],
    ['RDLENGTH past the end', Buffer.concat([buildUpdate({ counts: [1, 0, 1, 0] }), recordBytes({ name: NAME, type: TYPE.TXT, txt: ['abc'] }).subarray(0, -1)])],
    ['trailing bytes', Buffer.concat([buildUpdate({}), Buffer.from([0])])],
    ['a pointer loop in an owner', Buffer.concat([buildUpdate({ counts: [1, 0, 1, 0] }), Buffer.from([0xc0, 0x22, 0, 16, 0, 1, 0, 0, 0, 0, 0, 0])])],
  ];
  test.each(formerrs)('FORMERR: %s', (_what, bytes) => {
    expect(decodeUpdate(bytes, 'tcp').kind).toBe('formerr');
  });

  test('bounds: refused before reading records', () => {
    const big = buildUpdate({ updates: [{ name: NAME, type: TYPE.TXT, txt: Array.from({ length: 20 }, () => 'x'.repeat(255)) }] });
    expect(big.length).toBeGreaterThan(MAX_UDP_UPDATE_BYTES);
    expect(decodeUpdate(big, 'udp').kind).toBe('refused');
    expect(decodeUpdate(big, 'tcp').kind).toBe('update');
    expect(decodeUpdate(buildUpdate({ counts: [1, MAX_PREREQUISITES + 1, 0, 0] }), 'tcp').kind).toBe('refused');
    expect(decodeUpdate(buildUpdate({ counts: [1, 0, MAX_UPDATES + 1, 0] }), 'tcp').kind).toBe('refused');
    const many = Array.from({ length: MAX_UPDATES }, (_, i) => ({ name: NAME, type: TYPE.TXT, txt: [`v${i}`] }));
    expect(decodeUpdate(buildUpdate({ updates: many }), 'tcp').kind).toBe('update');
  });

  test('dropped: no header, or a response', () => {
    expect(decodeUpdate(Buffer.alloc(11), 'udp').kind).toBe('drop');
    const response = buildUpdate({});
    response.writeUInt16BE(response.readUInt16BE(2) | 0x8000, 2);
    expect(decodeUpdate(response, 'udp').kind).toBe('drop');
  });
});

describe('readTxtStrings', () => {
  test.each([
    [[1, 0x61], ['a']],
    [[0], ['']],
    [[1, 0x61, 0], ['a', '']],
  ])('%j', (bytes, strings) => {
    expect(readTxtStrings(Buffer.from(bytes)).map(String)).toEqual(strings);
  });
  test('a length past the end throws', () => {
    expect(() => readTxtStrings(Buffer.from([2, 0x61]))).toThrow();
  });
});
