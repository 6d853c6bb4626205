import type { ApiMetrics } from '../../metrics/types';
import { authFailureReason, requestObserver, routeLabel } from './request-metrics';
import type { RequestRecord } from './request-log';

describe('auth failure reasons (a small fixed set of labels)', () => {
  test.each([
    ['X-Api-User is not a UUID', 'malformed_user'],
    ['X-Api-Key is not a key', 'malformed_key'],
    ['unknown user', 'unknown_user'],
    ['account deleted meanwhile', 'unknown_user'],
    ['bad key', 'wrong_key'],
    ['ip not allowed: 192.0.2.1', 'ip_not_allowed'],
    ['subdomain mismatch', 'subdomain_mismatch'],
    ['something new', 'other'],
    [undefined, 'other'],
  ])('%j -> %s', (detail, reason) => {
    expect(authFailureReason(detail)).toBe(reason);
  });
});

describe('route labels', () => {
  const served = new Set(['/update', '/register']);
  test.each([
    ['/update', '/update'],
    ['//update/', '/update'],
    // Paths are matched exactly since issue 8 (a proxy's rules must see what we route).
    ['//UPDATE/', 'unmatched'],
    ['/register', '/register'],
    ['/health', 'unmatched'],
    ['/wp-login.php', 'unmatched'],
    ['/%zz', 'unmatched'],
  ])('%s -> %s', (path, label) => {
    expect(routeLabel(path, served)).toBe(label);
  });
});

describe('request observer', () => {
  const calls: string[] = [];
  const metrics: ApiMetrics = {
    apiRequest: (route, status) => calls.push(`request ${route} ${status}`),
    authFailure: (reason) => calls.push(`auth ${reason}`),
    registration: () => calls.push('registration'),
    txtUpdate: () => calls.push('txt'),
  };
  const observe = requestObserver(metrics, new Set(['/update', '/register', '/present', '/cleanup']));
  const rec = (r: Partial<RequestRecord>): RequestRecord => ({ client: '127.0.0.1', peer: '127.0.0.1', method: 'POST', path: '/', ...r });

  beforeEach(() => calls.splice(0));

  test.each<[string, Partial<RequestRecord>, string[]]>([
    ['a registration', { path: '/register', status: 201, outcome: 'ok' }, ['request /register 201', 'registration']],
    ['a refused registration', { path: '/register', status: 400, outcome: 'malformed_json_payload' }, ['request /register 400']],
    ['a stored value', { path: '/update', status: 200, outcome: 'ok' }, ['request /update 200', 'txt']],
    ["a value stored through lego's httpreq", { path: '/present', status: 200, outcome: 'ok' }, ['request /present 200', 'txt']],
    ['a value removed through httpreq', { path: '/cleanup', status: 200, outcome: 'ok' }, ['request /cleanup 200']],
    ['a wrong key', { path: '/update', status: 401, outcome: 'forbidden', reason: 'bad key' }, ['request /update 401', 'auth wrong_key']],
    ['a rate-limited request', { path: '/update', status: 429, outcome: 'rate_limited' }, ['request /update 429']],
    ['an abandoned request', { path: '/update', outcome: 'aborted' }, ['request /update aborted']],
    ['an unknown path', { path: '/x', status: 404, outcome: 'not_found' }, ['request unmatched 404']],
  ])('%s', (_name, r, expected) => {
    observe(rec(r));
    expect(calls).toEqual(expected);
  });

  test('without metrics nothing is recorded and nothing fails', () => {
    expect(() => requestObserver(undefined, new Set())(rec({ status: 200 }))).not.toThrow();
  });
});
