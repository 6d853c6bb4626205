/**
 * The listener: HTTPS from certificate files (tls = "cert") with reload on file change and on
 * reloadCertificate(), HTTPS with the own certificate (ACME modes: bound before it exists, swapped
 * in by setCertificate), bind failures, and a stop() that lets in-flight requests finish. Certificates are throwaway ones made with the openssl CLI.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { send } from './support/api-client';
import { startApi, type ApiHarness } from './support/api-harness';
import { testConfig } from './support/config';
import { createAccounts } from '../src/accounts';
import { createApiApp, startApiServer } from '../src/api';
import { silentLogger } from '../src/log';
import { openSqliteStore } from '../src/store/sqlite';

let dir: string;
const pem = (name: string): string => path.join(dir, name);

/** A self-signed certificate for localhost / 127.0.0.1 with the given CN. */
function makeCert(cn: string): void {
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', `/CN=${cn}`, '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', pem(`${cn}.key`), '-out', pem(`${cn}.crt`),
  ], { stdio: 'ignore' });
}

/** Puts a pair in place the way a renewal tool does: write aside, rename over. */
function install(cn: string, certName = 'fullchain.pem', keyName = 'privkey.pem'): void {
  fs.copyFileSync(pem(`${cn}.key`), pem('key.tmp'));
  fs.renameSync(pem('key.tmp'), pem(keyName));
  fs.copyFileSync(pem(`${cn}.crt`), pem('crt.tmp'));
  fs.renameSync(pem('crt.tmp'), pem(certName));
}

const trusted = (): Buffer => Buffer.concat(['one', 'two', 'three'].map((cn) => fs.readFileSync(pem(`${cn}.crt`))));

/** The CN of the certificate a NEW connection is given. */
function servedCn(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: hostname, port: Number(port), ca: trusted(), servername: 'localhost' }, () => {
      const cn = socket.getPeerCertificate().subject.CN;
      socket.end();
      resolve(Array.isArray(cn) ? cn.join(',') : (cn ?? ''));
    });
    socket.on('error', reject);
  });
}

/** Polls new connections until the served CN is `cn` (bounded by the test timeout, no timing asserted). */
async function untilServed(url: string, cn: string): Promise<void> {
  while ((await servedCn(url)) !== cn) await new Promise((r) => setTimeout(r, 50));
}

async function untilLogged(api: ApiHarness, msg: string, count: number): Promise<void> {
  while (api.logs.filter((l) => l.msg === msg).length < count) await new Promise((r) => setTimeout(r, 25));
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-tls-'));
  for (const cn of ['one', 'two', 'three']) makeCert(cn);
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('tls = "cert"', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    install('one');
    api = await startApi({ tls: 'cert', tlsCertFullchain: pem('fullchain.pem'), tlsCertPrivkey: pem('privkey.pem') });
  });
  afterAll(async () => {
    await api.stop();
  });

  test('serves HTTPS on the bound port with the configured certificate', async () => {
    expect(api.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(api.server.address.port).toBeGreaterThan(0);
    const res = await send(api.url, { method: 'GET', path: '/health', ca: trusted() });
    expect(res.status).toBe(200);
    const reg = await send(api.url, { path: '/register', ca: trusted() });
    expect(reg.status).toBe(201);
    expect(await servedCn(api.url)).toBe('one');
  });

  test('TLS below 1.2 is refused', async () => {
    const { port } = new URL(api.url);
    await expect(
      new Promise((resolve, reject) => {
        const s = tls.connect({ host: '127.0.0.1', port: Number(port), ca: trusted(), servername: 'localhost', maxVersion: 'TLSv1.1', minVersion: 'TLSv1' }, () => resolve(s.getProtocol()));
        s.on('error', reject);
      }),
    ).rejects.toThrow();
  });

  test('replacing the files: new connections get the new certificate', async () => {
    install('two');
    await untilServed(api.url, 'two');
    expect((await send(api.url, { method: 'GET', path: '/health', ca: trusted() })).status).toBe(200);
  });

  test('a mismatched pair is logged and the old certificate keeps serving', async () => {
    const warned = api.logs.filter((l) => l.msg?.toString().startsWith('certificate files changed')).length;
    fs.copyFileSync(pem('three.crt'), pem('fullchain.pem')); // new cert, old key: not a pair
    await untilLogged(api, 'certificate files changed but are not a usable pair yet; the old certificate stays', warned + 1);
    expect(await servedCn(api.url)).toBe('two');
    await expect(api.server.reloadCertificate()).rejects.toThrow(/not a usable certificate and key pair/);
    expect(await servedCn(api.url)).toBe('two');
    // the key arrives: the pair is whole again
    fs.copyFileSync(pem('three.key'), pem('privkey.pem'));
    await untilServed(api.url, 'three');
  });

  test('a half-written file: reloadCertificate() rejects, the old certificate stays', async () => {
    const full = fs.readFileSync(pem('one.crt'));
    fs.writeFileSync(pem('fullchain.pem'), full.subarray(0, Math.floor(full.length / 2)));
    await expect(api.server.reloadCertificate()).rejects.toThrow(/not complete PEM/);
    expect(await servedCn(api.url)).toBe('three');
    install('one');
    await api.server.reloadCertificate();
    expect(await servedCn(api.url)).toBe('one');
  });
});

describe('reloadCertificate() without the watcher noticing (symlinked files, SIGHUP)', () => {
  test('re-reads the files through a symlink', async () => {
    const live = fs.mkdtempSync(path.join(dir, 'live-'));
    fs.symlinkSync(pem('one.crt'), path.join(live, 'fullchain.pem'));
    fs.symlinkSync(pem('one.key'), path.join(live, 'privkey.pem'));
    const api = await startApi({ tls: 'cert', tlsCertFullchain: path.join(live, 'fullchain.pem'), tlsCertPrivkey: path.join(live, 'privkey.pem') });
    try {
      expect(await servedCn(api.url)).toBe('one');
      // what certbot does: point the links at the new archive files
      for (const [link, target] of [['fullchain.pem', 'two.crt'], ['privkey.pem', 'two.key']]) {
        fs.symlinkSync(pem(target as string), path.join(live, 'tmp-link'));
        fs.renameSync(path.join(live, 'tmp-link'), path.join(live, link as string));
      }
      await api.server.reloadCertificate();
      expect(await servedCn(api.url)).toBe('two');
      expect(api.logs.some((l) => l.msg === 'API certificate reloaded')).toBe(true);
    } finally {
      await api.stop();
    }
  });
});

describe('start failures', () => {
  test('missing certificate files: a clear error', async () => {
    await expect(startApi({ tls: 'cert', tlsCertFullchain: pem('missing.pem'), tlsCertPrivkey: pem('missing.key') })).rejects.toThrow(/missing\.pem/);
  });

  test('a port in use: EADDRINUSE in words', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(startApi({ port })).rejects.toThrow(new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: address already in use`));
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  test('an address that is not ours: EADDRNOTAVAIL in words', async () => {
    await expect(startApi({ ip: '192.0.2.1' })).rejects.toThrow(/cannot listen on 192\.0\.2\.1:0/);
  });
});

describe('stop()', () => {
  test('finishes an in-flight request, closes idle keep-alive connections, then resolves', async () => {
    const store = openSqliteStore({ file: path.join(dir, 'stop.db'), txt: { keep: 2, maxAgeSeconds: 0 }, zone: 'auth.example.org' });
    const config = testConfig().api;
    const server = await startApiServer(createApiApp({ config, domain: 'auth.example.org', accounts: createAccounts({ store, domain: 'auth.example.org' }), store, logger: silentLogger() }), config, silentLogger());
    try {
      // an idle keep-alive connection
      const agent = new http.Agent({ keepAlive: true });
      expect((await send(server.url, { method: 'GET', path: '/health', agent })).status).toBe(200);

      // a request whose body is still on its way when stop() is called; `Expect: 100-continue`
      // makes the server say when it has the request in hand
      const { port } = server.address;
      let finishBody = (): void => undefined;
      let response: Promise<string> = Promise.resolve('');
      const gotContinue = new Promise<void>((resolveContinue) => {
        const socket = net.connect({ host: '127.0.0.1', port }, () => {
          socket.write('POST /register HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{');
        });
        finishBody = () => socket.write('}');
        let text = '';
        socket.on('data', (d: Buffer) => {
          text += d.toString();
          if (text.startsWith('HTTP/1.1 100 Continue\r\n\r\n')) resolveContinue();
        });
        response = new Promise<string>((resolve, reject) => {
          socket.on('close', () => resolve(text));
          socket.on('error', reject);
        });
      });
      await gotContinue;
      let stopped = false;
      const stopping = server.stop().then(() => {
        stopped = true;
      });
      // several turns of the event loop: stop() must still be waiting for the request
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      expect(stopped).toBe(false);
      finishBody();
      const text = await response;
      await stopping;
      expect(text).toMatch(/\r\n\r\nHTTP\/1\.1 201 /);
      expect(text).toMatch(/\r\nConnection: close\r\n/i);
      expect(stopped).toBe(true);
      // nothing listens any more
      await expect(send(server.url, { method: 'GET', path: '/health' })).rejects.toThrow(/ECONNREFUSED/);
      agent.destroy();
    } finally {
      await server.stop();
      await store.close();
    }
  });
});

/** What the manager hands over: the pair of `cn` as PEM text. */
const pairOf = (cn: string): { key: string; cert: string } => ({ key: fs.readFileSync(pem(`${cn}.key`), 'utf8'), cert: fs.readFileSync(pem(`${cn}.crt`), 'utf8') });

describe.each(['letsencrypt', 'letsencryptstaging', 'acme'] as const)('tls = "%s" (the own certificate)', (mode) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi({ tls: mode, acmeDirectory: mode === 'acme' ? 'https://ca.example/directory' : '' });
  });
  afterAll(async () => {
    await api.stop();
  });

  test('listens on HTTPS at once; handshakes fail until the first certificate, then it serves', async () => {
    expect(api.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(api.logs.find((l) => l.msg === 'API listening')).toMatchObject({ waiting: 'HTTPS serves once the certificate arrives' });
    await expect(servedCn(api.url)).rejects.toThrow();
    api.server.setCertificate(pairOf('one'));
    expect(await servedCn(api.url)).toBe('one');
    expect((await send(api.url, { method: 'GET', path: '/health', ca: trusted() })).status).toBe(200);
    expect(api.logs.filter((l) => l.msg === 'API certificate installed: HTTPS serving')).toHaveLength(1);
  });

  test('a new certificate reaches new connections while an open one keeps working', async () => {
    const { port } = new URL(api.url);
    const kept = await new Promise<tls.TLSSocket>((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port: Number(port), ca: trusted(), servername: 'localhost' }, () => resolve(s));
      s.on('error', reject);
    });
    const ask = (): Promise<string> =>
      new Promise((resolve) => {
        let text = '';
        const onData = (d: Buffer): void => {
          text += d.toString();
          if (/\r\n\r\n/.test(text)) {
            kept.off('data', onData);
            resolve(text);
          }
        };
        kept.on('data', onData);
        kept.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
      });
    expect(await ask()).toMatch(/^HTTP\/1\.1 200/);
    api.server.setCertificate(pairOf('two'));
    expect(await servedCn(api.url)).toBe('two');
    expect(await ask()).toMatch(/^HTTP\/1\.1 200/);
    expect(kept.getPeerCertificate().subject.CN).toBe('one');
    kept.destroy();
    expect(api.logs.some((l) => l.msg === 'API certificate replaced: new connections get it, open ones keep theirs')).toBe(true);
  });

  test('reloadCertificate() has no files to read: nothing changes', async () => {
    await api.server.reloadCertificate();
    expect(await servedCn(api.url)).toBe('two');
  });
});

test('setCertificate on plain HTTP is a programming error, said so', async () => {
  const api = await startApi();
  try {
    expect(() => api.server.setCertificate(pairOf('one'))).toThrow(/plain HTTP/);
  } finally {
    await api.stop();
  }
});
