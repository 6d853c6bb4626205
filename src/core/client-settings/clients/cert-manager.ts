/**
 * cert-manager's acmeDNS solver (pkg/issuer/acme/dns/acmedns): `acmeDNS.host` and
 * `accountSecretRef` naming a key of a Secret that holds the account file, keyed by the base name
 * (cert-manager looks the account up by the challenge's DNSName, which has no `*.`).
 */
import { accountJson } from '../account';
import { cnameLines, type SettingsContext } from '../context';
import { yamlBlock, yamlString } from '../quote';
import type { ClientSettings } from '../types';

/** A Kubernetes object name (RFC 1123 label) made from a domain: `*.shop.example` -> `shop-example`. */
export function objectName(domain: string): string {
  const name = domain
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 57)
    .replace(/-+$/, '');
  return name === '' ? 'acmedns' : name;
}

/** cert-manager: the Secret with the account, a ClusterIssuer using it and a Certificate. */
export function certManagerSettings(ctx: SettingsContext): ClientSettings {
  const secret = [
    '# The acme-dns account. A ClusterIssuer reads Secrets from the cluster resource namespace',
    '# (cert-manager by default). The CNAME record(s) to create first:',
    cnameLines(ctx, '#   '),
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: acme-dns',
    '  namespace: cert-manager',
    'type: Opaque',
    'stringData:',
    `  acmedns.json: ${yamlBlock(accountJson(ctx.account, ctx.bases), 2)}`,
    '',
  ].join('\n');
  const name = objectName(ctx.bases[0] ?? '');
  const issuer = [
    'apiVersion: cert-manager.io/v1',
    'kind: ClusterIssuer',
    'metadata:',
    '  name: letsencrypt-acmedns',
    'spec:',
    '  acme:',
    '    server: https://acme-v02.api.letsencrypt.org/directory',
    `    email: ${yamlString(ctx.email)}`,
    '    privateKeySecretRef:',
    '      name: letsencrypt-acmedns-account',
    '    solvers:',
    '      - dns01:',
    '          acmeDNS:',
    `            host: ${yamlString(ctx.url.base)}`,
    '            accountSecretRef:',
    '              name: acme-dns',
    '              key: acmedns.json',
    '---',
    'apiVersion: cert-manager.io/v1',
    'kind: Certificate',
    'metadata:',
    `  name: ${name}`,
    '  namespace: default',
    'spec:',
    `  secretName: ${name}-tls`,
    '  issuerRef:',
    '    kind: ClusterIssuer',
    '    name: letsencrypt-acmedns',
    '  dnsNames:',
    ...ctx.names.map((n) => `    - ${yamlString(n)}`),
    '',
  ].join('\n');
  return {
    id: 'cert-manager',
    title: 'cert-manager',
    files: [
      { name: 'secret.yaml', language: 'yaml', text: secret },
      { name: 'issuer.yaml', language: 'yaml', text: issuer },
    ],
    note:
      'kubectl apply -f secret.yaml -f issuer.yaml. cert-manager never registers; it checks every name ' +
      'server of this zone on port 53, then waits 60 s before telling the CA. Use your own address for email.',
  };
}
