import { keyTag } from './keys';
import { dnskeyRdata, nsecRdata, typeBitmaps, wireName } from './rdata';

/** The octets of RFC 4034 §4.3's NSEC example (A MX RRSIG NSEC TYPE1234), as printed there. */
const RFC4034_BITMAPS = Buffer.from([
  0x00, 0x06, 0x40, 0x01, 0x00, 0x00, 0x00, 0x03,
  0x04, 0x1b, ...new Array<number>(26).fill(0x00), 0x20,
]);

/** RFC 4034 §2.3's DNSKEY (256 3 5 ...), whose key tag is 2642 in the RRSIG example of §3.3. */
const RFC4034_DNSKEY_BASE64 =
  'AQPSKmynfzW4kyBv015MUG2DeIQ3Cbl+BBZH4b/0PY1kxkmvHjcZc8nokfzj31GajIQKY+5CptLr3buXA10hWqTkF7H6RfoRqXQeogmMHfpftf6zMv1LyBUgia7za6ZEzOJBOztyvhjL742iU/TpPSEDhm2SNKLijfUppn1UaNvv4w==';

describe('typeBitmaps (RFC 4034 §4.1.2)', () => {
  it('writes the example of RFC 4034 §4.3 octet for octet', () => {
    // A=1, MX=15, RRSIG=46, NSEC=47, TYPE1234; given out of order and with a duplicate.
    expect(typeBitmaps([1234, 47, 1, 46, 15, 1])).toEqual(RFC4034_BITMAPS);
  });

  it('puts the NXNAME type (128, RFC 9824) in window 0 at octet 16', () => {
    expect(typeBitmaps([46, 47, 128])).toEqual(Buffer.from([0, 17, ...new Array<number>(5).fill(0), 0x03, ...new Array<number>(10).fill(0), 0x80]));
  });

  it('writes nothing for no types', () => {
    expect(typeBitmaps([])).toEqual(Buffer.alloc(0));
  });
});

describe('NSEC RDATA (RFC 4034 §4.1)', () => {
  it('is the next name uncompressed, then the bit maps (the §4.3 example)', () => {
    const next = ['host', 'example', 'com'].map((l) => Buffer.from(l));
    const want = Buffer.concat([Buffer.from('04686f7374076578616d706c6503636f6d00', 'hex'), RFC4034_BITMAPS]);
    expect(nsecRdata({ type: 'NSEC', next, types: [1, 15, 46, 47, 1234] })).toEqual(want);
  });
});

describe('DNSKEY RDATA (RFC 4034 §2.1)', () => {
  const publicKey = Buffer.from(RFC4034_DNSKEY_BASE64, 'base64');
  const rdata = dnskeyRdata({ type: 'DNSKEY', flags: 256, algorithm: 5, publicKey });

  it('is flags, protocol 3, algorithm, then the key', () => {
    expect(rdata.subarray(0, 4)).toEqual(Buffer.from([0x01, 0x00, 0x03, 0x05]));
    expect(rdata.subarray(4)).toEqual(publicKey);
  });

  it('gives the key tag RFC 4034 §3.3 shows for that key', () => {
    expect(keyTag(rdata)).toBe(2642);
  });
});

describe('wireName', () => {
  it('lower-cases A-Z only when asked, bytes above 0x7f untouched', () => {
    expect(wireName(['aBc', 'X\xc4'], true)).toEqual(Buffer.from([3, 0x61, 0x62, 0x63, 2, 0x78, 0xc4, 0]));
    expect(wireName(['aBc'])).toEqual(Buffer.from([3, 0x61, 0x42, 0x63, 0]));
  });
});
