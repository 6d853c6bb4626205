import type { RData } from './packet';

/** RDATA in zone-file presentation form (RFC 1035 §5.1), for logs and readable test tables. */
export function rdataText(d: RData): string {
  switch (d.type) {
    case 'A':
    case 'AAAA':
      return d.address;
    case 'NS':
    case 'CNAME':
      return d.target;
    case 'MX':
      return `${d.preference} ${d.exchange}`;
    case 'SRV':
      return `${d.priority} ${d.weight} ${d.port} ${d.target}`;
    case 'TXT':
      return d.strings.map((s) => JSON.stringify(s.toString('latin1'))).join(' ');
    case 'CAA':
      return `${d.flags} ${d.tag} ${JSON.stringify(d.value)}`;
    case 'SOA':
      return `${d.mname} ${d.rname} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
    case 'DNSKEY':
      return `${d.flags} 3 ${d.algorithm} ${d.publicKey.toString('base64')}`;
    case 'RRSIG':
      return `${d.typeCovered} ${d.algorithm} ${d.labels} ${d.originalTtl} ${d.expiration} ${d.inception} ${d.keyTag} ${d.signer} ${d.signature.toString('base64')}`;
    case 'NSEC':
      return `${d.next.map((l) => l.toString('latin1')).join('.')} ${[...d.types].sort((a, b) => a - b).join(' ')}`;
  }
}
