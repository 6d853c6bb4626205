/**
 * Test certificates made with the openssl command line (Node can verify certificates but not
 * make them): a CA for pebble's HTTPS listener and leaves for the certificate-cache tests.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** A key and certificate on disk, and their PEM text. */
export interface PemFiles {
  readonly keyFile: string;
  readonly certFile: string;
  readonly key: string;
  readonly cert: string;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function read(keyFile: string, certFile: string): PemFiles {
  return { keyFile, certFile, key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8') };
}

/** A self-signed P-256 CA named `name`, valid for `days`. */
export function makeCa(dir: string, name: string, days = 2): PemFiles {
  const keyFile = path.join(dir, `${name}.key`);
  const certFile = path.join(dir, `${name}.pem`);
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile,
    '-days', String(days), '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  return read(keyFile, certFile);
}

/** A P-256 leaf signed by `ca` for the given DNS names and IP addresses. */
export function makeLeaf(dir: string, ca: PemFiles, name: string, san: { dns?: string[]; ips?: string[] }, days = 2): PemFiles {
  const keyFile = path.join(dir, `${name}.key`);
  const certFile = path.join(dir, `${name}.pem`);
  const csrFile = path.join(dir, `${name}.csr`);
  const extFile = path.join(dir, `${name}.ext`);
  const alt = [...(san.dns ?? []).map((d) => `DNS:${d}`), ...(san.ips ?? []).map((ip) => `IP:${ip}`)].join(',');
  fs.writeFileSync(extFile, `subjectAltName=${alt}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nauthorityKeyIdentifier=keyid\n`);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', csrFile, '-subj', `/CN=${name}`]);
  openssl(['x509', '-req', '-in', csrFile, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial', '-out', certFile,
    '-days', String(days), '-extfile', extFile]);
  return read(keyFile, certFile);
}
