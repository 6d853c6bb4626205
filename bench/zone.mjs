// The zone both servers serve, described once: name, SOA fields, static records and TTLs, so
// our server's config and knot's zone file say the same thing.

/** The benchmark zone: acme-dns's example layout with its TTLs (static 3600 s, TXT 1 s). */
export function benchZone() {
  const domain = 'auth.example.org';
  return {
    domain,
    nsname: domain,
    nsadmin: 'admin.example.org',
    records: [`${domain}. A 127.0.0.1`, `${domain}. NS ${domain}.`],
    staticTtl: 3600,
    txtTtl: 1,
    // SOA MINIMUM: a short negative-caching time (RFC 2308 §5); the figure only sizes the answer.
    negativeTtl: 60,
  };
}

/** An RFC 1035 §5 master file of the zone with one TXT record per account. */
export function zoneFile(zone, accounts) {
  const serial = 2024010100;
  const out = [
    `$ORIGIN ${zone.domain}.`,
    `$TTL ${zone.staticTtl}`,
    `@ SOA ${zone.nsname}. ${zone.nsadmin}. ${serial} 28800 7200 604800 ${zone.negativeTtl}`,
    ...zone.records,
  ];
  for (const a of accounts) out.push(`${a.subdomain} ${zone.txtTtl} TXT "${a.value}"`);
  return out.join('\n') + '\n';
}
