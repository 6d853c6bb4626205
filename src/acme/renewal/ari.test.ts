import { ariCertId, parseRenewalInfo, retryAfterAt } from './ari';
import { certificateIds, readTlv } from './der';

/**
 * A leaf whose issuer's key identifier and serial are those of RFC 9773 §4.1's example
 * (made with openssl: CA subjectKeyIdentifier 69:88:5B:…:C8:D4, leaf serial 0x87654321).
 */
const RFC_EXAMPLE_LEAF = `-----BEGIN CERTIFICATE-----
MIIBfjCCASSgAwIBAgIFAIdlQyEwCgYIKoZIzj0EAwIwGTEXMBUGA1UEAwwOYXJp
LWZpeHR1cmUtY2EwIBcNMjYxMTIzMTE0NDU4WhgPMjEyNjEwMzAxMTQ0NThaMBYx
FDASBgNVBAMMC2FyaS5leGFtcGxlMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
utXRKIgYrCNFI7gmDcul8rECKy2z0CjBQ/epW2CWxBeIYkAwK/Ov2wTBZsUAquQy
kJjuuY1lnQKBrYrG06HxkKNaMFgwFgYDVR0RBA8wDYILYXJpLmV4YW1wbGUwHwYD
VR0jBBgwFoAUaYhba4dGQEHhs3uEe6CuLN4ByNQwHQYDVR0OBBYEFIaq0/HgVmCJ
5sfzhzyUMx7YPbXaMAoGCCqGSM49BAMCA0gAMEUCIEfcq6oPDA6bbiHauQ+AbU9j
xsyRNZjbysaaXQ3x8uRyAiEAkbQnRUL3CH0WVBxpNfbIe5waRtGuUG+IA8Bntwo5
ymE=
-----END CERTIFICATE-----
`;

/** A self-signed certificate with neither a subject nor an authority key identifier. */
const NO_AKI = `-----BEGIN CERTIFICATE-----
MIIBNjCB3aADAgECAhQ+wkFSh6prGQ3wMRvKe7cQUypWajAKBggqhkjOPQQDAjAQ
MQ4wDAYDVQQDDAVub2FraTAgFw0yNjExMjMxMTQ0NThaGA8yMTI2MTAzMDExNDQ1
OFowEDEOMAwGA1UEAwwFbm9ha2kwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATy
RNOhlW4VZB9vW/BADXPUG9otX+OP4GHYBMwdfKMsugBt0v04qsMvEmkj3Dj0Lu5k
C1OTJWM0WDvY4SzlLACsoxMwETAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMC
A0gAMEUCIQChsLX16IwJANhqKeIjWyesMZCdQkGCWGUcQ3/RSefWOwIgG6FOVYAF
OEO0myrYYO8yBHWE1pzGQ8aLWczE9xSd4XI=
-----END CERTIFICATE-----
`;

describe('ariCertId (RFC 9773 §4.1)', () => {
  it('matches the RFC example: base64url(AKI keyIdentifier) "." base64url(serial DER octets)', () => {
    expect(ariCertId(RFC_EXAMPLE_LEAF)).toBe('aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE');
  });

  it('keeps the leading zero octet of a serial whose high bit is set', () => {
    const { serial } = certificateIds(Buffer.from(RFC_EXAMPLE_LEAF.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64'));
    expect(serial.toString('hex')).toBe('0087654321');
  });

  it('is undefined for a certificate without an AKI', () => {
    expect(ariCertId(NO_AKI)).toBeUndefined();
  });
});

describe('readTlv', () => {
  it.each([
    ['short form', '0403616263', 0x04, 'abc'],
    ['long form', '04810361626' + '3', 0x04, 'abc'],
  ])('%s', (_label, hex, tag, content) => {
    const tlv = readTlv(Buffer.from(hex, 'hex'));
    expect(tlv.tag).toBe(tag);
    expect(tlv.content.toString()).toBe(content);
  });

  it.each([
    ['truncated header', '04'],
    ['length past the end', '0405616263'],
    ['zero-octet long form', '0480'],
    ['multi-byte tag', '1f0100'],
  ])('rejects %s', (_label, hex) => {
    expect(() => readTlv(Buffer.from(hex, 'hex'))).toThrow(/DER/);
  });
});

describe('parseRenewalInfo (RFC 9773 §4.2)', () => {
  const recheckAt = 1_000;
  it.each<[string, unknown, { start: number; end: number } | undefined]>([
    [
      'a valid window',
      { suggestedWindow: { start: '2025-01-02T04:00:00Z', end: '2025-01-03T04:00:00Z' } },
      { start: Date.parse('2025-01-02T04:00:00Z'), end: Date.parse('2025-01-03T04:00:00Z') },
    ],
    ['end before start', { suggestedWindow: { start: '2025-01-03T04:00:00Z', end: '2025-01-02T04:00:00Z' } }, undefined],
    ['no window', { explanationURL: 'https://example.test' }, undefined],
    ['not a date', { suggestedWindow: { start: 'soon', end: 'later' } }, undefined],
    ['numbers instead of strings', { suggestedWindow: { start: 1, end: 2 } }, undefined],
    ['not an object', 'window', undefined],
    ['null', null, undefined],
  ])('%s', (_label, body, window) => {
    const info = parseRenewalInfo(body, recheckAt);
    expect(info?.window).toEqual(window);
    if (info) expect(info.recheckAt).toBe(recheckAt);
  });

  it('keeps the explanation URL', () => {
    const body = { suggestedWindow: { start: '2025-01-02T04:00:00Z', end: '2025-01-03T04:00:00Z' }, explanationURL: 'https://ca.test/why' };
    expect(parseRenewalInfo(body, 0)?.explanationUrl).toBe('https://ca.test/why');
  });
});

describe('retryAfterAt (RFC 9110 §10.2.3)', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it.each<[string | string[] | undefined, number | undefined]>([
    ['120', now + 120_000],
    [' 0 ', now],
    ['Wed, 01 Jan 2025 06:00:00 GMT', Date.parse('2025-01-01T06:00:00Z')],
    [['60', '120'], now + 60_000],
    ['', undefined],
    ['soon', undefined],
    [undefined, undefined],
  ])('%j', (header, expected) => {
    expect(retryAfterAt(header, now)).toBe(expected);
  });
});
