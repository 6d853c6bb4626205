import { tsigKeyDocument, type TsigKeyDocument } from '../../accounts';
import type { TsigAlgorithm } from '../../core/tsig-algorithms';
import { newTsigKeyText } from './tsig-format';

const FQDN = '8e5700ea-a4bf-4fe4-9f5c-5bb01d4e53a7.auth.example.org';
const doc = (algorithm: TsigAlgorithm): TsigKeyDocument =>
  tsigKeyDocument(
    { name: `0a1b2c3d.${FQDN}`, algorithm, secret: 'c2VjcmV0', fqdn: FQDN, username: 'c36f50e8-4632-44f0-83fe-e070fef28a10' },
    { host: 'ns1.auth.example.org', port: 53 },
    'auth.example.org',
  );

describe('tsig add for people', () => {
  test('lego gets its environment and command when it can sign with the algorithm', () => {
    const text = newTsigKeyText(doc('hmac-sha256'));
    expect(text).toContain(
      `# lego (--dns rfc2136; it follows your _acme-challenge CNAME to ${FQDN})\n` +
        'export RFC2136_NAMESERVER="ns1.auth.example.org:53"\n' +
        `export RFC2136_TSIG_KEY="0a1b2c3d.${FQDN}."\n` +
        'export RFC2136_TSIG_SECRET="c2VjcmV0"\n' +
        'export RFC2136_TSIG_ALGORITHM="hmac-sha256."\n' +
        'lego --dns rfc2136 --domains example.com --email you@example.com run\n\n# cert-manager: ',
    );
  });

  test('hmac-md5: lego is said not to sign with it, and given nothing to paste; the other clients are', () => {
    const text = newTsigKeyText(doc('hmac-md5'));
    expect(text).toContain(
      '# lego cannot sign with hmac-md5 ("dns: bad key algorithm"; it takes hmac-sha1 to hmac-sha512):\n' +
        '# create a key with --algorithm hmac-sha256 for it.\n\n# cert-manager: ',
    );
    expect(text).not.toContain('RFC2136_');
    expect(text).toContain('      tsigAlgorithm: HMACMD5\n');
    expect(text).toContain(`nsupdate -y hmac-md5:0a1b2c3d.${FQDN}.:c2VjcmV0 <<'EOF'\n`);
  });
});
