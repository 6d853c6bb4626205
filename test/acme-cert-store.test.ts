import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../src/acme/storage/atomic-file';
import { createCertStore, directoryKey } from '../src/acme/storage/cert-store';
import { makeCa, makeLeaf, type PemFiles } from './topology/openssl';

const DIRECTORY = 'https://acme-v02.api.letsencrypt.org/directory';
const NAMES = ['auth.example.org', 'api.example.org'];

describe('certificate cache in acme_cache_dir', () => {
  let dir: string;
  let work: string;
  let ca: PemFiles;
  let leaf: PemFiles;
  let other: PemFiles;

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-certs-'));
    ca = makeCa(work, 'test-ca');
    leaf = makeLeaf(work, ca, 'leaf', { dns: NAMES });
    other = makeLeaf(work, ca, 'other', { dns: ['auth.example.org'] });
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-cache-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const filesUnder = (root: string): string[] =>
    fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));

  it('writes key and chain 0600 in 0700 directories, leaves no temporary files, and loads them back', async () => {
    const store = createCertStore({ dir, directoryUrl: DIRECTORY, names: NAMES });
    await store.saveAccountKey(ca.key);
    await store.saveCertificate({ key: leaf.key, cert: leaf.cert + ca.cert });
    const files = filesUnder(dir).sort();
    expect(files.map((f) => path.relative(dir, f))).toEqual([
      path.join('acmedns', directoryKey(DIRECTORY), 'account.key'),
      path.join('acmedns', directoryKey(DIRECTORY), 'auth.example.org', 'fullchain.pem'),
      path.join('acmedns', directoryKey(DIRECTORY), 'auth.example.org', 'privkey.pem'),
    ]);
    for (const f of files) expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'acmedns')).mode & 0o777).toBe(0o700);

    const loaded = await store.loadCertificate(Date.now());
    expect(loaded.found?.source).toBe('cache');
    expect(loaded.found?.pair.cert).toBe(leaf.cert + ca.cert);
    expect(loaded.found?.info.names).toEqual(NAMES);
    expect(await store.loadAccountKey()).toBe(ca.key);
  });

  it('overwrites an existing file through a rename and leaves no temporary file behind', async () => {
    const file = path.join(dir, 'sub', 'secret.pem');
    await writeFileAtomic(file, 'old');
    await writeFileAtomic(file, 'new');
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['secret.pem']);
  });

  it.each<[string, (s: ReturnType<typeof createCertStore>) => Promise<void>, number, RegExp]>([
    ['an expired certificate', (s) => s.saveCertificate({ key: leaf.key, cert: leaf.cert }), Date.now() + 3 * 86400_000, /expired/],
    ['a certificate missing a configured name', (s) => s.saveCertificate({ key: other.key, cert: other.cert }), Date.now(), /does not cover api\.example\.org/],
    ['a key that is not the certificate\'s (interrupted write)', (s) => s.saveCertificate({ key: other.key, cert: leaf.cert }), Date.now(), /does not belong/],
    ['a chain file without a certificate', (s) => s.saveCertificate({ key: leaf.key, cert: 'garbage' }), Date.now(), /no certificate/],
  ])('does not serve %s and says why', async (_label, save, now, reason) => {
    const store = createCertStore({ dir, directoryUrl: DIRECTORY, names: NAMES });
    await save(store);
    const loaded = await store.loadCertificate(now);
    expect(loaded.found).toBeUndefined();
    expect('rejected' in loaded && loaded.rejected.join('\n')).toMatch(reason);
  });

  it('finds nothing, quietly, in an empty directory', async () => {
    const loaded = await createCertStore({ dir, directoryUrl: DIRECTORY, names: NAMES }).loadCertificate(Date.now());
    expect(loaded).toEqual({ rejected: [] });
  });

  it('keeps one tree per CA directory (staging never meets production)', async () => {
    await createCertStore({ dir, directoryUrl: DIRECTORY, names: NAMES }).saveCertificate({ key: leaf.key, cert: leaf.cert });
    const staging = createCertStore({ dir, directoryUrl: 'https://acme-staging-v02.api.letsencrypt.org/directory', names: NAMES });
    expect((await staging.loadCertificate(Date.now())).found).toBeUndefined();
  });

  it("reuses the certificate acme-dns's certmagic left in the same directory", async () => {
    const legacy = path.join(dir, 'certificates', directoryKey(DIRECTORY), 'auth.example.org');
    fs.mkdirSync(legacy, { recursive: true });
    fs.writeFileSync(path.join(legacy, 'auth.example.org.crt'), other.cert + ca.cert);
    fs.writeFileSync(path.join(legacy, 'auth.example.org.key'), other.key);
    // acme-dns only ever certified general.domain: usable when api_domain is not set.
    const single = await createCertStore({ dir, directoryUrl: DIRECTORY, names: ['auth.example.org'] }).loadCertificate(Date.now());
    expect(single.found?.source).toBe('acme-dns');
    const both = await createCertStore({ dir, directoryUrl: DIRECTORY, names: NAMES }).loadCertificate(Date.now());
    expect(both.found).toBeUndefined();
  });
});
