/**
 * The client settings read back by the real parsers of their formats, for values that need
 * quoting: JSON.parse, js-yaml (YAML 1.2's safe schema), bash (syntax with `bash -n`, then the
 * snippet run with stand-in commands that print the arguments and environment they got; certbot's
 * hook command is then run by `sh -c` as certbot runs it). No PowerShell on this machine: its
 * verbatim strings are read back by the documented rule ('' is one ', about_Quoting_Rules).
 */
import { execFileSync } from 'node:child_process';
import { safeLoad, safeLoadAll } from 'js-yaml';
import { clientSettings, type AccountForSettings, type ClientSettings } from '../src/core/client-settings';
import { callArgs, printedVariables, shellSandbox, type ShellSandbox } from './support/shell-snippet';

const FULLDOMAIN = '7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3.auth.example.org';
const DOMAINS = ['Example.ORG.', '*.example.org', 'www.example.org'];
const NAMES = ['example.org', '*.example.org', 'www.example.org'];
const BASES = ['example.org', 'www.example.org'];

let shell: ShellSandbox;
beforeAll(() => {
  shell = shellSandbox();
});
afterAll(() => shell.remove());

/** Every PowerShell verbatim string in the text, unquoted ('' and the typographic quotes doubled). */
function psStrings(text: string): string[] {
  const strings: string[] = [];
  const q = /['\u2018\u2019\u201a\u201b]/;
  let i = 0;
  while (i < text.length) {
    if (text[i] === '#' && (i === 0 || text[i - 1] === '\n')) {
      i = text.indexOf('\n', i) + 1 || text.length;
    } else if (q.test(text[i] ?? '')) {
      let value = '';
      i += 1;
      for (;;) {
        const c = text[i] ?? '';
        if (c === '') throw new Error('unterminated string');
        if (q.test(c)) {
          if (q.test(text[i + 1] ?? '')) {
            value += c;
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += c;
        i += 1;
      }
      strings.push(value);
    } else {
      i += 1;
    }
  }
  return strings;
}

function file(c: ClientSettings | undefined, name: string): string {
  const f = c?.files.find((x) => x.name === name);
  if (!f) throw new Error(`${c?.id}: no ${name}`);
  return f.text;
}

const HOSTILE = [
  'Zx9_Qw-7Er5Ty3Ui1Op0As2Df4Gh6Jk8Lz0Xc1V',
  `p'w"d $x`,
  'back\\slash\\',
  '`id` $(id) ${HOME}',
  'new\nline\ttab',
  '# not a comment: {$HOME} {env.X}',
  "'",
  ' spaces around ',
  'ünïcødé 🔑 \u0085\u2028 \u2019curly\u2018',
  '-d --dns',
  '*',
];

describe.each(HOSTILE)('password %j', (password) => {
  const account: AccountForSettings = {
    username: `user'"$(id)`,
    password,
    fulldomain: FULLDOMAIN,
    subdomain: 'sub `x` #y',
    allowfrom: ["192.0.2.0/24'"],
  };
  const serverUrl = "https://auth.example.org/a'b c/";
  const base = "https://auth.example.org/a'b c";
  const email = 'admin@example.org';
  const registration = { username: account.username, password, fulldomain: FULLDOMAIN, subdomain: account.subdomain, allowfrom: account.allowfrom };
  const storage = Object.fromEntries(BASES.map((b) => [b, registration]));
  const all = clientSettings({ account, serverUrl, domains: DOMAINS });
  const byId = (id: ClientSettings['id']) => all.find((c) => c.id === id);

  test('lego: environment, command line, storage file', () => {
    const c = byId('lego');
    const out = shell.run(file(c, 'lego.sh'), ['ACME_DNS_API_BASE', 'ACME_DNS_STORAGE_PATH']);
    expect(callArgs(out, 'lego')).toEqual(['--email', email, '--dns', 'acme-dns', ...NAMES.flatMap((n) => ['-d', n]), 'run']);
    expect(printedVariables(out)).toEqual([base, '/var/lib/lego/acme-dns.json']);
    expect(JSON.parse(file(c, 'acme-dns.json'))).toEqual(storage);
  });

  test('traefik: static configuration, environment, storage file', () => {
    const c = byId('traefik');
    const yaml = safeLoad(file(c, 'traefik.yml')) as {
      entryPoints: { websecure: { http: { tls: { certResolver: string; domains: { main: string; sans: string[] }[] } } } };
      certificatesResolvers: { acmedns: { acme: { email: string; dnsChallenge: { provider: string } } } };
    };
    expect(yaml.entryPoints.websecure.http.tls).toEqual({ certResolver: 'acmedns', domains: [{ main: NAMES[0], sans: NAMES.slice(1) }] });
    expect(yaml.certificatesResolvers.acmedns.acme.email).toBe(email);
    expect(yaml.certificatesResolvers.acmedns.acme.dnsChallenge.provider).toBe('acme-dns');
    const out = shell.run(file(c, 'traefik.env'), ['ACME_DNS_API_BASE', 'ACME_DNS_STORAGE_PATH']);
    expect(printedVariables(out)).toEqual([base, '/data/acme-dns.json']);
    expect(JSON.parse(file(c, 'acme-dns.json'))).toEqual(storage);
  });

  test('caddy: the site block names the certificate, the account file holds the account', () => {
    const c = byId('caddy');
    expect(file(c, 'Caddyfile')).toContain(`\n${NAMES.join(', ')} {\n\ttls {\n\t\tdns acmedns /etc/caddy/acmedns.json\n\t}\n`);
    expect(JSON.parse(file(c, 'acmedns.json'))).toEqual({ username: account.username, password, subdomain: account.subdomain, server_url: base });
  });

  test('cert-manager: the Secret holds the account file, the issuer points at the server', () => {
    const c = byId('cert-manager');
    const secret = safeLoad(file(c, 'secret.yaml')) as { kind: string; metadata: { name: string }; stringData: Record<string, string> };
    expect(secret.kind).toBe('Secret');
    expect(JSON.parse(secret.stringData['acmedns.json'] ?? '')).toEqual(storage);
    const [issuer, certificate] = safeLoadAll(file(c, 'issuer.yaml')) as [
      { kind: string; spec: { acme: { email: string; solvers: { dns01: { acmeDNS: { host: string; accountSecretRef: { name: string; key: string } } } }[] } } },
      { kind: string; spec: { dnsNames: string[] } },
    ];
    expect(issuer.kind).toBe('ClusterIssuer');
    expect(issuer.spec.acme.email).toBe(email);
    expect(issuer.spec.acme.solvers[0]?.dns01.acmeDNS).toEqual({ host: base, accountSecretRef: { name: secret.metadata.name, key: 'acmedns.json' } });
    expect(certificate.kind).toBe('Certificate');
    expect(certificate.spec.dnsNames).toEqual(NAMES);
  });

  test('acme.sh: the four variables and the names', () => {
    const vars = ['ACMEDNS_BASE_URL', 'ACMEDNS_USERNAME', 'ACMEDNS_PASSWORD', 'ACMEDNS_SUBDOMAIN'];
    const out = shell.run(file(byId('acme.sh'), 'acme.sh.sh'), vars);
    expect(callArgs(out, 'acme.sh')).toEqual(['--issue', '--dns', 'dns_acmedns', ...NAMES.flatMap((n) => ['-d', n])]);
    expect(printedVariables(out)).toEqual([base, account.username, password, account.subdomain]);
  });

  test('certbot: the hooks, run as certbot runs them, get the server URL; the account file', () => {
    const c = byId('certbot');
    const args = callArgs(shell.run(file(c, 'certbot.sh'), []), 'certbot');
    const auth = args[args.indexOf('--manual-auth-hook') + 1] ?? '';
    const cleanup = args[args.indexOf('--manual-cleanup-hook') + 1] ?? '';
    expect(args.slice(-6)).toEqual(NAMES.flatMap((n) => ['-d', n]));
    for (const [hook, script] of [[auth, 'acme-dns-auth.py'], [cleanup, 'acme-dns-cleanup.py']] as const) {
      const out = execFileSync('sh', ['-c', hook], { env: { PATH: shell.path }, encoding: 'utf8' }).split('\0');
      expect(out.slice(0, 5)).toEqual(['CALL', 'python3', `/etc/letsencrypt/${script}`, 'URL', base]);
    }
    expect(JSON.parse(file(c, 'acmedns.json'))).toEqual(storage);
  });

  test('posh-acme: ACMEServer without the scheme, one registration per record name', () => {
    const text = file(byId('posh-acme'), 'posh-acme.ps1');
    const strings = psStrings(text);
    const values = [account.subdomain, account.username, password, FULLDOMAIN];
    expect(strings).toEqual([
      "auth.example.org/a'b c",
      ...BASES.flatMap((b) => [`_acme-challenge.${b}`, ...values]),
      ...NAMES,
      email,
    ]);
    expect(text).not.toContain('HTTP = $true');
  });

  test('win-acme: the registration JSON, the folder and the command line', () => {
    const strings = psStrings(file(byId('win-acme'), 'win-acme.ps1'));
    const [folder, json, ...rest] = strings;
    expect(folder).toBe('win-acme\\acme-dns\\auth.example.orga\'b c');
    expect(JSON.parse(json ?? '')).toEqual({ username: account.username, password, fulldomain: FULLDOMAIN, subdomain: account.subdomain });
    expect(rest).toEqual([...BASES, NAMES.join(','), `${base}/`, email]);
  });
});

test('posh-acme: a plain-HTTP API sets HTTP = $true', () => {
  const account = { username: 'u', password: 'p', fulldomain: FULLDOMAIN, subdomain: 's', allowfrom: [] };
  const c = clientSettings({ account, serverUrl: 'http://127.0.0.1:8080', domains: ['example.org'] }).find((x) => x.id === 'posh-acme');
  const text = file(c, 'posh-acme.ps1');
  expect(text).toContain("    ACMEServer = '127.0.0.1:8080'\n    HTTP = $true\n");
});
