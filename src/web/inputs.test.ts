import { MAX_ALLOWFROM } from '../core/validation';
import { parseAllowList, parseDomains } from './inputs';

describe('the allow-list field, read as /register reads allowfrom', () => {
  test.each([
    ['', []],
    ['192.0.2.0/24', ['192.0.2.0/24']],
    [' 192.0.2.0/24,\n2001:db8::/32  10.0.0.1/32 ', ['192.0.2.0/24', '2001:db8::/32', '10.0.0.1/32']],
    ['[2001:db8::]/32', ['[2001:db8::]/32']],
  ])('%p is accepted', (text, values) => expect(parseAllowList(text)).toEqual({ ok: true, values }));

  test.each(['192.0.2.1', '192.0.2.0/33', 'example.com/24', '10.0.0.0/8, nonsense'])('%p is refused with the entry named', (text) => {
    const parsed = parseAllowList(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/^Not an address range: /);
  });

  test('more entries than the API takes are refused', () => {
    const text = Array.from({ length: MAX_ALLOWFROM + 1 }, (_, i) => `10.0.${i}.0/24`).join('\n');
    expect(parseAllowList(text)).toEqual({ ok: false, error: `At most ${MAX_ALLOWFROM} ranges; this list has ${MAX_ALLOWFROM + 1}.` });
  });
});

describe('the domains field', () => {
  test.each([
    ['example.com', ['example.com']],
    ['Example.COM., *.example.com', ['example.com', '*.example.com']],
    ['a.example.com b.example.com a.example.com', ['a.example.com', 'b.example.com']],
  ])('%p -> %p', (text, values) => expect(parseDomains(text)).toEqual({ ok: true, values }));

  test.each([
    ['', 'Type at least one domain, e.g. example.com.'],
    ['localhost', 'Not a domain name: localhost. Type names such as example.com or *.example.com.'],
    ['exa mple..com', 'Not a domain name: exa, mple..com. Type names such as example.com or *.example.com.'],
    ['*.*.example.com', 'Not a domain name: *.*.example.com. Type names such as example.com or *.example.com.'],
    ['http://example.com', 'Not a domain name: http://example.com. Type names such as example.com or *.example.com.'],
  ])('%p is refused: %p', (text, error) => expect(parseDomains(text)).toEqual({ ok: false, error }));
});
