/**
 * Ready-to-paste settings for the RFC 2136 clients that use a new TSIG key: nsupdate and knsupdate,
 * lego's `rfc2136` provider, cert-manager's `rfc2136` solver and acme.sh's `dns_nsupdate`. Pure:
 * the CLI prints them (`acmedns accounts tsig add`), the API returns the same (POST /account/tsig).
 * The names and forms are those each client documents (reference/standards.md).
 */
import { isIP } from 'node:net';
import { TSIG_ALGORITHMS, type TsigAlgorithm } from '../core/tsig-algorithms';
import type { NewTsigKey, TsigKeyInfo } from './tsig-keys';

/** Where RFC 2136 clients send their updates. */
export interface ServerAddress {
  /** A host name or an IP address (IPv6 without brackets). */
  readonly host: string;
  readonly port: number;
}

/** The standard DNS port, when an address names none. */
const DNS_PORT = 53;

/**
 * `host`, `host:port`, `ipv4:port`, `[ipv6]:port`, `[ipv6]` or a bare IPv6 address; undefined when
 * it is none of them (a port out of range, a host that is no name nor address).
 */
export function parseServerAddress(text: string): ServerAddress | undefined {
  const t = text.trim();
  const v6 = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(t);
  const [host, portText] = v6 !== null ? [v6[1] ?? '', v6[2]] : isIP(t) === 6 ? [t, undefined] : (t.split(/:(?=\d{1,5}$)/) as [string, string?]);
  const port = portText === undefined ? DNS_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  if (v6 !== null || isIP(host) === 6) return isIP(host) === 6 ? { host, port } : undefined;
  const name = host.replace(/\.$/, '');
  const isName = name.length > 0 && name.length <= 253 && /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(name);
  return isName ? { host: name, port } : undefined;
}

/** `host:port`, IPv6 in brackets (lego's RFC2136_NAMESERVER, cert-manager's nameserver). */
export function hostPort(server: ServerAddress): string {
  return isIP(server.host) === 6 ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

/**
 * The address the settings name when none is given: the SOA MNAME (`general.nsname`), which is
 * where RFC 2136 §4 sends a requestor (the primary master), on the port DNS listens on; 53 when
 * that port is 0 (chosen by the system: only tests do that) or unknown.
 */
export function defaultServer(nsname: string, listenPort: number | undefined): ServerAddress {
  return { host: nsname, port: listenPort === undefined || listenPort === 0 ? DNS_PORT : listenPort };
}

/** cert-manager's part of the settings. */
export interface CertManagerSettings {
  /** Its `tsigAlgorithm` value. */
  readonly tsigAlgorithm: string;
  /** A Kubernetes Secret holding the base64 secret under key `secret`. */
  readonly secret: string;
  /** The `solvers:` entry of an Issuer or ClusterIssuer (`spec.acme.solvers`). */
  readonly solver: string;
}

/** Every client's settings for one key. */
export interface TsigSettings {
  /** `alg:name.:secret`: the argument of `nsupdate -y` and `knsupdate -y` (and the line a `knsupdate -k` file holds). */
  readonly nsupdateKey: string;
  /** A BIND key file (`key "name." { ... };`) for `nsupdate -k` and acme.sh's NSUPDATE_KEY; knsupdate 3.2 cannot read it. */
  readonly keyFile: string;
  /** The file name the settings suggest for the key file (acme.sh's NSUPDATE_KEY points at it). */
  readonly keyFileName: string;
  /** nsupdate/knsupdate commands that add a test value at the account's name and remove it again. */
  readonly nsupdateCommands: string;
  /** lego's environment for `--dns rfc2136`; null where lego cannot sign with the algorithm (hmac-md5). */
  readonly lego: Readonly<Record<string, string>> | null;
  /** null where cert-manager has no name for the algorithm (hmac-sha224, hmac-sha384). */
  readonly certManager: CertManagerSettings | null;
  /** acme.sh's environment for `--dns dns_nsupdate` (NSUPDATE_KEY is a shell expression: `$PWD/<file>`). */
  readonly acmeSh: Readonly<Record<string, string>>;
  /** The acme.sh command; `--domain-alias` makes it write at the account's name itself. */
  readonly acmeShCommand: string;
}

/** The value the nsupdate commands add and remove to show that the key works. */
export const TEST_VALUE = 'acmedns-tsig-test';

/** cert-manager's `tsigAlgorithm` values: its rfc2136.go supportedAlgorithms has no others (no SHA224, no SHA384). */
const CERT_MANAGER_ALGORITHMS: Readonly<Partial<Record<TsigAlgorithm, string>>> = {
  'hmac-sha256': 'HMACSHA256',
  'hmac-sha512': 'HMACSHA512',
  'hmac-sha1': 'HMACSHA1',
  'hmac-md5': 'HMACMD5',
};

/**
 * lego's RFC2136_TSIG_ALGORITHM: the TSIG RR's name with the final dot, as miekg/dns names its
 * constants. Undefined for hmac-md5: Debian's lego 4.9.1 cannot sign with it under any spelling
 * (`dns: bad key algorithm`, README "Clients"), so settings for it would only fail later.
 */
function legoAlgorithm(algorithm: TsigAlgorithm): string | undefined {
  return algorithm === 'hmac-md5' ? undefined : `${TSIG_ALGORITHMS[algorithm].wireName}.`;
}

/** lego's environment, when lego can sign with the key's algorithm. */
function legoSettings(key: NewTsigKey, server: string): Readonly<Record<string, string>> | null {
  const algorithm = legoAlgorithm(key.algorithm);
  if (algorithm === undefined) return null;
  return {
    RFC2136_NAMESERVER: server,
    RFC2136_TSIG_KEY: `${key.name}.`,
    RFC2136_TSIG_SECRET: key.secret,
    RFC2136_TSIG_ALGORITHM: algorithm,
  };
}

/** cert-manager's part, when it has a name for the algorithm. */
function certManagerSettings(key: NewTsigKey, server: string): CertManagerSettings | null {
  const tsigAlgorithm = CERT_MANAGER_ALGORITHMS[key.algorithm];
  if (tsigAlgorithm === undefined) return null;
  const secretName = `acmedns-tsig-${key.name.split('.')[0] ?? ''}`;
  const secret = ['apiVersion: v1', 'kind: Secret', 'metadata:', `  name: ${secretName}`, 'type: Opaque', 'stringData:', `  secret: "${key.secret}"`, ''].join('\n');
  const solver = [
    '- dns01:',
    // Follow the user's _acme-challenge CNAME to the account's name (standards.md).
    '    cnameStrategy: Follow',
    '    rfc2136:',
    `      nameserver: "${server}"`,
    `      tsigKeyName: "${key.name}."`,
    `      tsigAlgorithm: ${tsigAlgorithm}`,
    '      tsigSecretSecretRef:',
    `        name: ${secretName}`,
    '        key: secret',
    '',
  ].join('\n');
  return { tsigAlgorithm, secret, solver };
}

/** Every client's settings for `key`, sending to `server` for `zone` (nsupdate, knsupdate and BIND key files name the algorithm as we do). */
export function tsigSettings(key: NewTsigKey, server: ServerAddress, zone: string): TsigSettings {
  const address = hostPort(server);
  const keyFileName = `${key.name}.key`;
  const commands = [
    `server ${server.host} ${server.port}`,
    `zone ${zone}.`,
    `update add ${key.fqdn}. 60 TXT "${TEST_VALUE}"`,
    'send',
    `update delete ${key.fqdn}. TXT "${TEST_VALUE}"`,
    'send',
    '',
  ].join('\n');
  return {
    nsupdateKey: `${key.algorithm}:${key.name}.:${key.secret}`,
    keyFile: `key "${key.name}." {\n\talgorithm ${key.algorithm};\n\tsecret "${key.secret}";\n};\n`,
    keyFileName,
    nsupdateCommands: commands,
    lego: legoSettings(key, address),
    certManager: certManagerSettings(key, address),
    acmeSh: {
      NSUPDATE_SERVER: server.host,
      NSUPDATE_SERVER_PORT: String(server.port),
      NSUPDATE_KEY: `$PWD/${keyFileName}`,
      NSUPDATE_ZONE: zone,
    },
    acmeShCommand: `acme.sh --issue --dns dns_nsupdate -d example.com --domain-alias ${key.fqdn}`,
  };
}

/** A new key as the API returns it and `tsig add --json` prints it: the key, where to send, every client's settings. */
export interface TsigKeyDocument {
  readonly name: string;
  readonly algorithm: string;
  /** Base64; shown only here. */
  readonly secret: string;
  /** The account's name, the only one the key may change. */
  readonly fqdn: string;
  /** `host:port` that takes the updates. */
  readonly server: string;
  /** The zone the account's name lies in. */
  readonly zone: string;
  readonly settings: TsigSettings;
}

/** The document for `key`, sending to `server` for `zone`. */
export function tsigKeyDocument(key: NewTsigKey, server: ServerAddress, zone: string): TsigKeyDocument {
  return { name: key.name, algorithm: key.algorithm, secret: key.secret, fqdn: key.fqdn, server: hostPort(server), zone, settings: tsigSettings(key, server, zone) };
}

/** A listed key as the API returns it and `tsig list --json` prints it: never the secret. */
export interface TsigKeyListing {
  readonly name: string;
  readonly algorithm: string;
  /** ISO 8601 UTC; null when the stored time is no time a Date can hold. */
  readonly created: string | null;
}

/** The listing of `key`. */
export function tsigKeyListing(key: TsigKeyInfo): TsigKeyListing {
  const date = new Date(key.createdAt * 1000);
  const created = Number.isNaN(date.getTime()) ? null : date.toISOString().replace('.000Z', 'Z');
  return { name: key.name, algorithm: key.algorithm, created };
}
