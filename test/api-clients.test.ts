/**
 * Every client request shape of clients.md §0-§9, sent with that client's exact headers, body and
 * Content-Type, against the real server and the real SQLite store.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type Registration, send, txtValue } from './support/api-client';
import { DOMAIN, startApi, type ApiHarness } from './support/api-harness';

const run = promisify(execFile);

const REGISTER_BODY = new RegExp(
  '^\\{"username":"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",' +
    '"password":"[A-Za-z0-9_-]{40}",' +
    `"fulldomain":"([0-9a-f-]{36})\\.${DOMAIN.replace(/\./g, '\\.')}",` +
    '"subdomain":"([0-9a-f-]{36})",' +
    '"allowfrom":(\\[[^\\]]*\\])\\}$',
);

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.stop();
});

/** The register body is byte-exact: compact, one line, key order, allowfrom an array. */
function expectRegistration(status: number, headers: Record<string, unknown>, body: string, allowfrom = '[]'): Registration {
  expect(status).toBe(201);
  expect(headers['content-type']).toBe('application/json');
  const m = REGISTER_BODY.exec(body);
  expect(m).not.toBeNull();
  expect(m?.[1]).toBe(m?.[2]);
  expect(m?.[3]).toBe(allowfrom);
  return JSON.parse(body) as Registration;
}

async function served(r: Registration): Promise<readonly string[]> {
  return (await api.store.lookup(r.subdomain, Math.floor(Date.now() / 1000)))?.values ?? [];
}

describe('cpu/goacmedns v0.1.1 (lego <= 4.21, cert-manager <= 1.18, acme-dns-client)', () => {
  const ua = 'goacmedns (linux; amd64)';

  test.each<[string, string]>([
    ['base without trailing slash', '/register'],
    ['base with trailing slash', '//register'],
  ])('register with no allowfrom (%s): exact 201, then update with capitalised keys: exact 200', async (_n, regPath) => {
    const reg = await send(api.url, {
      path: regPath,
      headers: { 'Content-Type': 'application/json', 'User-Agent': ua, 'Accept-Encoding': 'gzip' },
      body: '',
    });
    const acct = expectRegistration(reg.status, reg.headers, reg.body);
    const value = txtValue(`goacmedns${regPath.length}`);
    const upd = await send(api.url, {
      path: regPath.replace('register', 'update'),
      headers: { 'X-Api-User': acct.username, 'X-Api-Key': acct.password, 'Content-Type': 'application/json', 'User-Agent': ua },
      body: JSON.stringify({ SubDomain: acct.subdomain, Txt: value }),
    });
    expect(upd.status).toBe(200);
    expect(upd.headers['content-type']).toBe('application/json');
    expect(upd.body).toBe(`{"txt": "${value}"}`);
    expect(await served(acct)).toContain(value);
  });

  test('register with {"AllowFrom":[...]} (acme-dns-client -allow)', async () => {
    const reg = await send(api.url, {
      path: '/register',
      headers: { 'Content-Type': 'application/json', 'User-Agent': ua },
      body: '{"AllowFrom":["127.0.0.1/32","[::1]/128"]}',
    });
    const acct = expectRegistration(reg.status, reg.headers, reg.body, '["127.0.0.1/32","::1/128"]');
    expect((await api.store.findAccount(acct.username))?.allowFrom).toEqual(['127.0.0.1/32', '::1/128']);
    const value = txtValue('acmednsclient');
    const upd = await send(api.url, {
      path: '/update',
      headers: { 'X-Api-User': acct.username, 'X-Api-Key': acct.password, 'Content-Type': 'application/json', 'User-Agent': ua },
      body: JSON.stringify({ SubDomain: acct.subdomain, Txt: value }),
    });
    expect(upd.status).toBe(200);
  });
});

describe('nrdcg/goacmedns v0.2.0 (lego >= 4.22, cert-manager >= 1.19)', () => {
  const ua = 'goacmedns (linux; arm64)';
  test('register without payload has no Content-Type; with ACME_DNS_ALLOWLIST a trailing newline', async () => {
    const bare = await send(api.url, { path: '/register', headers: { Accept: 'application/json', 'User-Agent': ua } });
    expectRegistration(bare.status, bare.headers, bare.body);
    const listed = await send(api.url, {
      path: '/register',
      headers: { Accept: 'application/json', 'User-Agent': ua, 'Content-Type': 'application/json' },
      body: '{"allowfrom":["127.0.0.0/8","10.0.0.0/8"]}\n',
    });
    const acct = expectRegistration(listed.status, listed.headers, listed.body, '["127.0.0.0/8","10.0.0.0/8"]');
    const value = txtValue('nrdcg');
    const upd = await send(api.url, {
      path: '/update',
      headers: { Accept: 'application/json', 'User-Agent': ua, 'Content-Type': 'application/json', 'X-Api-User': acct.username, 'X-Api-Key': acct.password },
      body: `${JSON.stringify({ subdomain: acct.subdomain, txt: value })}\n`,
    });
    expect(upd.status).toBe(200);
    expect(await served(acct)).toContain(value);
  });
});

describe('acme.sh dns_acmedns (real curl, real sed)', () => {
  const ua = 'acme.sh/3.1.4 (https://github.com/acmesh-official/acme.sh)';
  const field = (name: string) => `s/^{.*"${name}":[ ]*"\\([^"]*\\)".*}/\\1/p`;

  async function sed(input: string, name: string): Promise<string> {
    const child = execFile('sed', ['-n', field(name)]);
    const out = new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
      child.on('close', () => resolve(text.trim()));
      child.on('error', reject);
    });
    child.stdin?.end(input);
    return out;
  }

  test('register with no body and no Content-Type through a trailing-slash base; parse with sed; update with the form content type; grep the value', async () => {
    const base = `${api.url}/`;
    const reg = await run('curl', ['--silent', '-L', '--user-agent', ua, '-X', 'POST', `${base}/register`]);
    const username = await sed(reg.stdout, 'username');
    const password = await sed(reg.stdout, 'password');
    const subdomain = await sed(reg.stdout, 'subdomain');
    const fulldomain = await sed(reg.stdout, 'fulldomain');
    expect(username).toMatch(/^[0-9a-f-]{36}$/);
    expect(password).toMatch(/^[A-Za-z0-9_-]{40}$/);
    expect(fulldomain).toBe(`${subdomain}.${DOMAIN}`);

    const value = txtValue('acmesh');
    const data = `{"subdomain":"${subdomain}", "txt": "${value}"}`;
    const upd = await run('curl', [
      '--silent', '--write-out', '\n%{http_code}', '-L', '--user-agent', ua,
      '-H', `X-Api-User: ${username}`, '-H', `X-Api-Key: ${password}`, '-H', '',
      '-X', 'POST', '--data', data, `${base}/update`,
    ]);
    expect(upd.stdout).toContain(`"${value}"`);
    expect(upd.stdout.endsWith('\n200')).toBe(true);
    expect((await api.store.lookup(subdomain, Math.floor(Date.now() / 1000)))?.values).toContain(value);
  });

  test('dehydrated hook: curl -d with spaces in the JSON', async () => {
    const reg = await send(api.url, { path: '/register' });
    const acct = JSON.parse(reg.body) as Registration;
    const value = txtValue('dehydrated');
    const upd = await run('curl', [
      '-Ss', '-X', 'POST', '-H', `X-Api-User: ${acct.username}`, '-H', `X-Api-Key: ${acct.password}`,
      '-d', `{"subdomain":"${acct.subdomain}", "txt": "${value}"}`, `${api.url}/update`,
    ]);
    expect(upd.stdout).toContain(`"${value}"`);
  });
});

describe('certbot hook (joohoi/acme-dns-certbot-joohoi, python requests)', () => {
  const base = { 'User-Agent': 'python-requests/2.28.1', 'Accept-Encoding': 'gzip, deflate', Accept: '*/*', Connection: 'keep-alive' };
  test('register with no body, and with data=json.dumps (no Content-Type); update with json', async () => {
    const bare = await send(api.url, { path: '/register', headers: { ...base, 'Content-Length': '0' } });
    expectRegistration(bare.status, bare.headers, bare.body);
    const withAllow = await send(api.url, { path: '/register', headers: base, body: '{"allowfrom": ["127.0.0.1/32"]}' });
    const acct = expectRegistration(withAllow.status, withAllow.headers, withAllow.body, '["127.0.0.1/32"]');
    const value = txtValue('certbot');
    const upd = await send(api.url, {
      path: '/update',
      headers: { ...base, 'X-Api-User': acct.username, 'X-Api-Key': acct.password, 'Content-Type': 'application/json' },
      body: `{"subdomain": "${acct.subdomain}", "txt": "${value}"}`,
    });
    expect(upd.status).toBe(200);
    expect(JSON.parse(upd.body)).toEqual({ txt: value });
  });
});

describe('win-acme (text/plain register, Basic auth from the base URL)', () => {
  const basic = `Basic ${Buffer.from('user:pass').toString('base64')}`;
  test('register with an empty text/plain body; update with application/json; charset=utf-8', async () => {
    // HttpClient resolves "register" against BaseAddress itself (RFC 3986 §5.2, dot segments
    // removed), so what reaches the wire is a plain path: /register for a base without a path.
    const reg = await send(api.url, {
      path: '/register',
      headers: { 'Content-Type': 'text/plain; charset=utf-8', Authorization: basic },
      body: '',
    });
    const acct = expectRegistration(reg.status, reg.headers, reg.body);
    const value = txtValue('winacme');
    const upd = await send(api.url, {
      path: '/update',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: basic, 'X-Api-User': acct.username, 'X-Api-Key': acct.password },
      body: JSON.stringify({ subdomain: acct.subdomain, txt: value }),
    });
    expect(upd.status).toBe(200);
    expect(await served(acct)).toContain(value);
  });
});

describe('Posh-ACME AcmeDns plugin', () => {
  test('register with {} and application/json; update as x-www-form-urlencoded (PowerShell default)', async () => {
    const reg = await send(api.url, { path: '/register', headers: { 'Content-Type': 'application/json', 'User-Agent': 'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1' }, body: '{}' });
    const acct = expectRegistration(reg.status, reg.headers, reg.body);
    const withAllow = await send(api.url, { path: '/register', headers: { 'Content-Type': 'application/json' }, body: '{"allowfrom":["127.0.0.1/32"]}' });
    expectRegistration(withAllow.status, withAllow.headers, withAllow.body, '["127.0.0.1/32"]');
    const value = txtValue('poshacme');
    const upd = await send(api.url, {
      path: '/update',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Api-User': acct.username, 'X-Api-Key': acct.password },
      body: JSON.stringify({ subdomain: acct.subdomain, txt: value }),
    });
    expect(upd.status).toBe(200);
    expect(await served(acct)).toContain(value);
  });
});

describe('Caddy (libdns/acmedns): no registration, update with and without Content-Type', () => {
  test.each<[string, Record<string, string>]>([
    ['libdns <= v0.2.0: no Content-Type', {}],
    ['libdns v0.5.0: application/json', { 'Content-Type': 'application/json' }],
  ])('%s -> exactly 200', async (_n, extra) => {
    const reg = await send(api.url, { path: '/register' });
    const acct = JSON.parse(reg.body) as Registration;
    const value = txtValue(`caddy${Object.keys(extra).length}`);
    const upd = await send(api.url, {
      path: '//update',
      headers: { 'User-Agent': 'Go-http-client/1.1', 'X-Api-User': acct.username, 'X-Api-Key': acct.password, ...extra },
      body: JSON.stringify({ subdomain: acct.subdomain, txt: value }),
    });
    expect(upd.status).toBe(200);
    expect(await served(acct)).toContain(value);
  });
});

describe('what several clients share', () => {
  test('two values for one account (apex + wildcard) are both served; a third evicts the oldest (keep = 2)', async () => {
    const reg = await send(api.url, { path: '/register' });
    const acct = JSON.parse(reg.body) as Registration;
    const values = ['one', 'two', 'three'].map(txtValue);
    for (const [i, value] of values.entries()) {
      const upd = await send(api.url, {
        path: '/update',
        headers: { 'X-Api-User': acct.username, 'X-Api-Key': acct.password },
        body: JSON.stringify({ subdomain: acct.subdomain, txt: value }),
      });
      expect(upd.status).toBe(200);
      if (i === 1) expect([...(await served(acct))].sort()).toEqual([values[0], values[1]].sort());
    }
    expect(await served(acct)).toHaveLength(2);
    expect(await served(acct)).toContain(values[2]);
  });

  test('X-Api-User in the urn:uuid: and braced forms is accepted (Go uuid.Parse)', async () => {
    const reg = await send(api.url, { path: '/register' });
    const acct = JSON.parse(reg.body) as Registration;
    for (const user of [`urn:uuid:${acct.username}`, `{${acct.username.toUpperCase()}}`, acct.username.replace(/-/g, '')]) {
      const upd = await send(api.url, {
        path: '/update',
        headers: { 'X-Api-User': user, 'X-Api-Key': acct.password },
        body: JSON.stringify({ subdomain: acct.subdomain, txt: txtValue(user) }),
      });
      expect(upd.status).toBe(200);
    }
  });
});
