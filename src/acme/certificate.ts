/** Reading a key + chain pair and deciding whether it can serve the configured names. */
import { X509Certificate, createPrivateKey } from 'node:crypto';

/** A private key and the certificate chain that goes with it (leaf first), both PEM. */
export interface CertificatePair {
  readonly key: string;
  readonly cert: string;
}

/** What the manager needs to know about a certificate it holds. */
export interface CertificateInfo {
  readonly notBefore: number;
  readonly notAfter: number;
  /** DNS names of the leaf's subjectAltName, lower-case. */
  readonly names: readonly string[];
  /** Hex serial, for log lines. */
  readonly serial: string;
  /** The leaf alone (PEM), for ARI. */
  readonly leafPem: string;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Splits a PEM chain into its certificates, in order. */
export function splitChain(chain: string): string[] {
  return chain.match(PEM_CERT) ?? [];
}

/** The DNS names in a subjectAltName string as Node prints it (`DNS:a, DNS:b, IP Address:…`). */
export function dnsNames(subjectAltName: string | undefined): string[] {
  if (!subjectAltName) return [];
  return subjectAltName
    .split(/,\s*/)
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4).toLowerCase());
}

/** Parses the leaf and checks that the key belongs to it; throws with the reason when not. */
export function inspectPair(pair: CertificatePair): CertificateInfo {
  const [leafPem] = splitChain(pair.cert);
  if (!leafPem) throw new Error('no certificate in the chain file');
  const leaf = new X509Certificate(leafPem);
  if (!leaf.checkPrivateKey(createPrivateKey(pair.key))) {
    throw new Error('the private key does not belong to the certificate (interrupted write?)');
  }
  return {
    notBefore: Date.parse(leaf.validFrom),
    notAfter: Date.parse(leaf.validTo),
    names: dnsNames(leaf.subjectAltName),
    serial: leaf.serialNumber,
    leafPem,
  };
}

/**
 * Why a held certificate cannot serve now, or undefined when it can: it must cover every
 * configured name and still be within its validity period. A certificate past its renewal
 * time still serves (and is renewed at once).
 */
export function unusableReason(info: CertificateInfo, names: readonly string[], now: number): string | undefined {
  const missing = names.filter((n) => !info.names.includes(n.toLowerCase()));
  if (missing.length > 0) return `it does not cover ${missing.join(', ')}`;
  if (info.notAfter <= now) return `it expired at ${new Date(info.notAfter).toISOString()}`;
  if (info.notBefore > now + 3600_000) return `it is not valid before ${new Date(info.notBefore).toISOString()}`;
  return undefined;
}
