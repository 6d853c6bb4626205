import type { DnsProtocol } from '../config/types';
import { bindError, parseListenAddress, planBindings, type Binding } from './listen';

describe('parseListenAddress', () => {
  test.each([
    ['127.0.0.1:53', { host: '127.0.0.1', port: 53 }],
    ['[::1]:5353', { host: '::1', port: 5353 }],
    ['[2001:db8::1]:0', { host: '2001:db8::1', port: 0 }],
    [':53', { host: '', port: 53 }],
    ['0.0.0.0:53', { host: '0.0.0.0', port: 53 }],
  ])('%s', (text, expected) => {
    expect(parseListenAddress(text)).toEqual(expected);
  });

  test.each([
    ['127.0.0.1', /must be host:port/],
    ['::1:53', /must be host:port/],
    ['127.0.0.1:99999', /port above 65535/],
    ['localhost:53', /must be an IP address/],
    ['[not-an-ip]:53', /must be an IP address/],
    ['', /must be host:port/],
  ])('%s is rejected', (text, message) => {
    expect(() => parseListenAddress(text)).toThrow(message);
  });
});

describe('planBindings', () => {
  const plan = (listen: string[], protocol: DnsProtocol): string[] =>
    planBindings(listen, protocol).map(
      (b) => `${b.transport} ${b.host} ${b.port} v${b.family}${b.ipv6Only ? ' v6only' : ''}${b.fallbackToV4 ? ' fallback' : ''}`,
    );

  test.each<[string[], DnsProtocol, string[]]>([
    [['127.0.0.1:53'], 'both', ['udp 127.0.0.1 53 v4', 'tcp 127.0.0.1 53 v4']],
    [['[::1]:53'], 'both', ['udp ::1 53 v6', 'tcp ::1 53 v6']],
    [[':53'], 'both', ['udp :: 53 v6 fallback', 'tcp :: 53 v6 fallback']],
    [[':53'], 'both4', ['udp 0.0.0.0 53 v4', 'tcp 0.0.0.0 53 v4']],
    [[':53'], 'both6', ['udp :: 53 v6 v6only', 'tcp :: 53 v6 v6only']],
    [['127.0.0.1:53'], 'udp', ['udp 127.0.0.1 53 v4']],
    [['127.0.0.1:53'], 'tcp4', ['tcp 127.0.0.1 53 v4']],
    [['[::]:53'], 'udp6', ['udp :: 53 v6 v6only']],
    [['127.0.0.1:53', '[::1]:53'], 'both', ['udp 127.0.0.1 53 v4', 'tcp 127.0.0.1 53 v4', 'udp ::1 53 v6', 'tcp ::1 53 v6']],
  ])('%j %s', (listen, protocol, expected) => {
    expect(plan(listen, protocol)).toEqual(expected);
  });

  test.each<[string, DnsProtocol]>([
    ['[::1]:53', 'both4'],
    ['127.0.0.1:53', 'udp6'],
  ])('%s with %s: the families disagree', (listen, protocol) => {
    expect(() => planBindings([listen], protocol)).toThrow(/but protocol/);
  });
});

describe('bindError', () => {
  const b: Binding = { transport: 'udp', host: '0.0.0.0', port: 53, family: 4, ipv6Only: false, fallbackToV4: false, text: ':53' };
  const sysErr = (code: string): Error => Object.assign(new Error(`bind ${code} 0.0.0.0:53`), { code });

  test.each([
    ['EACCES', 'permission denied binding :53 (udp) (port < 1024 needs root or CAP_NET_BIND_SERVICE)'],
    ['EADDRINUSE', 'address already in use: :53 (udp)'],
    ['EADDRNOTAVAIL', 'address not available on this host: :53 (udp)'],
    ['EINVAL', 'cannot bind :53 (udp): bind EINVAL 0.0.0.0:53'],
  ])('%s', (code, message) => {
    const err = bindError(sysErr(code), b);
    expect(err.message).toBe(message);
    expect(err.code).toBe(code);
  });
});
