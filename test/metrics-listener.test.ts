/**
 * Where the metrics are served: on the API listener (default), on a listener of their own
 * (`[metrics] listen`), or nowhere (`enabled = false`); the certificate expiry gauge follows the
 * certificate the API serves; bad `[metrics]` values name the key.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../src/config';
import { register } from './support/api-client';
import { rcodeOf, udpQuery } from './support/dns-client';
import { startTestDaemon, type TestDaemon } from './support/daemon';
import { scrape, valueOf } from './support/prometheus';

describe('metrics on a listener of their own', () => {
  let t: TestDaemon;
  beforeAll(async () => {
    t = await startTestDaemon({ extra: '[metrics]\nlisten = "127.0.0.1:0"\n' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  test('GET /metrics there, and not on the API', async () => {
    const url = t.daemon.addresses.metrics?.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await register(t.api);
    const s = await scrape(`${url}/metrics`);
    expect(valueOf(s, 'acmedns_registrations_total')).toBe(1);
    expect(valueOf(s, 'acmedns_api_requests_total', { route: '/register', status: '201' })).toBe(1);
    const onApi = await fetch(`${t.api}/metrics`);
    expect([onApi.status, await onApi.text()]).toEqual([404, '404 page not found\n']);
    expect(valueOf(await scrape(`${url}/metrics`), 'acmedns_api_requests_total', { route: 'unmatched', status: '404' })).toBe(1);
  });

  test('nothing else on that listener', async () => {
    const url = t.daemon.addresses.metrics?.url ?? '';
    expect((await fetch(`${url}/`)).status).toBe(404);
    expect((await fetch(`${url}/register`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(405);
    expect(t.logText()).toContain('metrics listening');
  });
});

describe('metrics disabled', () => {
  let t: TestDaemon;
  beforeAll(async () => {
    t = await startTestDaemon({ extra: '[metrics]\nenabled = false\nlisten = "127.0.0.1:0"\n' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  test('GET /metrics is 404, no listener is opened, and the server works as before', async () => {
    expect((await fetch(`${t.api}/metrics`)).status).toBe(404);
    expect(t.daemon.addresses.metrics).toBeUndefined();
    const account = await register(t.api);
    expect(rcodeOf(await udpQuery(t.dns, { name: account.fulldomain, type: 'TXT' }))).toBe('NOERROR');
    expect(t.logText()).not.toContain('metrics listening');
  });
});

describe('certificate expiry gauge (tls = "cert")', () => {
  let dir: string;
  let t: TestDaemon;
  const pem = (name: string): string => path.join(dir, name);
  const makeCert = (name: string, days: number): void => {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', String(days),
      '-subj', '/CN=localhost', '-keyout', pem(`${name}.key`), '-out', pem(`${name}.crt`),
    ], { stdio: 'ignore' });
  };
  const notAfter = (name: string): number => Date.parse(new X509Certificate(fs.readFileSync(pem(`${name}.crt`))).validTo) / 1000;
  const install = (name: string): void => {
    for (const [from, to] of [[`${name}.key`, 'privkey.pem'], [`${name}.crt`, 'fullchain.pem']] as const) {
      fs.copyFileSync(pem(from), pem('tmp'));
      fs.renameSync(pem('tmp'), pem(to));
    }
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-metrics-cert-'));
    makeCert('short', 3);
    makeCert('long', 90);
    install('short');
    t = await startTestDaemon({
      extra: `[metrics]\nlisten = "127.0.0.1:0"\n`,
      env: { ACMEDNS_API_TLS: 'cert', ACMEDNS_API_TLS_CERT_FULLCHAIN: pem('fullchain.pem'), ACMEDNS_API_TLS_CERT_PRIVKEY: pem('privkey.pem') },
    });
  });
  afterAll(async () => {
    await t?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the served certificate's notAfter, and the new one's after a reload", async () => {
    const url = `${t.daemon.addresses.metrics?.url ?? ''}/metrics`;
    expect(valueOf(await scrape(url), 'acmedns_certificate_expiry_timestamp_seconds')).toBe(notAfter('short'));
    install('long');
    await t.daemon.reload();
    expect(valueOf(await scrape(url), 'acmedns_certificate_expiry_timestamp_seconds')).toBe(notAfter('long'));
    expect(notAfter('long')).toBeGreaterThan(notAfter('short'));
  });
});

describe('[metrics] config', () => {
  const base = '[general]\ndomain = "auth.example.org"\n[database]\nengine = "sqlite"\nconnection = "x.db"\n';
  test.each([
    ['listen = "9153"', 'metrics.listen'],
    ['listen = "localhost:9153"', 'metrics.listen'],
    ['enabled = "yes"', 'metrics.enabled'],
  ])('%s is refused naming %s', (line, key) => {
    expect(() => parseConfig(`${base}[metrics]\n${line}\n`, {})).toThrow(key);
  });

  test('defaults, and the environment override', () => {
    expect(parseConfig(base, {}).metrics).toEqual({ enabled: true, listen: '', allow: ['127.0.0.0/8', '::1/128'] });
    const env = { ACMEDNS_METRICS_LISTEN: '[::1]:9153', ACMEDNS_METRICS_ENABLED: 'false', ACMEDNS_METRICS_ALLOW: '::1,10.0.0.0/8' };
    expect(parseConfig(base, env).metrics).toEqual({ enabled: false, listen: '[::1]:9153', allow: ['::1/128', '10.0.0.0/8'] });
  });
});
