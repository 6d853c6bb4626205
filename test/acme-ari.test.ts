/**
 * ARI (RFC 9773) over real HTTP: pebble 2.4 offers no renewalInfo, so a small local server plays
 * the CA's directory and renewalInfo endpoint. The certificate and its expected id come from
 * openssl, an oracle independent of our DER reader.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { inspectPair } from '../src/acme/certificate';
import { checkRenewal } from '../src/acme/renewal/renewal-check';
import { twoThirdsPoint } from '../src/acme/renewal/schedule';
import { makeCa, makeLeaf, type PemFiles } from './topology/openssl';

/** certID computed from openssl's own printout of the AKI and the serial. */
function expectedCertId(certFile: string): string {
  const text = execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-ext', 'authorityKeyIdentifier', '-serial'], { encoding: 'utf8' });
  const aki = /([0-9A-F]{2}(?::[0-9A-F]{2})+)/.exec(text)?.[1]?.replace(/:/g, '') ?? '';
  let serial = /serial=([0-9A-F]+)/.exec(text)?.[1] ?? '';
  if (serial.length % 2) serial = `0${serial}`;
  // DER INTEGER content: a leading zero octet when the high bit is set (X.690 §8.3.2).
  if (parseInt(serial.slice(0, 2), 16) >= 0x80) serial = `00${serial}`;
  return `${Buffer.from(aki, 'hex').toString('base64url')}.${Buffer.from(serial, 'hex').toString('base64url')}`;
}

describe('ACME Renewal Information from a CA that offers it', () => {
  let dir: string;
  let leaf: PemFiles;
  let server: http.Server;
  let base: string;
  const requested: string[] = [];
  let window = { start: '', end: '' };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acmedns-ari-'));
    leaf = makeLeaf(dir, makeCa(dir, 'ari-ca'), 'ari-leaf', { dns: ['auth.example.org'] }, 90);
    server = http.createServer((req, res) => {
      requested.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      if (req.url === '/dir') {
        res.end(JSON.stringify({ newOrder: `${base}/new-order`, renewalInfo: `${base}/renewal-info` }));
        return;
      }
      res.setHeader('retry-after', '21600');
      res.end(JSON.stringify({ suggestedWindow: window, explanationURL: 'https://ca.example/incident' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('asks for the right certificate id and renews inside an earlier suggested window', async () => {
    const info = inspectPair({ key: leaf.key, cert: leaf.cert });
    const now = info.notBefore + 86400_000;
    window = { start: new Date(now + 2 * 86400_000).toISOString(), end: new Date(now + 3 * 86400_000).toISOString() };
    const plan = await checkRenewal({
      directoryUrl: `${base}/dir`, http: { timeoutMs: 5000 }, info, now: () => now, random: () => 0.5, logger: pino({ level: 'silent' }),
    });
    expect(requested).toContain(`/renewal-info/${expectedCertId(leaf.certFile)}`);
    expect(plan.reason).toBe('ari');
    expect(plan.renewAt).toBe(now + 2.5 * 86400_000);
    // Retry-After 6 h: look again then, well before the window.
    expect(plan.wakeAt).toBe(now + 21600_000);
  });

  it('keeps the two-thirds point when the window is later', async () => {
    const info = inspectPair({ key: leaf.key, cert: leaf.cert });
    const now = info.notBefore + 86400_000;
    window = { start: new Date(info.notAfter - 86400_000).toISOString(), end: new Date(info.notAfter).toISOString() };
    const plan = await checkRenewal({
      directoryUrl: `${base}/dir`, http: { timeoutMs: 5000 }, info, now: () => now, random: () => 0.5, logger: pino({ level: 'silent' }),
    });
    expect(plan.reason).toBe('two-thirds');
    expect(plan.renewAt).toBe(twoThirdsPoint(info));
  });

  it('plans without advice when the CA cannot be asked', async () => {
    const info = inspectPair({ key: leaf.key, cert: leaf.cert });
    const plan = await checkRenewal({
      directoryUrl: 'http://127.0.0.1:1/dir', http: { timeoutMs: 2000 }, info, now: () => info.notBefore, random: () => 0.5, logger: pino({ level: 'silent' }),
    });
    expect(plan.reason).toBe('two-thirds');
    expect(plan.renewAt).toBe(twoThirdsPoint(info));
  });
});
