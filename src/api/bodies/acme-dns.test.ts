import { ApiError } from '../errors';
import { decodeRegisterBody, decodeUpdateBody, firstObject, foldKey } from './acme-dns';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('decodeRegisterBody (json.Unmarshal into ACMETxt)', () => {
  test.each<[string, string[]]>([
    ['', []],
    ['{}', []],
    ['null', []],
    [' {} ', []],
    ['{"allowfrom":["1.2.3.4/32"]}', ['1.2.3.4/32']],
    ['{"AllowFrom":["1.2.3.4/32"]}', ['1.2.3.4/32']],
    ['{"ALLOWFROM":["1.2.3.4/32"]}', ['1.2.3.4/32']],
    ['{"allowfrom":["1.2.3.4/32"]}\n', ['1.2.3.4/32']],
    ['{"allowfrom": ["192.168.100.1/24", "1.2.3.4/32"]}', ['192.168.100.1/24', '1.2.3.4/32']],
    ['{"allowfrom":null}', []],
    ['{"allowfrom":[null]}', ['']],
    ['{"allowfrom":["a/1"],"AllowFrom":["b/2"]}', ['b/2']],
    ['{"other":{"deep":[1,2,{"x":null}]},"allowfrom":[]}', []],
    ['{"username":"a097455b-52cc-4569-90c8-7a4b97c6eba8","password":"p","subdomain":"s","txt":"t"}', []],
    ['{"username":null,"password":null}', []],
  ])('%j -> %j', (body, allow) => {
    expect(decodeRegisterBody(b(body)).allowFrom).toEqual(allow);
  });

  test.each<string>([
    // acme-dns TestApiRegisterMalformedJSON
    `{"allowfrom': '1.1.1.1/32'}`,
    `"allowfrom": "1.1.1.1/32"`,
    `{"allowfrom": "[1.1.1.1/32]"`,
    `"allowfrom": "1.1.1.1/32"}`,
    '{allowfrom: "1.2.3.4"}',
    '{allowfrom: [1.2.3.4]}',
    "whatever that's not a json payload",
    // wrong types (reference §1.1)
    '{"allowfrom":"1.1.1.1/32"}',
    '{"allowfrom":[1]}',
    '{"allowfrom":[["1.1.1.1/32"]]}',
    '{"allowfrom":{}}',
    '{"username":"not-a-uuid"}',
    '{"username":5}',
    '{"password":5}',
    '{"subdomain":true}',
    '{"txt":[]}',
    '[]',
    '[{"allowfrom":[]}]',
    '5',
    '"x"',
    'true',
    ' ',
    '\n',
    '{} {}',
    '{"allowfrom":[]}x',
    '\u0000',
    '{"allowfrom":["1.2.3.4/32"\u0000]}',
    '\ufeff{}',
  ])('%j -> 400 malformed_json_payload', (body) => {
    expect(() => decodeRegisterBody(b(body))).toThrow(ApiError);
    try {
      decodeRegisterBody(b(body));
    } catch (err) {
      expect((err as ApiError).code).toBe('malformed_json_payload');
    }
  });

  test('invalid UTF-8 inside a string is replaced, not an error (as Go)', () => {
    const raw = Buffer.concat([b('{"allowfrom":["'), Buffer.from([0xff, 0xfe]), b('"]}')]);
    expect(decodeRegisterBody(raw).allowFrom).toEqual(['\ufffd\ufffd']);
  });
});

describe('decodeUpdateBody (json.Decoder.Decode into ACMETxt, errors ignored)', () => {
  const S = 'a097455b-52cc-4569-90c8-7a4b97c6eba8';
  const T = 'LPsIwTo7o8BoG0-vjCyGQGBWSVIPxI-i_X336eUOQZo';
  test.each<[string, string, string]>([
    [`{"subdomain":"${S}","txt":"${T}"}`, S, T],
    [`{"SubDomain":"${S}","Txt":"${T}"}`, S, T],
    [`{"subdomain":"${S}", "txt": "${T}"}`, S, T],
    [`{"subdomain": "${S}", "txt": "${T}"}\n`, S, T],
    [`{"subdomain":"${S}","txt":123}`, S, ''],
    [`{"subdomain":"${S}","txt":{"a":"b"}}`, S, ''],
    [`{"subdomain":"${S}","txt":null}`, S, ''],
    [`{"subdomain":"${S}"}`, S, ''],
    [`{"subdomain":"${S}","SUBDOMAIN":5}`, S, ''],
    [`{"subdomain":123,"txt":"${T}"}`, '', T],
    // first value only; what follows is never read
    [`{"subdomain":"${S}","txt":"${T}"}garbage`, S, T],
    [`{"subdomain":"${S}","txt":"${T}"}{"subdomain":"x"}`, S, T],
    [`  \n{"subdomain":"${S}","txt":"${T}"}`, S, T],
    [`{"subdomain":"${S}","txt":"${T}","nested":{"a":["}"]}}`, S, T],
    // syntax errors decode nothing
    [`{"subdomain":"${S}","txt":"${T}"`, '', ''],
    [`{"subdomain":"${S}",}`, '', ''],
    [`{subdomain:"${S}"}`, '', ''],
    [`["${S}"]`, '', ''],
    ['', '', ''],
    ['null', '', ''],
    ['\u0000', '', ''],
    [`subdomain=${S}&txt=${T}`, '', ''],
    // a non-UUID username aborts the decode where it stands
    [`{"username":"bad","subdomain":"${S}","txt":"${T}"}`, '', ''],
    [`{"subdomain":"${S}","username":"bad","txt":"${T}"}`, S, ''],
    [`{"username":5,"subdomain":"${S}","txt":"${T}"}`, S, T],
    [`{"username":"${S}","subdomain":"${S}","txt":"${T}"}`, S, T],
  ])('%j -> subdomain %j txt %j', (body, subdomain, txt) => {
    expect(decodeUpdateBody(b(body))).toEqual({ subdomain, txt });
  });
});

describe('firstObject / foldKey', () => {
  test.each<[string, string | undefined]>([
    ['{}', '{}'],
    [' {"a":"}"} x', '{"a":"}"}'],
    ['{"a":"\\"}"}', '{"a":"\\"}"}'],
    ['{"a":[{}]}]', '{"a":[{}]}'],
    ['{', undefined],
    ['[{}]', undefined],
    ['x{}', undefined],
  ])('firstObject(%j) -> %j', (s, out) => expect(firstObject(s)).toBe(out));

  test.each<[string, string]>([
    ['SubDomain', 'subdomain'],
    ['TXT', 'txt'],
    ['\u017fubdomain', 'subdomain'],
    ['allowfrom', 'allowfrom'],
  ])('foldKey(%j) -> %j', (k, out) => expect(foldKey(k)).toBe(out));
});
