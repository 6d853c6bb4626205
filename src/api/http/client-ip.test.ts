import { clientIpPolicy, parseForwardedEntry, resolveClient } from './client-ip';

const policy = (useHeader: boolean, trusted: string[], headerName = 'X-Forwarded-For') =>
  clientIpPolicy({ useHeader, headerName, trustedProxies: trusted });

describe('resolveClient', () => {
  test.each<[string, boolean, string[], string | undefined, string, string, string | undefined]>([
    // [case, useHeader, trusted, header, peer, expected text, expected ip]
    ['header off: peer', false, ['127.0.0.1/32'], '10.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.1'],
    ['header off: mapped peer becomes IPv4', false, [], undefined, '::ffff:10.1.2.3', '::ffff:10.1.2.3', '10.1.2.3'],
    ['untrusted peer: header ignored', true, ['192.0.2.1/32'], '10.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.1'],
    ['no trusted proxies at all: header ignored', true, [], '10.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.1'],
    ['trusted peer, header absent: peer', true, ['127.0.0.1/32'], undefined, '127.0.0.1', '127.0.0.1', '127.0.0.1'],
    ['trusted peer, header empty: peer', true, ['127.0.0.1/32'], ' , ', '127.0.0.1', '127.0.0.1', '127.0.0.1'],
    ['trusted peer, one entry', true, ['127.0.0.0/8'], '10.0.0.1', '127.0.0.1', '10.0.0.1', '10.0.0.1'],
    ['mapped trusted peer', true, ['127.0.0.1'], '10.0.0.1', '::ffff:127.0.0.1', '10.0.0.1', '10.0.0.1'],
    // spoofing: the client prepends an allowed address; our proxy appends the real one
    ['spoof: right-most wins', true, ['127.0.0.1/32'], '192.168.1.2, 203.0.113.9', '127.0.0.1', '203.0.113.9', '203.0.113.9'],
    ['spoof: acme-dns test header', true, ['127.0.0.1/32'], '10.1.1.1 ,192.168.1.2, 8.8.8.8', '127.0.0.1', '8.8.8.8', '8.8.8.8'],
    ['proxy chain: skip trusted hops', true, ['127.0.0.1/32', '10.9.0.0/16'], '192.168.1.2, 203.0.113.9, 10.9.1.1', '127.0.0.1', '203.0.113.9', '203.0.113.9'],
    ['all trusted: left-most', true, ['127.0.0.1/32', '10.9.0.0/16'], '10.9.0.5, 10.9.1.1', '127.0.0.1', '10.9.0.5', '10.9.0.5'],
    ['garbage right-most: it is the client, matching nothing', true, ['127.0.0.1/32'], '192.168.1.2, whatever', '127.0.0.1', 'whatever', undefined],
    ['port on an entry', true, ['127.0.0.1/32'], '203.0.113.9:5678', '127.0.0.1', '203.0.113.9:5678', '203.0.113.9'],
    ['bracketed IPv6 with port', true, ['127.0.0.1/32'], '[2001:db8::1]:443', '127.0.0.1', '[2001:db8::1]:443', '2001:db8::1'],
    ['IPv6 entry', true, ['::1/128'], '2002:c0a8:b4dc:d3::', '::1', '2002:c0a8:b4dc:d3::', '2002:c0a8:b4dc:d3::'],
  ])('%s', (_name, useHeader, trusted, header, peer, text, ip) => {
    const client = resolveClient(peer, header, policy(useHeader, trusted));
    expect(client.text).toBe(text);
    expect(client.ip?.toString()).toBe(ip);
  });

  test('repeated header lines are read as one list', () => {
    const client = resolveClient('127.0.0.1', ['192.168.1.2', '203.0.113.9'], policy(true, ['127.0.0.1/32']));
    expect(client.text).toBe('203.0.113.9');
  });

  test('an empty header_name disables the header', () => {
    const p = clientIpPolicy({ useHeader: true, headerName: '', trustedProxies: ['127.0.0.1/32'] });
    expect(p.useHeader).toBe(false);
    expect(resolveClient('127.0.0.1', '10.0.0.1', p).text).toBe('127.0.0.1');
  });

  test('invalid trusted proxy entries are skipped, bare addresses are hosts', () => {
    const p = clientIpPolicy({ useHeader: true, headerName: 'X-Real-IP', trustedProxies: ['nonsense', '127.0.0.1', '[::1]'] });
    expect(p.trustedProxies.map((c) => `${c.network.toString()}/${c.prefix}`)).toEqual(['127.0.0.1/32', '::1/128']);
    expect(p.headerName).toBe('x-real-ip');
  });
});

describe('parseForwardedEntry', () => {
  test.each<[string, string | undefined]>([
    ['1.2.3.4', '1.2.3.4'],
    ['1.2.3.4:80', '1.2.3.4'],
    ['[::1]', '::1'],
    ['[::1]:80', '::1'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['unknown', undefined],
    ['1.2.3.4:', undefined],
    ['[::1', undefined],
  ])('%j -> %j', (s, out) => expect(parseForwardedEntry(s)?.toString()).toBe(out));
});
