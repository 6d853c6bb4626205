import { StoreUnavailableError } from '../../core/errors';
import { ChallengeNotSeenError } from '../order/challenge';
import { AttemptError, classifyFailure, messageOf, type AttemptStep, type FailureKind } from './failure';

function errno(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyFailure', () => {
  it.each<[string, unknown, boolean, FailureKind, AttemptStep]>([
    ['directory unreachable', new AttemptError('directory', errno('connect ECONNREFUSED 127.0.0.1:14000', 'ECONNREFUSED')), false, 'ca-unreachable', 'directory'],
    ['CA went away mid-order (probe fails)', new AttemptError('finalize', new TypeError("Cannot read properties of undefined (reading 'config')")), false, 'ca-unreachable', 'finalize'],
    ['a timeout code while the probe works', new AttemptError('order', errno('timeout of 30000ms exceeded', 'ECONNABORTED')), true, 'ca-unreachable', 'order'],
    ['TLS to the CA not trusted', new AttemptError('directory', errno('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN')), false, 'ca-unreachable', 'directory'],
    ['LE rate limit detail', new AttemptError('order', new Error('too many certificates (5) already issued for this exact set of domains in the last 168h0m0s')), true, 'rate-limited', 'order'],
    ['rateLimited problem type in text', new AttemptError('account', new Error('urn:ietf:params:acme:error:rateLimited: slow down')), true, 'rate-limited', 'account'],
    ['CAA refusal at finalize', new AttemptError('finalize', new Error('Error finalizing order :: CAA record for auth.example.org prevents issuance')), true, 'caa', 'finalize'],
    ['CAA refusal at validation', new AttemptError('validation', new Error('While processing CAA for auth.example.org: CAA record prevents issuance')), true, 'caa', 'validation'],
    ['challenge not seen by us', new AttemptError('self-check', new ChallengeNotSeenError('_acme-challenge.auth.example.org', 'timeout')), true, 'challenge-not-seen', 'self-check'],
    ['CA saw a wrong/no TXT', new AttemptError('validation', new Error('No TXT record found at _acme-challenge.auth.example.org')), true, 'challenge-rejected', 'validation'],
    ['EAB missing', new AttemptError('account', new Error("ACME server policy requires newAccount requests must include a value for the 'externalAccountBinding' field")), true, 'account-refused', 'account'],
    ['store write failed', new AttemptError('publish', new Error('SQLITE_READONLY')), true, 'store', 'publish'],
    ['order lease unreachable', new AttemptError('lease', new StoreUnavailableError('postgres: connection refused')), true, 'store', 'lease'],
    ['account key not readable from the store', new AttemptError('account', new StoreUnavailableError('postgres: timeout')), true, 'store', 'account'],
    ['anything else', new AttemptError('download', new Error('unexpected')), true, 'other', 'download'],
    ['an untagged error', new Error('plain'), true, 'other', 'order'],
  ])('%s', (_label, err, reachable, kind, step) => {
    const failure = classifyFailure(err, reachable);
    expect(failure.kind).toBe(kind);
    expect(failure.step).toBe(step);
    expect(failure.hint.length).toBeGreaterThan(10);
  });
});

describe('messageOf', () => {
  it.each<[unknown, string]>([
    [errno('connect failed', 'ECONNREFUSED'), 'connect failed (ECONNREFUSED)'],
    [errno('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'), 'connect ECONNREFUSED 127.0.0.1:1'],
    [new Error('plain'), 'plain'],
    ['a string', 'a string'],
    [42, '42'],
  ])('%p -> %s', (err, expected) => {
    expect(messageOf(err)).toBe(expected);
  });
});
