import {
  AccountGoneError,
  AuthenticationFailedError,
  BadSubdomainError,
  BadTsigAlgorithmError,
  BadTxtError,
  InvalidAllowFromError,
  RateLimitedError,
  StoreConflictError,
  StoreUnavailableError,
  TsigKeyLimitError,
  TsigKeyNotFoundError,
  type AccountRefusal,
} from '../core/errors';
import { ApiError, mapError, type ApiErrorCode } from './errors';

describe('mapError: the one table', () => {
  test.each<[ApiErrorCode, number, string]>([
    ['malformed_json_payload', 400, '{"error": "malformed_json_payload"}'],
    ['invalid_allowfrom_cidr', 400, '{"error": "invalid_allowfrom_cidr"}'],
    ['forbidden', 401, '{"error": "forbidden"}'],
    ['bad_subdomain', 400, '{"error": "bad_subdomain"}'],
    ['bad_txt', 400, '{"error": "bad_txt"}'],
    ['db_error', 500, '{"error": "db_error"}'],
    ['payload_too_large', 413, '{"error": "payload_too_large"}'],
    ['registration_disabled', 404, '404 page not found\n'],
    ['bad_tsig_algorithm', 400, '{"error": "bad_tsig_algorithm"}'],
    ['tsig_key_limit', 409, '{"error": "tsig_key_limit"}'],
    ['tsig_key_not_found', 404, '{"error": "tsig_key_not_found"}'],
  ])('%s -> %d %j', (code, status, body) => {
    const m = mapError(new ApiError(code, 'secret detail'));
    expect(m.reply.status).toBe(status);
    expect(m.reply.body).toBe(body);
    expect(m.code).toBe(code);
    expect(m.reason).toBe('secret detail');
    expect(m.internal).toBeUndefined();
  });

  test.each<[string, AccountRefusal, number, string, string]>([
    ['authentication failed', new AuthenticationFailedError('bad key'), 401, '{"error": "forbidden"}', 'forbidden'],
    ['account gone', new AccountGoneError(), 401, '{"error": "forbidden"}', 'forbidden'],
    ['invalid allowfrom', new InvalidAllowFromError('not a CIDR: "x"'), 400, '{"error": "invalid_allowfrom_cidr"}', 'invalid_allowfrom_cidr'],
    ['bad subdomain', new BadSubdomainError('stored subdomain "x"'), 400, '{"error": "bad_subdomain"}', 'bad_subdomain'],
    ['bad txt', new BadTxtError('txt of 3 characters'), 400, '{"error": "bad_txt"}', 'bad_txt'],
    ['rate limited', new RateLimitedError(7, 'too many updates for this account'), 429, '{"error": "rate_limited"}', 'rate_limited'],
    ['bad TSIG algorithm', new BadTsigAlgorithmError('unknown TSIG algorithm "x"'), 400, '{"error": "bad_tsig_algorithm"}', 'bad_tsig_algorithm'],
    ['TSIG key cap', new TsigKeyLimitError('at most 10'), 409, '{"error": "tsig_key_limit"}', 'tsig_key_limit'],
    ['TSIG key unknown', new TsigKeyNotFoundError('no TSIG key k of this account'), 404, '{"error": "tsig_key_not_found"}', 'tsig_key_not_found'],
  ])('domain refusal: %s -> %d %j, the reason stays in the log', (_n, err, status, body, code) => {
    const m = mapError(err);
    expect(m.reply.status).toBe(status);
    expect(m.reply.body).toBe(body);
    expect(m.reply.headers['Content-Type']).toBe('application/json');
    expect(m.code).toBe(code);
    expect(m.reason).toBe(err.reason);
    expect(m.internal).toBeUndefined();
    expect(m.reply.headers['Retry-After']).toBe(err instanceof RateLimitedError ? '7' : undefined);
  });

  test.each<[string, unknown, number]>([
    ['store unavailable', new StoreUnavailableError('SQLITE_BUSY: database is locked at /var/lib/x.db'), 503],
    ['store conflict', new StoreConflictError('UNIQUE constraint failed: accounts.username'), 500],
    ['anything else', new Error('database or disk is full'), 500],
    ['a thrown string', 'boom', 500],
  ])('%s -> %d db_error, the text stays in the log', (_n, err, status) => {
    const m = mapError(err);
    expect(m.reply.status).toBe(status);
    expect(m.reply.body).toBe('{"error": "db_error"}');
    expect(m.reply.headers['Content-Type']).toBe('application/json');
    expect(m.internal).toBe(err);
  });
});
