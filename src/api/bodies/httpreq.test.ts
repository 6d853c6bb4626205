import { ApiError } from '../errors';
import { basicCredentials, decodeHttpreqBody, dns01Value } from './httpreq';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const V = 'A'.repeat(43);

describe('basicCredentials (RFC 7617)', () => {
  test.each<[string, string | undefined, { user: string | undefined; key: string | undefined }]>([
    ['lego SetBasicAuth', `Basic ${b64('user:pass')}`, { user: 'user', key: 'pass' }],
    ['scheme in any case, extra blanks', `bAsIc   ${b64('user:pass')} `, { user: 'user', key: 'pass' }],
    ['the password keeps later colons', `Basic ${b64('user:pa:ss')}`, { user: 'user', key: 'pa:ss' }],
    ['empty password', `Basic ${b64('user:')}`, { user: 'user', key: '' }],
    ['no colon', `Basic ${b64('user')}`, { user: undefined, key: undefined }],
    ['not base64', 'Basic !!!', { user: undefined, key: undefined }],
    ['another scheme', `Bearer ${b64('user:pass')}`, { user: undefined, key: undefined }],
    ['no credentials after the scheme', 'Basic', { user: undefined, key: undefined }],
    ['no header', undefined, { user: undefined, key: undefined }],
  ])('%s', (_what, header, expected) => {
    expect(basicCredentials(header)).toEqual(expected);
  });
});

describe('decodeHttpreqBody', () => {
  test.each<[string, string, { fqdn: string; value: string }]>([
    ['default mode', `{"fqdn":"_acme-challenge.example.com.","value":"${V}"}`, { fqdn: '_acme-challenge.example.com.', value: V }],
    ['keys in odd case', `{"FQDN":"x.","Value":"${V}"}`, { fqdn: 'x.', value: V }],
    ['RAW mode', '{"domain":"example.com","token":"t","keyAuth":"t.thumb"}', { fqdn: 'example.com', value: dns01Value('t.thumb') }],
    ['value wins over keyAuth', `{"value":"${V}","keyAuth":"t.thumb"}`, { fqdn: '', value: V }],
    ['no value: empty (400 bad_txt later)', '{"fqdn":"x."}', { fqdn: 'x.', value: '' }],
    ['a non-string value is no value', '{"value":5}', { fqdn: '', value: '' }],
  ])('%s', (_what, body, expected) => {
    expect(decodeHttpreqBody(Buffer.from(body))).toEqual(expected);
  });

  test.each(['', '{', '[]', 'null', '"text"', '12'])('%j is malformed_json_payload', (body) => {
    expect(() => decodeHttpreqBody(Buffer.from(body))).toThrow(expect.objectContaining({ code: 'malformed_json_payload' }) as ApiError);
  });
});
