/**
 * examples/ says what the page says: the client settings under examples/<client>/ are the output
 * of src/core/client-settings for the placeholder account below, byte for byte, and each client's
 * README names its files. The examples are generated, not hand-written; after changing the
 * module, regenerate them with
 *
 *     UPDATE_EXAMPLES=1 npx jest test/examples-settings.test.ts
 *
 * and review the diff.
 */
import fs from 'node:fs';
import path from 'node:path';
import { accountJson, clientSettings, cnameRecords, type SettingsInput } from '../src/core/client-settings';

const EXAMPLES = path.resolve(__dirname, '..', 'examples');
const UPDATE = process.env.UPDATE_EXAMPLES === '1';

/** The placeholder account the examples show: the shape of a real one, values to replace. */
const INPUT: SettingsInput = {
  account: {
    username: '0d3c5f1a-6b2e-4c8d-9e7f-1a2b3c4d5e6f',
    password: 'REPLACE-with-the-key-from-register-00000',
    fulldomain: '7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3.auth.example.org',
    subdomain: '7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3',
    allowfrom: [],
  },
  serverUrl: 'https://auth.example.org',
  domains: ['example.org', '*.example.org', 'www.example.org'],
};

const settings = clientSettings(INPUT);

test('the placeholder is shaped like a real account (a 40-character key)', () => {
  expect(INPUT.account.password).toMatch(/^[A-Za-z0-9_-]{40}$/);
  expect(settings).toHaveLength(8);
});

describe.each(settings.map((c) => [c.id, c] as const))('examples/%s', (id, client) => {
  test.each(client.files.map((f) => [f.name, f] as const))('%s is the module\'s output', (name, f) => {
    const file = path.join(EXAMPLES, id, name);
    if (UPDATE) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, f.text);
    }
    expect(fs.readFileSync(file, 'utf8')).toBe(f.text);
  });

  test('its README names each file and the page\'s note', () => {
    const readme = fs.readFileSync(path.join(EXAMPLES, id, 'README.md'), 'utf8');
    for (const f of client.files) expect(readme).toContain(`(${f.name})`);
    if (client.note !== undefined) expect(readme.replace(/\s+/g, ' ')).toContain(client.note);
  });
});

test('the certbot and lego account files are accountJson, the download the page offers', () => {
  const download = accountJson(INPUT.account, INPUT.domains);
  expect(fs.readFileSync(path.join(EXAMPLES, 'certbot', 'acmedns.json'), 'utf8')).toBe(download);
  expect(fs.readFileSync(path.join(EXAMPLES, 'lego', 'acme-dns.json'), 'utf8')).toBe(download);
});

test('the CNAMEs the examples name are the records the page shows', () => {
  const lines = cnameRecords(INPUT.domains, INPUT.account.fulldomain).map((r) => `${r.name}. CNAME ${r.target}.`);
  expect(lines).toEqual([
    '_acme-challenge.example.org. CNAME 7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3.auth.example.org.',
    '_acme-challenge.www.example.org. CNAME 7e1f0c2a-3b4d-4e5f-a6b7-c8d9e0f1a2b3.auth.example.org.',
  ]);
  for (const c of settings) {
    const text = c.files.map((f) => f.text).join('\n');
    for (const line of lines) expect(text).toContain(line);
  }
});
