/**
 * pebble as the CA: DNS-01 validation through our unbound only, no random sleeps, never
 * PEBBLE_VA_ALWAYS_VALID, no authorization reuse (every order is really validated). Its HTTPS
 * listener gets a certificate from a throw-away CA made here (Debian ships none); the issuing
 * root, which changes on every start, comes from the management interface.
 */
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { makeCa, makeLeaf, type PemFiles } from './openssl';
import { startManaged, waitUntilReady, type Managed } from './proc';

/** pebble's ACME port. */
export const PEBBLE_PORT = 14000;
/** pebble's management port. */
export const PEBBLE_MANAGEMENT_PORT = 15000;

/** A pebble that can be stopped and started again on the same address. */
export interface Pebble {
  readonly directoryUrl: string;
  /** The CA of pebble's own HTTPS listener (PEM), for clients talking ACME to it. */
  readonly httpsCa: string;
  readonly httpsCaFile: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  running(): boolean;
  /** The root that signs issued certificates (changes on every start). */
  issuingRoot(): Promise<string>;
  output(): string;
}

/** GET over HTTPS trusting `ca`; resolves with status and body. */
export function httpsGet(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca, agent: false, timeout: 5000 }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('timeout', function (this: { destroy(e: Error): void }) {
        this.destroy(new Error(`timeout: ${url}`));
      })
      .on('error', reject);
  });
}

/** Prepares pebble on `address` (validating through `resolver`); starts it unless `start` is false. */
export async function createPebble(options: {
  dir: string;
  address: string;
  resolver: string;
  start: boolean;
  eabKeys?: Record<string, string>;
}): Promise<Pebble> {
  const dir = path.join(options.dir, 'pebble');
  fs.mkdirSync(dir, { recursive: true });
  const ca: PemFiles = makeCa(dir, 'pebble-https-ca');
  const leaf = makeLeaf(dir, ca, 'pebble-https', { dns: ['pebble'], ips: [options.address] });
  const config = path.join(dir, 'pebble.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      pebble: {
        listenAddress: `${options.address}:${PEBBLE_PORT}`,
        managementListenAddress: `${options.address}:${PEBBLE_MANAGEMENT_PORT}`,
        certificate: leaf.certFile,
        privateKey: leaf.keyFile,
        httpPort: 5002,
        tlsPort: 5001,
        ocspResponderURL: '',
        externalAccountBindingRequired: options.eabKeys !== undefined,
        ...(options.eabKeys ? { externalAccountMACKeys: options.eabKeys } : {}),
      },
    }),
  );
  const directoryUrl = `https://${options.address}:${PEBBLE_PORT}/dir`;
  const management = `https://${options.address}:${PEBBLE_MANAGEMENT_PORT}`;
  let proc: Managed | undefined;
  let previousOutput = '';

  const pebble: Pebble = {
    directoryUrl,
    httpsCa: ca.cert,
    httpsCaFile: ca.certFile,
    async start() {
      if (proc && !proc.exited()) return;
      previousOutput += proc?.output() ?? '';
      proc = startManaged('pebble', 'pebble', ['-config', config, '-dnsserver', `${options.resolver}:53`], {
        PEBBLE_VA_NOSLEEP: '1',
        PEBBLE_AUTHZREUSE: '0',
      });
      await waitUntilReady(proc, async () => (await httpsGet(directoryUrl, ca.cert)).status === 200);
    },
    async stop() {
      await proc?.stop();
    },
    running: () => proc !== undefined && !proc.exited(),
    async issuingRoot() {
      const res = await httpsGet(`${management}/roots/0`, ca.cert);
      if (res.status !== 200) throw new Error(`pebble roots/0: HTTP ${res.status}`);
      return res.body;
    },
    output: () => previousOutput + (proc?.output() ?? ''),
  };
  if (options.start) await pebble.start();
  return pebble;
}
