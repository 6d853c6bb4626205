import { accountJson, clientSettings, registrationJson, cnameRecords, normaliseDomain, parseDomainList, type AccountForSettings } from '.';
import { serverUrl } from './account';
import { objectName } from './clients/cert-manager';
import { winAcmeServerFolder } from './clients/win-acme';
import { asciiJson, psQuote, shQuote, yamlBlock } from './quote';

const ACCOUNT: AccountForSettings = {
  username: 'c9a2e4f6-1b3d-4c5e-8f70-9a1b2c3d4e5f',
  password: 'Zx9_Qw-7Er5Ty3Ui1Op0As2Df4Gh6Jk8Lz0Xc1V',
  fulldomain: '7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3.auth.example.org',
  subdomain: '7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3',
  allowfrom: ['192.0.2.0/24'],
};

describe('normaliseDomain', () => {
  test.each([
    ['example.com', 'example.com'],
    ['Example.COM', 'example.com'],
    ['example.com.', 'example.com'],
    ['  www.example.com  ', 'www.example.com'],
    ['*.example.com', '*.example.com'],
    ['*.Example.Com.', '*.example.com'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['*.BÜCHER.example', '*.xn--bcher-kva.example'],
    ['_dmarc-like.example.com', '_dmarc-like.example.com'],
    [`${'a'.repeat(63)}.example`, `${'a'.repeat(63)}.example`],
  ])('%j -> %j', (input, expected) => {
    expect(normaliseDomain(input)).toBe(expected);
  });

  test.each([
    '',
    '.',
    'localhost',
    '*.',
    '*.com',
    'a..example.com',
    '*.*.example.com',
    'foo*.example.com',
    'www.*.example.com',
    '-a.example.com',
    'a-.example.com',
    'exa mple.com',
    'example.com..',
    '192.0.2.1',
    'https://example.com',
    'example.com/path',
    `${'a'.repeat(64)}.example`,
    // 238 characters: `_acme-challenge.` in front would pass DNS's 253.
    `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(55)}`,
    'exa\u0000mple.com',
    'example.com\nevil.example',
  ])('%j is not a domain name', (input) => {
    expect(normaliseDomain(input)).toBeUndefined();
  });
});

describe('parseDomainList', () => {
  test.each<[string | string[], string[], string[]]>([
    ['example.com *.example.com', ['example.com', '*.example.com'], []],
    ['example.com, www.example.com;\nEXAMPLE.com.', ['example.com', 'www.example.com'], []],
    [['a.example', 'b.example c.example', ''], ['a.example', 'b.example', 'c.example'], []],
    ['good.example bad! 10.0.0.1', ['good.example'], ['bad!', '10.0.0.1']],
    ['', [], []],
  ])('%j', (input, domains, invalid) => {
    expect(parseDomainList(input)).toEqual({ domains, invalid });
  });
});

describe('cnameRecords', () => {
  const target = ACCOUNT.fulldomain;
  const record = (domain: string) => ({
    domain,
    name: `_acme-challenge.${domain}`,
    target,
    zoneLine: `_acme-challenge.${domain}. 300 IN CNAME ${target}.`,
  });
  test.each<[string, string[], string, ReturnType<typeof record>[]]>([
    ['one name', ['example.com'], target, [record('example.com')]],
    ['a name and its wildcard share one record', ['example.com', '*.example.com'], target, [record('example.com')]],
    ['a wildcard alone', ['*.example.com'], target, [record('example.com')]],
    ['several names, in order', ['b.example', '*.a.example', 'a.example'], target, [record('b.example'), record('a.example')]],
    ['upper case and final dots', ['WWW.Example.COM.', '*.www.example.com'], target, [record('www.example.com')]],
    ['the target normalised too', ['example.com'], `${target.toUpperCase()}.`, [record('example.com')]],
    ['names that are not domains are left out', ['not a domain', '10.0.0.1', 'example.com'], target, [record('example.com')]],
    ['nothing typed', [], target, []],
  ])('%s', (_, domains, fulldomain, expected) => {
    expect(cnameRecords(domains, fulldomain)).toEqual(expected);
  });
});

describe('accountJson', () => {
  const registration = {
    username: ACCOUNT.username,
    password: ACCOUNT.password,
    fulldomain: ACCOUNT.fulldomain,
    subdomain: ACCOUNT.subdomain,
    allowfrom: ['192.0.2.0/24'],
  };

  test("acme-dns-auth.py's layout: base name -> the registration's five keys, in /register's order", () => {
    const text = accountJson(ACCOUNT, ['Example.com.', '*.example.com', 'www.example.com']);
    expect(text.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(text) as Record<string, Record<string, unknown>>;
    expect(parsed).toEqual({ 'example.com': registration, 'www.example.com': registration });
    expect(Object.keys(parsed['example.com'] ?? {})).toEqual(['username', 'password', 'fulldomain', 'subdomain', 'allowfrom']);
  });

  test.each(['pa"ss\\word', "it's", 'line\nbreak', 'tab\there', 'nul\u0000', 'del\u007f c1\u0085 ls\u2028', 'ünïcødé 🔑'])(
    'a password %j survives as ASCII-only JSON',
    (password) => {
      const text = accountJson({ ...ACCOUNT, password }, ['example.com']);
      expect(text).toMatch(/^[\x20-\x7e\n]*$/);
      expect((JSON.parse(text) as Record<string, { password: string }>)['example.com']?.password).toBe(password);
    },
  );

  test('no domain: an empty map', () => {
    expect(JSON.parse(accountJson(ACCOUNT, ['nope']))).toEqual({});
  });

  test('registrationJson: the account alone, the value of each accountJson entry', () => {
    const text = registrationJson({ ...ACCOUNT, password: 'ü"' });
    expect(text).toMatch(/^\{\n[\x20-\x7e\n]*\}\n$/);
    expect(JSON.parse(text)).toEqual({ ...registration, password: 'ü"' });
  });
});

describe('quoting', () => {
  test.each([
    ['simple', 'simple'],
    ['https://auth.example.org/x', 'https://auth.example.org/x'],
    ['*.example.com', "'*.example.com'"],
    ["it's", "'it'\\''s'"],
    ['$HOME `id` "q"', `'$HOME \`id\` "q"'`],
    ['', "''"],
  ])('shQuote(%j) = %s', (value, expected) => {
    expect(shQuote(value)).toBe(expected);
  });

  test.each([
    ['plain', "'plain'"],
    ["it's", "'it''s'"],
    ['\u2018curly\u2019', "'\u2018\u2018curly\u2019\u2019'"],
    ['$env:X "q" `n', "'$env:X \"q\" `n'"],
  ])('psQuote(%j) = %s', (value, expected) => {
    expect(psQuote(value)).toBe(expected);
  });

  test('asciiJson escapes DEL, C1 and non-ASCII, keeps structure', () => {
    expect(asciiJson({ k: 'a\u007fb\u0085é' }, 0)).toBe('{"k":"a\\u007fb\\u0085\\u00e9"}');
  });

  test('yamlBlock indents every non-empty line under the key', () => {
    expect(yamlBlock('{\n  "a": 1\n}\n', 2)).toBe('|\n    {\n      "a": 1\n    }');
  });
});

describe('server URL forms', () => {
  test.each([
    ['https://auth.example.org', 'https://auth.example.org', 'auth.example.org', false, 'auth.example.org'],
    ['https://auth.example.org/', 'https://auth.example.org', 'auth.example.org', false, 'auth.example.org'],
    ['  http://127.0.0.1:8080//  ', 'http://127.0.0.1:8080', '127.0.0.1:8080', true, '127.0.0.18080'],
    ['https://example.net/acmedns/', 'https://example.net/acmedns', 'example.net/acmedns', false, 'example.netacmedns'],
  ])('%j', (text, base, hostPath, http, folder) => {
    const url = serverUrl(text);
    expect(url).toEqual({ base, slashed: `${base}/`, hostPath, http });
    expect(winAcmeServerFolder(url.slashed)).toBe(folder);
  });
});

test.each([
  ['example.com', 'example-com'],
  ['*.shop.example', 'shop-example'],
  ['_x.example', 'x-example'],
  ['xn--bcher-kva.example', 'xn--bcher-kva-example'],
])('cert-manager object name for %j is %j', (domain, name) => {
  expect(objectName(domain)).toBe(name);
});

describe('clientSettings', () => {
  const input = { account: ACCOUNT, serverUrl: 'https://auth.example.org/', domains: ['example.com', '*.example.com'] };

  test('every client, in the page order, each with at least one file', () => {
    const all = clientSettings(input);
    expect(all.map((c) => c.id)).toEqual(['lego', 'traefik', 'caddy', 'cert-manager', 'acme.sh', 'certbot', 'posh-acme', 'win-acme']);
    for (const c of all) {
      expect(c.files.length).toBeGreaterThan(0);
      for (const f of c.files) expect(f.text.endsWith('\n')).toBe(true);
    }
  });

  test('no domain name typed: nothing to configure', () => {
    expect(clientSettings({ ...input, domains: ['', 'not a name'] })).toEqual([]);
  });

  test('every file names the CNAME to create', () => {
    for (const c of clientSettings(input)) {
      const text = c.files.map((f) => f.text).join('\n');
      if (c.id === 'cert-manager' || c.id === 'lego' || c.id === 'certbot' || c.id === 'traefik') {
        expect(text).toContain(`_acme-challenge.example.com. CNAME ${ACCOUNT.fulldomain}.`);
      } else {
        expect(c.files[0]?.text).toContain(`_acme-challenge.example.com. CNAME ${ACCOUNT.fulldomain}.`);
      }
    }
  });

  test('a line break in the fulldomain stays inside the comment that names the CNAME', () => {
    const evil = { ...input, account: { ...ACCOUNT, fulldomain: 'x.example\nrm -rf /' } };
    for (const c of clientSettings(evil)) {
      const text = c.files.map((f) => f.text).join('\n');
      expect(text).toContain('_acme-challenge.example.com. CNAME x.example?rm -rf /.');
    }
  });
});
