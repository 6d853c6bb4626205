import {
  parseBindIp,
  parseCidr,
  parseDomain,
  parseDuration,
  parseHeaderName,
  parseHttpUrl,
  parseListen,
  parsePort,
  type Parsed,
} from './values';

/** The value when parsed, or `Error: <reason>` so one table holds both outcomes. */
function outcome<T>(parsed: Parsed<T>): T | string {
  return parsed.ok ? parsed.value : `Error: ${parsed.reason}`;
}

describe('parseDuration', () => {
  test.each<[number | string, number | string]>([
    [0, 0],
    [60, 60],
    ['60', 60],
    ['90s', 90],
    ['10m', 600],
    ['168h', 604800],
    ['7d', 604800],
    ['1h30m', 5400],
    [' 7D ', 604800],
    [-1, 'Error: must be a duration: seconds as an integer, or a string like "90s", "10m", "168h", "7d" (got -1)'],
    [1.5, 'Error: must be a duration: seconds as an integer, or a string like "90s", "10m", "168h", "7d" (got 1.5)'],
    ['7 days', 'Error: must be a duration: seconds as an integer, or a string like "90s", "10m", "168h", "7d" (got "7 days")'],
    ['10ms', 'Error: must be a duration: seconds as an integer, or a string like "90s", "10m", "168h", "7d" (got "10ms")'],
    ['', 'Error: must be a duration: seconds as an integer, or a string like "90s", "10m", "168h", "7d" (got "")'],
    ['h', 'Error: must be a duration: seconds as an integer, or a string like "90s", "10m", "168h", "7d" (got "h")'],
  ])('%p -> %p', (input, want) => {
    expect(outcome(parseDuration(input))).toBe(want);
  });
});

describe('parsePort', () => {
  test.each<[number | string, number | string]>([
    ['443', 443],
    [8080, 8080],
    ['0', 0],
    [65535, 65535],
    ['65536', 'Error: must be a port number 0-65535, as a string or an integer (got "65536")'],
    [-1, 'Error: must be a port number 0-65535, as a string or an integer (got -1)'],
    ['https', 'Error: must be a port number 0-65535, as a string or an integer (got "https")'],
    ['', 'Error: must be a port number 0-65535, as a string or an integer (got "")'],
  ])('%p -> %p', (input, want) => {
    expect(outcome(parsePort(input))).toBe(want);
  });
});

describe('parseListen', () => {
  const bad = (s: string) => `Error: ${JSON.stringify(s)} is not host:port (e.g. "127.0.0.1:53", "[::1]:53" or ":53")`;
  test.each<[string, string]>([
    ['127.0.0.1:53', '127.0.0.1:53'],
    [':53', ':53'],
    ['[::1]:5353', '[::1]:5353'],
    ['[2001:db8::1]:053', '[2001:db8::1]:53'],
    ['0.0.0.0:0', '0.0.0.0:0'],
    ['abc', bad('abc')],
    ['127.0.0.1', bad('127.0.0.1')],
    ['::1:53', bad('::1:53')],
    ['[127.0.0.1]:53', bad('[127.0.0.1]:53')],
    ['localhost:53', bad('localhost:53')],
    ['1.2.3:53', bad('1.2.3:53')],
    ['127.0.0.1:65536', bad('127.0.0.1:65536')],
    ['127.0.0.1:', bad('127.0.0.1:')],
  ])('%p -> %p', (input, want) => {
    expect(outcome(parseListen(input))).toBe(want);
  });
});

describe('parseBindIp', () => {
  const bad = (s: string) =>
    `Error: ${JSON.stringify(s)} is not an IP address (e.g. "0.0.0.0", "127.0.0.1", "[::1]", or "" for all)`;
  test.each<[string, string]>([
    ['', ''],
    ['0.0.0.0', '0.0.0.0'],
    ['::1', '::1'],
    ['[::1]', '::1'],
    ['[2001:db8::5]', '2001:db8::5'],
    ['[]', bad('[]')],
    ['[127.0.0.1]', bad('[127.0.0.1]')],
    ['localhost', bad('localhost')],
    ['127.0.0.1:80', bad('127.0.0.1:80')],
  ])('%p -> %p', (input, want) => {
    expect(outcome(parseBindIp(input))).toBe(want);
  });
});

describe('parseCidr', () => {
  test.each<[string, string]>([
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['10.1.2.3/8', '10.1.2.3/8'],
    ['::1/128', '::1/128'],
    ['192.0.2.7', '192.0.2.7/32'],
    ['2001:db8::1', '2001:db8::1/128'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['10.0.0.0/33', 'Error: "10.0.0.0/33" is not a CIDR (prefix length must be 0-32)'],
    ['::/129', 'Error: "::/129" is not a CIDR (prefix length must be 0-128)'],
    ['10.0.0.0/x', 'Error: "10.0.0.0/x" is not a CIDR (prefix length must be 0-32)'],
    ['10.0.0/8', 'Error: "10.0.0/8" is not a CIDR (e.g. "10.0.0.0/8", "::1/128")'],
    ['10.0.0.0/8/8', 'Error: "10.0.0.0/8/8" is not a CIDR (e.g. "10.0.0.0/8", "::1/128")'],
    ['', 'Error: "" is not a CIDR (e.g. "10.0.0.0/8", "::1/128")'],
    ['fe80::1%eth0/64', 'Error: "fe80::1%eth0/64" is not a CIDR (e.g. "10.0.0.0/8", "::1/128")'],
    ['010.0.0.1/8', 'Error: "010.0.0.1/8" is not a CIDR (e.g. "10.0.0.0/8", "::1/128")'],
    [' 10.0.0.0/08 ', '10.0.0.0/8'],
  ])('%p -> %p', (input, want) => {
    expect(outcome(parseCidr(input))).toBe(want);
  });
});

describe('parseDomain', () => {
  test.each<[string, string]>([
    ['auth.example.org', 'auth.example.org'],
    ['Auth.Example.ORG.', 'auth.example.org'],
    ['', ''],
    ['_acme-challenge.example.org', '_acme-challenge.example.org'],
    ['auth..example.org', 'Error: "auth..example.org" is not a domain name'],
    ['auth example.org', 'Error: "auth example.org" is not a domain name'],
    [`${'a'.repeat(64)}.org`, `Error: "${'a'.repeat(64)}.org" is not a domain name`],
    ['*.example.org', 'Error: "*.example.org" is not a domain name'],
  ])('%p -> %p', (input, want) => {
    expect(outcome(parseDomain(input))).toBe(want);
  });
});

describe('parseHttpUrl and parseHeaderName', () => {
  test.each<[string, string]>([
    ['https://localhost:14000/dir', 'https://localhost:14000/dir'],
    ['http://127.0.0.1/dir', 'http://127.0.0.1/dir'],
    ['ftp://example.org/', 'Error: "ftp://example.org/" is not an http(s) URL'],
    ['not a url', 'Error: "not a url" is not an http(s) URL'],
  ])('url %p -> %p', (input, want) => {
    expect(outcome(parseHttpUrl(input))).toBe(want);
  });
  test.each<[string, string]>([
    ['X-Forwarded-For', 'X-Forwarded-For'],
    ['X-Real-IP', 'X-Real-IP'],
    ['X Forwarded', 'Error: "X Forwarded" is not an HTTP header name'],
    ['X-Forwarded-For:', 'Error: "X-Forwarded-For:" is not an HTTP header name'],
  ])('header %p -> %p', (input, want) => {
    expect(outcome(parseHeaderName(input))).toBe(want);
  });
});
