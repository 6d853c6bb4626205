import { isStorableTxt, isValidAllowFrom, isValidKey, isValidSubdomain, isValidTxt, MAX_UPDATE_TXT_OCTETS, sanitizeAllowFrom } from './validation';

describe('isValidKey (acme-dns TestValidKey + edges)', () => {
  test.each<[string, boolean]>([
    ['', false],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', true],
    ['aaaaaaaa-aaa-aaaaaa-aaaaaaaa-aaa_aacaaaa', true],
    ['aaaaaaaa-aaa-aaaaaa#aaaaaaaa-aaa_aacaaaa', false],
    ['aaaaaaaa-aaa-aaaaaa-aaaaaaaa-aaa_aacaaaaa', false],
    ['tooshortpass', false],
    ['LongEnoughPassButNoUserExists___________', true],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n', false],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaé', false],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=', false],
  ])('%j -> %s', (key, ok) => expect(isValidKey(key)).toBe(ok));
});

describe('isValidSubdomain (acme-dns TestGetValidSubdomain + edges)', () => {
  test.each<[string, boolean]>([
    ['a097455b-52cc-4569-90c8-7a4b97c6eba8', true],
    ['a-97455b-52cc-4569-90c8-7a4b97c6eba8', true],
    ['foo.example.com', false],
    ['foo-example-com', true],
    ['', false],
    ["&!#!25123!%!'%", false],
    ['a', true],
    ['-a', false],
    ['a-', false],
    ['under_score', false],
    ['A'.repeat(63), true],
    ['A'.repeat(64), false],
    ['ok\n', false],
  ])('%j -> %s', (s, ok) => expect(isValidSubdomain(s)).toBe(ok));
});

describe('isValidTxt (acme-dns TestValidTXT + edges)', () => {
  test.each<[string, boolean]>([
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', true],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', false],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaa#aaaaaaaaaaaaaa', false],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', false],
    ['', false],
    ['tooshortfortxt', false],
    ['idk m8 bbl lmao', false],
    ['LPsIwTo7o8BoG0-vjCyGQGBWSVIPxI-i_X336eUOQZo', true],
    ['LPsIwTo7o8BoG0-vjCyGQGBWSVIPxI-i_X336eUOQZ.', false],
    ['LPsIwTo7o8BoG0+vjCyGQGBWSVIPxI/i_X336eUOQZo', false],
  ])('%j -> %s', (s, ok) => expect(isValidTxt(s)).toBe(ok));
});

describe('isValidAllowFrom (Go net.ParseCIDR after stripping brackets)', () => {
  test.each<[string, boolean]>([
    // acme-dns TestApiRegister / README
    ['123.123.123.123/32', true],
    ['2001:db8:a0b:12f0::1/32', true],
    ['[::1]/64', true],
    ['192.168.100.1/24', true],
    ['1.2.3.4/32', true],
    ['2002:c0a8:2a00::0/40', true],
    ['10.0.0.1/24', true],
    ['2002:c0a8::0/32', true],
    // acme-dns TestApiRegisterBadAllowFrom
    ['invalid', false],
    ['1.2.3.4/33', false],
    ['1.2/24', false],
    ['1.2.3.4', false],
    ['12345:db8:a0b:12f0::1/32', false],
    ['1234::123::123::1/32', false],
    // Go details
    ['0.0.0.0/0', true],
    ['::/0', true],
    ['::/128', true],
    ['::/129', false],
    ['1.2.3.4/024', true],
    ['1.2.3.4/', false],
    ['/24', false],
    ['1.2.3.4/-1', false],
    ['1.2.3.4/+8', false],
    ['1.2.3.4/24/8', false],
    ['01.2.3.4/24', false],
    ['1.2.3.256/24', false],
    ['1.2.3.4.5/24', false],
    ['1..3.4/24', false],
    [' 1.2.3.4/24', false],
    ['1.2.3.4/24 ', false],
    ['::ffff:1.2.3.4/120', true],
    ['::1.2.3.4/120', true],
    ['1:2:3:4:5:6:1.2.3.4/128', true],
    ['1:2:3:4:5:1.2.3.4/128', false],
    ['1:2:3:4:5:6:7:8/64', true],
    ['1:2:3:4:5:6:7:8:9/64', false],
    ['1:2:3:4:5:6:7::8/64', false],
    ['1:2:3:4:5:6:7/64', false],
    ['fe80::1%eth0/64', false],
    ['::ffff:01.2.3.4/120', false],
    ['[2001:db8::]/32', true],
    ['2001:db8::]/32', true],
    ['', false],
  ])('%j -> %s', (s, ok) => expect(isValidAllowFrom(s)).toBe(ok));

  test.each<[string, string]>([
    ['[::1]/64', '::1/64'],
    ['[[2001:db8::]]/32', '2001:db8::/32'],
    ['10.0.0.1/24', '10.0.0.1/24'],
  ])('sanitize %j -> %j (stored as given, brackets removed)', (s, out) => expect(sanitizeAllowFrom(s)).toBe(out));
});

describe('isStorableTxt (RFC 2136 values)', () => {
  test.each<[string, boolean]>([
    ['a'.repeat(43), true],
    ['v=spf1 -all', true],
    ['ü'.repeat(MAX_UPDATE_TXT_OCTETS / 2), true],
    ['ü'.repeat(MAX_UPDATE_TXT_OCTETS / 2) + 'a', false],
    ['', false],
    ['a\0b', false],
  ])('%j -> %s', (s, ok) => expect(isStorableTxt(s)).toBe(ok));
});
